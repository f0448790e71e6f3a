import datetime
import hashlib
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from documents.models import DocumentKind, IssuedDocument
from documents.tests.pdfcheck import needs_poppler, pdf_text, qr_codes_per_page
from evaluations.pdf import letter_issue
from reports.issue import regency_recap_issue, skm_report_issue
from surveys import periods
from surveys.posters import poster_issue

pytestmark = pytest.mark.django_db

PERIOD = periods.parse("2026-S1")
SUGGESTION = "Antrean perekaman perlu dipercepat"


@pytest.fixture
def surveyed(questionnaire, service_a, submit):
    for day, value in ((3, 4), (4, 3), (5, 3)):
        submit(service_a, answers=value, day=datetime.date(2026, 3, day), suggestion=SUGGESTION)
    return service_a.agency


def verification_path(url: str) -> str:
    assert url.startswith(settings.SITE_URL.rstrip("/") + "/verifikasi/"), url
    return urlparse(url).path


def page_of(client, document):
    return client.get(reverse("documents:verify", args=[document.code])).content.decode()


@needs_poppler
def test_every_page_of_the_skm_report_carries_a_qr_code_of_its_verification_page(client, surveyed):
    document, content = skm_report_issue(agency=surveyed, period=PERIOD, actor=None)

    pages = qr_codes_per_page(content)
    assert len(pages) > 3
    expected = f"{settings.SITE_URL.rstrip('/')}/verifikasi/{document.code}/"
    assert all(codes == [expected] for codes in pages), pages
    assert document.printed_code in pdf_text(content)
    html = client.get(verification_path(expected)).content.decode()
    assert "Laporan Hasil SKM" in html or "SKM" in html
    assert surveyed.name in html and PERIOD.label in html
    assert document.figures == {"respondents": 3, "score": "83.33", "grade": "B"}
    assert "83.33" in html and ">3<" in html and ">B<" in html
    assert document.content_hash == hashlib.sha256(content).hexdigest() and document.content_hash in html


def test_the_verification_page_shows_no_suggestion_and_no_person(client, surveyed, evaluator):
    evaluator.first_name, evaluator.last_name, evaluator.nip = "Rina", "Marlinaputri", "198506122004122001"
    evaluator.save()
    document, _content = skm_report_issue(agency=surveyed, period=PERIOD, actor=evaluator)
    html = page_of(client, document)
    assert SUGGESTION not in html
    assert "Marlinaputri" not in html and evaluator.nip not in html
    assert document.issued_by == evaluator


def test_a_reissued_report_marks_the_older_issue_superseded(client, surveyed):
    first, _ = skm_report_issue(agency=surveyed, period=PERIOD, actor=None)
    second, _ = skm_report_issue(agency=surveyed, period=PERIOD, actor=None)
    other_period, _ = skm_report_issue(agency=surveyed, period=periods.parse("2025-S2"), actor=None)

    first.refresh_from_db()
    assert first.superseded_by == second and second.superseded_by is None
    assert other_period.superseded_by is None
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        old, new = page_of(client, first), page_of(client, second)
    assert "This document has been superseded." in old and second.printed_code in old
    assert "This document has been superseded." not in new
    assert "This is the current issue of this document" in new


def test_the_period_is_worded_in_the_visitors_language_whoever_printed_the_document(client, surveyed):
    with translation.override("en"):
        document, _content = skm_report_issue(agency=surveyed, period=periods.parse("2026-T1"), actor=None)

    in_indonesian = page_of(client, document)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    in_english = page_of(client, document)

    assert "<dd>Triwulan I 2026</dd>" in in_indonesian
    assert "Quarter" not in in_indonesian
    assert "<dd>Quarter I 2026</dd>" in in_english


def test_an_unknown_code_is_404_with_a_helpful_message(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("documents:verify", args=["ZZZZ-ZZZZ"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "No document issued by SI-PUTRI has the code “ZZZZ-ZZZZ”." in html
    assert "eight letters and digits" in html


def test_a_code_typed_from_paper_in_lower_case_with_its_dash_is_found(client, surveyed):
    document, _ = skm_report_issue(agency=surveyed, period=PERIOD, actor=None)
    typed = document.printed_code.lower()
    assert client.get(reverse("documents:verify", args=[typed])).status_code == 200


@needs_poppler
def test_the_letter_recap_and_poster_are_registered_and_their_qr_codes_lead_to_them(
    client, surveyed, service_a, evaluator
):
    from evaluations import services as evaluation

    recommendation = evaluation.recommendation_issue(
        agency=surveyed,
        period=PERIOD,
        title="Percepat pelayanan",
        findings="Waktu pelayanan lambat",
        actions=[{"element_code": "waktu", "text": "Tambah loket"}],
        due_date=timezone.localdate() + datetime.timedelta(days=60),
        actor=evaluator,
    )
    issued = [
        letter_issue(recommendation=recommendation, actor=evaluator),
        regency_recap_issue(period=PERIOD, actor=evaluator),
        poster_issue(agency=surveyed, service=service_a, actor=evaluator),
    ]
    kinds = [document.kind for document, _content in issued]
    assert kinds == [DocumentKind.LETTER, DocumentKind.RECAP, DocumentKind.POSTER]
    for document, content in issued:
        pages = qr_codes_per_page(content)
        expected = f"{settings.SITE_URL.rstrip('/')}/verifikasi/{document.code}/"
        assert all(expected in codes for codes in pages), (document.kind, pages)
        assert client.get(verification_path(expected)).status_code == 200
    letter_page = page_of(client, issued[0][0])
    assert "Percepat pelayanan" in letter_page and surveyed.name in letter_page


def test_downloading_the_report_registers_it_for_the_staff_member(client_for, operator_a, surveyed):
    response = client_for(operator_a).get(reverse("reports:skm_report", args=[surveyed.code]), {"periode": "2026-S1"})
    assert response.status_code == 200
    document = IssuedDocument.objects.get()
    assert (document.kind, document.agency, document.issued_by) == (DocumentKind.SKM_REPORT, surveyed, operator_a)
    assert document.content_hash == hashlib.sha256(response.content).hexdigest()
