"""What makes the site trustworthy to a citizen: whose site it is, how to reach and complain to
them, what happens to their data, how accessible it is, and what the API offers."""

import pytest
from django.urls import reverse

from agencies.models import RegencyIdentity

pytestmark = pytest.mark.django_db


@pytest.fixture
def identity(db):
    return RegencyIdentity.objects.create(
        pk=1,
        name="Kabupaten Ogan Komering Ilir",
        address="Jl. Letnan Muchtar Saleh No. 1, Kayuagung",
        phone="(0712) 321001",
        email="organisasi@okikab.go.id",
        evaluating_office="Bagian Organisasi Sekretariat Daerah",
    )


def test_every_page_says_whose_official_site_it_is_with_contact_and_complaints(client, identity):
    html = client.get(reverse("standards:home")).content.decode()
    assert "Situs resmi Pemerintah Kabupaten Ogan Komering Ilir" in html
    assert "Jl. Letnan Muchtar Saleh No. 1, Kayuagung" in html
    assert 'href="mailto:organisasi@okikab.go.id"' in html and 'href="tel:(0712)321001"' in html
    assert 'href="https://www.lapor.go.id/"' in html
    for name in ("standards:privacy", "standards:accessibility", "api:docs"):
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("api:schema")}"' not in html  # no YAML download in the footer


def test_without_an_identity_the_header_is_neutral(client):
    html = client.get(reverse("standards:home")).content.decode()
    assert "Situs resmi Pemerintah Daerah" in html


def test_a_service_page_names_its_agency_for_complaints(client, service_a, agency_a):
    agency_a.phone = "0712-322000"
    agency_a.save()
    html = client.get(reverse("standards:service_detail", args=["A-KTP"])).content.decode()
    assert "Tentang Dinas Kependudukan dan Pencatatan Sipil:" in html and 'href="tel:0712-322000"' in html


def test_the_language_switch_names_each_language_in_itself(client):
    html = client.get(reverse("standards:home")).content.decode()
    assert '<option value="id" lang="id" selected>Bahasa Indonesia</option>' in html
    assert '<option value="en" lang="en">English</option>' in html


def test_privacy_notice_says_what_why_who_and_how_long(client, identity):
    html = client.get(reverse("standards:privacy")).content.decode()
    for heading in ("Data yang dikumpulkan survei", "Siapa yang melihatnya", "Berapa lama", "Hak dan pertanyaan Anda"):
        assert heading in html
    assert "Undang-Undang Nomor 27 Tahun 2022" in html


def test_accessibility_statement_names_the_standard_and_how_to_report(client):
    html = client.get(reverse("standards:accessibility")).content.decode()
    assert "WCAG" in html and "Laporkan kendala kepada kami" in html


def test_the_api_documentation_is_a_page_listing_every_endpoint(client):
    response = client.get(reverse("api:docs"))
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for endpoint in ("GET /api/v1/agencies", "GET /api/v1/ikm", "POST /api/v1/responses", "GET /api/v1/services"):
        assert endpoint in html
    assert "<code>answers</code>" in html  # the fields of the response body
    assert f'href="{reverse("api:schema")}"' in html
