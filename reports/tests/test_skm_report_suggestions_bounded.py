"""The suggestions annex of the SKM report reads a bounded list (issue 12): the newest
SUGGESTIONS_SHOWN suggestions a document may show, with their total stated, chosen and counted
from the partial index of shown suggestions; the queries do not grow with the suggestions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import skm_report
from reports.issue import skm_report_issue
from surveys import periods
from surveys.selectors import Scope, suggestions, suggestions_shown
from surveys.services import suggestion_set_hidden
from surveys.states import responses_hold

from .test_skm_report import needs_poppler, pdf_text

pytestmark = pytest.mark.django_db

YEAR = periods.parse("2025")


@pytest.fixture
def many(service_a, service_b, submit, operator_a):
    """Agency A: five visible suggestions on different days in 2025,
    one hidden, one held, one without text, one in 2024; agency B one suggestion."""
    visible = [
        submit(service_a, day=datetime.date(2025, month, 10), suggestion=f"Saran nomor {month}")
        for month in (1, 3, 5, 7, 9)
    ]
    hidden = submit(service_a, day=datetime.date(2025, 11, 1), suggestion="Kalimat tersembunyi XYZ")
    suggestion_set_hidden(response=hidden, hidden=True, actor=operator_a)
    held = submit(service_a, day=datetime.date(2025, 11, 2), suggestion="Kalimat tertahan XYZ")
    responses_hold(responses=[held.pk], actor=None, reason="uji")
    submit(service_a, day=datetime.date(2025, 11, 3))
    submit(service_a, day=datetime.date(2024, 12, 30), suggestion="Saran tahun lalu")
    submit(service_b, day=datetime.date(2025, 6, 1), suggestion="Saran dinas lain")
    return visible


def test_suggestions_shown_are_the_newest_visible_ones_with_their_total(agency_a, many):
    scope = Scope(agency=agency_a)
    shown, total = suggestions_shown(scope=scope, start=YEAR.start, end=YEAR.end, limit=3)

    assert total == 5
    expected = list(suggestions(scope=scope, start=YEAR.start, end=YEAR.end, include_hidden=False)[:3])
    assert [r.pk for r in shown] == [r.pk for r in expected]
    assert [r.suggestion for r in shown] == ["Saran nomor 9", "Saran nomor 7", "Saran nomor 5"]


def test_suggestions_shown_below_the_limit_are_all_of_them(agency_a, many):
    shown, total = suggestions_shown(scope=Scope(agency=agency_a), start=YEAR.start, end=YEAR.end, limit=10)

    assert total == len(shown) == 5
    assert {r.suggestion for r in shown} == {f"Saran nomor {month}" for month in (1, 3, 5, 7, 9)}


def test_suggestions_shown_read_a_fixed_number_of_queries(agency_a, service_a, submit, many):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            suggestions_shown(scope=Scope(agency=agency_a), start=YEAR.start, end=YEAR.end, limit=3)
        return len(captured)

    before = queries()
    for day in range(1, 8):
        submit(service_a, day=datetime.date(2025, 12, day), suggestion=f"Saran Desember {day}")
    assert queries() == before == 3


@needs_poppler
def test_annex_states_the_total_and_where_every_suggestion_is(agency_a, many, monkeypatch):
    monkeypatch.setattr(skm_report, "SUGGESTIONS_SHOWN", 2)
    report_text = pdf_text(skm_report_issue(agency=agency_a, period=YEAR, actor=None)[1])
    annex = report_text[report_text.index("LAMPIRAN 2") :]

    assert "Ditampilkan 2 saran terbaru dari 5 saran." in annex
    assert "Saran nomor 9" in annex
    assert "Saran nomor 7" in annex
    assert "Saran nomor 5" not in annex
    assert "Kalimat tersembunyi XYZ" not in annex
    assert "Kalimat tertahan XYZ" not in annex

    english = pdf_text(skm_report_issue(agency=agency_a, period=YEAR, actor=None, language="en")[1])
    assert "Showing the 2 newest of 5 suggestions. The annex stops at the newest 2" in english
    assert "every suggestion of the period is on the agency's suggestions page" in english
