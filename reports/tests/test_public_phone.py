"""Public results a citizen can read on a phone: charts drawn at the width shown, tables that
scroll in a labelled region, numbers in Indonesian format, the score explained, and small
samples marked as not yet reliable."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from surveys import periods
from surveys.models import SamplePopulation

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def answered(submit, service_a):
    for _ in range(3):
        submit(service_a)


def test_a_phone_chart_is_drawn_320_px_wide_with_12_px_text_and_a_legend(client, answered):
    response = client.get(reverse("reports:chart_elements"), {"opd": "OPD-A", "lebar": "320"})
    root = ET.fromstring(response.content)  # noqa: S314 - the application's own output, in a test
    assert root.get("width") == "320"
    sizes = {node.get("font-size") for node in root.iter(f"{SVG}text")}
    assert sizes == {"12px"}
    shown = [node.text for node in root.iter(f"{SVG}text")]
    assert "Persyaratan" in shown  # the element's name, not its code
    assert {"a sangat baik", "b baik", "c kurang baik", "d tidak baik"} <= {text.lower() for text in shown}


def test_an_unknown_chart_width_is_refused_with_a_message(client):
    response = client.get(reverse("reports:chart_trend"), {"lebar": "5000"})
    assert response.status_code == 400
    assert "Lebar grafik “5000” tidak dikenal" in response.content.decode()


def test_every_public_table_scrolls_in_a_focusable_region_named_by_its_caption(client, answered):
    html = client.get(reverse("public_results:agency", args=["OPD-A"])).content.decode()
    regions = re.findall(r'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="([^"]+)">', html)
    assert len(regions) == html.count('class="table-scroll"') >= 5
    for caption in regions:
        assert f'<caption id="{caption}">' in html


def test_score_and_grade_are_explained_and_a_small_sample_is_marked(client, answered):
    html = client.get(reverse("public_results:agency", args=["OPD-A"])).content.decode()
    assert "Nilai adalah rata-rata semua jawaban (1 sampai 4) dikali 25" in html
    assert "Kurang dari 30 responden: hasil ini belum andal." in html
    regency = client.get(reverse("public_results:regency")).content.decode()
    agency_row = re.search(r'<tr id="agency-OPD-A">(.*?)</tr>', regency, re.S)[1]
    assert "belum andal" in agency_row


def test_counts_have_thousands_separators_and_scores_decimal_commas(client, answered, agency_a):
    period = periods.current_semester()
    SamplePopulation.objects.create(agency=agency_a, start=period.start, end=period.end, population=12500)
    html = client.get(reverse("public_results:agency", args=["OPD-A"])).content.decode()
    assert "3 responden dari sampel minimal 373 (populasi 12.500)." in html
    assert "Sampel minimum belum tercapai: hasil ini belum andal." in html
    assert '<strong id="result-score">100,00</strong>' in html
