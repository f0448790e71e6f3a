"""Respondents by channel: kiosk responses are counted in their own channel on the staff
results pages and in the SKM report."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from kiosks.tests.conftest import kiosk_post
from reports.issue import skm_report_issue
from surveys.periods import current_semester

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_kiosk_one_web(tablet, service_a, questionnaire, submit):
    assert kiosk_post(tablet, questionnaire).status_code == 302
    submit(service_a)
    return service_a.agency


def test_results_page_shows_kiosk_respondents_by_channel(client_for, evaluator, one_kiosk_one_web):
    html = client_for(evaluator).get(reverse("results:agency", args=["OPD-A"])).content.decode()

    channel = html.split('id="profile-channel"')[1].split("</table>")[0]
    assert re.search(r'<td>Kios</td><td class="num">1</td><td class="num">50[,.]0</td>', channel)
    assert re.search(r'<td>Formulir web</td><td class="num">1</td>', channel)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_skm_report_counts_kiosk_respondents(one_kiosk_one_web):
    _document, pdf = skm_report_issue(agency=one_kiosk_one_web, period=current_semester(), actor=None)
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode().split()
    )

    assert "Kios 1 responden" in text
