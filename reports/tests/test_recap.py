"""The regency recap PDF (Rekapitulasi IKM Kabupaten Ogan Komering Ilir) and its download.

The PDF's text is read with poppler's ``pdftotext``; without poppler-utils those checks are
skipped.
"""

import datetime
import shutil
import subprocess
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Agency
from evaluations.models import Recommendation
from reports import exports
from reports.issue import regency_recap_issue
from reports.models import ExportJob
from reports.recap import gather_recap
from standards.models import Service
from surveys import periods, selectors
from surveys.index import round_half_up
from surveys.services import population_set

PERIOD = periods.parse("2026-S1")
DAY = datetime.date(2026, 3, 10)
HEALTH = "Dinas Kesehatan"
SOCIAL = "Dinas Sosial"
CLOSED = "Badan Yang Sudah Dibubarkan"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftotext) is not installed: cannot read the PDF's text",
)


def pdf_text(content: bytes) -> str:
    """The PDF's text with runs of whitespace made one space."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return " ".join(text.split())


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def url(**query):
    address = reverse("reports:regency_recap")
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture(autouse=True)
def _language_back_to_default():
    yield
    translation.deactivate()


def answers(questionnaire, value=4, **special):
    return {**{e.code: value for e in questionnaire.elements.all()}, **special}


def _recommendation(agency, key, status, evaluator, due_date):
    period = periods.parse(key)
    return Recommendation.objects.create(
        agency=agency,
        period_key=key,
        period_start=period.start,
        period_end=period.end,
        title=f"Rekomendasi {status}",
        findings="Temuan",
        due_date=due_date,
        status=status,
        snapshot={},
        issued_by=evaluator,
    )


@pytest.fixture
def surveyed(questionnaire, service_a, service_b, submit, operator_a, evaluator, oki_identity):
    """2026-S1: agency A grade A with a non-round score (99,17) and a large enough sample
    (3 respondents, population 3);
    agency B grade D (every answer 2); Dinas Sosial grade A but too few respondents (1 of a
    minimum of 80); Dinas Kesehatan no responses; an inactive agency with a response.
    Recommendations for 2026-S1: A one issued and overdue, one verified; B one in progress
    (not yet due); A one for 2025-S2 that the recap of 2026-S1 leaves out."""
    submit(service_a, answers(questionnaire, 4), day=DAY)
    submit(service_a, answers(questionnaire, 4), day=DAY)
    submit(service_a, answers(questionnaire, 4, waktu=3), day=DAY)
    population_set(
        agency=service_a.agency, service=None, start=PERIOD.start, end=PERIOD.end, population=3, actor=operator_a
    )
    submit(service_b, answers(questionnaire, 2), day=DAY)
    social = Agency.objects.create(code="OPD-SOS", name=SOCIAL)
    social_service = Service.objects.create(agency=social, code="S-PKH", name="Rekomendasi PKH")
    submit(social_service, answers(questionnaire, 4), day=DAY)
    population_set(agency=social, service=None, start=PERIOD.start, end=PERIOD.end, population=100, actor=evaluator)
    Agency.objects.create(code="OPD-KES", name=HEALTH)
    closed = Agency.objects.create(code="OPD-X", name=CLOSED)
    submit(Service.objects.create(agency=closed, code="X-1", name="Layanan lama"), answers(questionnaire, 1), day=DAY)
    Agency.objects.filter(pk=closed.pk).update(is_active=False)
    today = timezone.localdate()
    _recommendation(service_a.agency, "2026-S1", "issued", evaluator, today - datetime.timedelta(days=1))
    _recommendation(service_a.agency, "2026-S1", "verified", evaluator, today - datetime.timedelta(days=30))
    _recommendation(service_b.agency, "2026-S1", "in_progress", evaluator, today + datetime.timedelta(days=30))
    _recommendation(service_a.agency, "2025-S2", "issued", evaluator, today - datetime.timedelta(days=5))
    return {"a": service_a.agency, "b": service_b.agency, "social": social}


@pytest.fixture
def text_id(surveyed):
    return pdf_text(regency_recap_issue(period=PERIOD, language="id", actor=None)[1])


@pytest.fixture
def text_en(surveyed):
    return pdf_text(regency_recap_issue(period=PERIOD, language="en", actor=None)[1])


def test_recap_is_a_pdf(surveyed):
    assert regency_recap_issue(period=PERIOD, actor=None)[1].startswith(b"%PDF")


@needs_poppler
def test_recap_names_the_regency_the_period_and_every_active_agency(text_id):
    with translation.override("id"):
        label = PERIOD.label

    assert "Kabupaten Ogan Komering Ilir" in text_id
    assert label in text_id
    for name in ("Dinas Kependudukan dan Pencatatan Sipil", "Dinas Penanaman Modal dan PTSP", SOCIAL, HEALTH):
        assert name in text_id
    assert CLOSED not in text_id


@needs_poppler
def test_recap_scores_are_the_selectors_numbers_in_indonesian_format(surveyed, text_id):
    ranking = selectors.agency_ranking(start=PERIOD.start, end=PERIOD.end)
    regency = selectors.results(scope=selectors.Scope(), start=PERIOD.start, end=PERIOD.end).index
    shown = [str(round_half_up(entry.index.score)).replace(".", ",") for entry in ranking if entry.index.score]

    assert shown == ["100,00", "99,17", "50,00"]  # Dinas Sosial, agency A (595/6), agency B
    for score in shown:
        assert score in text_id
    assert str(round_half_up(regency.score)).replace(".", ",") in text_id


@needs_poppler
def test_recap_ranks_agencies_best_first_with_those_without_responses_last(surveyed, text_en):
    table = between(text_en, "2. Ranking of the agencies", "3. Agencies needing attention")
    order = [table.index(name) for name in (SOCIAL, "Dinas Kependudukan", "Dinas Penanaman Modal", HEALTH)]

    assert order == sorted(order)


@needs_poppler
def test_recap_lists_the_agencies_needing_attention_and_why(text_en):
    attention = between(text_en, "3. Agencies needing attention", "4. Status of the recommendations")

    assert "Dinas Penanaman Modal dan PTSP" in attention
    assert "grade D (Poor)" in attention
    assert HEALTH in attention and "no responses in this period" in attention
    assert SOCIAL in attention and "sample too small: 1 of a minimum of 80 respondents" in attention
    assert "Dinas Kependudukan" not in attention  # grade A with a large enough sample


@needs_poppler
def test_recap_shows_the_minimum_sample_and_whether_it_is_reached(text_en):
    table = between(text_en, "2. Ranking of the agencies", "3. Agencies needing attention")

    assert "enough" in table and "too few" in table
    assert "80" in table  # Dinas Sosial's minimum for a population of 100


@needs_poppler
def test_recap_shows_the_recommendation_status_per_agency(text_en):
    status = text_en[text_en.index("4. Status of the recommendations") :]

    assert "Dinas Kependudukan dan Pencatatan Sipil" in status
    assert "Dinas Penanaman Modal dan PTSP" in status
    assert "Overdue" in status
    assert HEALTH not in status  # no recommendation for the period


def test_recap_counts_recommendations_of_the_period_by_status_and_overdue(surveyed):
    recap = gather_recap(period=PERIOD)
    counts = {agency.code: agency_counts for agency, agency_counts in recap.recommendations}

    assert set(counts) == {"OPD-A", "OPD-B"}
    assert counts["OPD-A"].by_status == {"issued": 1, "verified": 1}  # not the 2025-S2 one
    assert counts["OPD-A"].overdue == 1
    assert counts["OPD-A"].total == 2
    assert counts["OPD-B"].by_status == {"in_progress": 1}
    assert counts["OPD-B"].overdue == 0


def test_recap_sample_equals_selectors_sample_adequacy(surveyed):
    recap = gather_recap(period=PERIOD)

    for row in recap.rows:
        expected = selectors.sample_adequacy(
            scope=selectors.Scope(agency=row.agency),
            start=PERIOD.start,
            end=PERIOD.end,
            respondents=row.index.respondents,
        )
        assert row.sample == expected
    assert {row.agency.code: row.sample.is_enough for row in recap.rows if row.sample} == {
        "OPD-A": True,
        "OPD-SOS": False,
    }


def test_equal_scores_share_a_rank_and_agencies_without_responses_have_none(surveyed):
    recap = gather_recap(period=PERIOD)
    ranks = {row.agency.code: row.rank for row in recap.rows}

    assert ranks["OPD-SOS"] == 1  # every answer 4: 100,00
    assert ranks["OPD-A"] == 2
    assert ranks["OPD-B"] == 3
    assert ranks["OPD-KES"] is None


def test_recap_queries_do_not_grow_with_the_number_of_agencies(surveyed, questionnaire, submit, evaluator):
    with CaptureQueriesContext(connection) as few:
        gather_recap(period=PERIOD)
    for number in range(5):
        agency = Agency.objects.create(code=f"OPD-N{number}", name=f"Kecamatan Baru {number}")
        service = Service.objects.create(agency=agency, code=f"N-{number}", name="Surat keterangan")
        submit(service, answers(questionnaire, 3), day=DAY)
        population_set(agency=agency, service=None, start=PERIOD.start, end=PERIOD.end, population=50, actor=evaluator)
        _recommendation(agency, "2026-S1", "issued", evaluator, timezone.localdate())
    with CaptureQueriesContext(connection) as many:
        gather_recap(period=PERIOD)

    assert len(many) == len(few)


# --- Prepared by a task, downloaded by its requester ---------------------------------------------


def prepare_url(**query):
    address = reverse("reports:regency_recap_prepare")
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def prepare(client, **query):
    """Ask for the recap as the page's button does; the task runs once the request commits, as
    it does in-process without a broker."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(prepare_url(**query))


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("role", ["super_admin", "evaluator", "leader"])
def test_overseers_prepare_the_recap_and_download_it_as_a_pdf(surveyed, actors, client_for, role):
    client = client_for(actors[role])

    response = prepare(client, periode="2026-S1")

    assert response.status_code == 302
    assert response["Location"] == url(periode="2026-S1")
    job = ExportJob.objects.get()
    link = reverse("exports:job_file", args=[job.pk])
    assert f'href="{link}"' in client.get(response["Location"]).content.decode()
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="rekap-ikm-2026-S1.pdf"'
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_asking_for_the_recap_makes_no_pdf_inside_the_request(surveyed, evaluator, client_for):
    client = english(client_for(evaluator))

    with (
        mock.patch("reports.tasks.regency_recap_run.delay") as delay,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = client.post(prepare_url(periode="2026-S1"))
    job = ExportJob.objects.get()
    delay.assert_called_once_with(job.pk, "en")
    assert job.status == "queued" and not job.path.exists()

    page = page_text(client.get(response["Location"]))
    assert "The recap is being prepared." in page
    assert "Waiting" in page
    assert 'http-equiv="refresh"' in page  # the page follows the task by itself
    assert reverse("exports:job_file", args=[job.pk]) not in page


def test_the_page_stops_refreshing_once_the_recap_is_ready(surveyed, evaluator, client_for):
    client = english(client_for(evaluator))
    page = page_text(client.get(prepare(client, periode="2026-S1")["Location"]))

    assert "Ready" in page
    assert 'http-equiv="refresh"' not in page


def test_a_second_click_while_the_recap_is_made_does_not_make_another(surveyed, evaluator, client_for):
    client = english(client_for(evaluator))
    with mock.patch("reports.tasks.regency_recap_run.delay"):
        prepare(client, periode="2026-S1")
        response = prepare(client, periode="2026-S1")

    assert ExportJob.objects.count() == 1
    assert "This recap is already being prepared." in page_text(client.get(response["Location"]))


def test_the_requester_gets_an_email_when_the_recap_is_ready(surveyed, evaluator, client_for, mailoutbox):
    prepare(client_for(evaluator), periode="2026-S1")

    job = ExportJob.objects.get()
    (message,) = mailoutbox
    assert message.to == [evaluator.email]
    assert "rekap-ikm-2026-S1.pdf" in message.subject
    assert reverse("exports:job_file", args=[job.pk]) in message.body


def test_only_the_requester_can_download_the_recap(surveyed, evaluator, leader, super_admin, client_for):
    prepare(client_for(evaluator), periode="2026-S1")
    link = reverse("exports:job_file", args=[ExportJob.objects.get().pk])

    assert client_for(leader).get(link).status_code == 404
    assert client_for(super_admin).get(link).status_code == 404
    assert link not in client_for(leader).get(url()).content.decode()


def test_the_recap_is_kept_for_a_limited_time(surveyed, evaluator, client_for, clock, settings):
    settings.EXPORT_KEEP_HOURS = 24
    client = client_for(evaluator)
    prepare(client, periode="2026-S1")
    job = ExportJob.objects.get()
    link = reverse("exports:job_file", args=[job.pk])

    clock.shift(datetime.timedelta(hours=25))

    assert client_for(evaluator).get(link).status_code == 404  # signed in afresh: the session is over too
    assert exports.exports_purge() == 1
    assert not job.path.exists()


def test_a_recap_that_fails_says_so_and_leaves_no_file(surveyed, evaluator, client_for):
    client = english(client_for(evaluator))
    with mock.patch("reports.exports.regency_recap_issue", side_effect=RuntimeError("font missing")):
        response = prepare(client, periode="2026-S1")

    job = ExportJob.objects.get()
    assert job.status == "failed" and not job.path.exists()
    assert "Failed · RuntimeError: font missing" in page_text(client.get(response["Location"]))


def test_the_recap_page_defaults_to_the_current_semester(surveyed, leader, client_for):
    client = client_for(leader)
    current = periods.current_semester()

    assert client.get(url()).status_code == 200
    prepare(client)

    assert ExportJob.objects.get().filename == f"rekap-ikm-{current.key}.pdf"


@pytest.mark.parametrize("role", ["operator_a", "operator_b"])
def test_operators_may_not_see_or_prepare_the_recap(actors, client_for, role):
    client = client_for(actors[role])

    assert client.get(url(periode="2026-S1")).status_code == 403
    assert prepare(client, periode="2026-S1").status_code == 403
    assert ExportJob.objects.count() == 0


def test_anonymous_visitors_are_sent_to_the_login_page(db, client_for):
    for response in (client_for(None).get(url(periode="2026-S1")), prepare(client_for(None), periode="2026-S1")):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert ExportJob.objects.count() == 0


@pytest.mark.parametrize(
    "send", [lambda client: client.get(url(periode="2026-S3")), lambda client: prepare(client, periode="2026-S3")]
)
def test_a_bad_period_gets_a_400_page_that_says_why_and_nothing_is_prepared(evaluator, client_for, send):
    response = send(english(client_for(evaluator)))

    assert response.status_code == 400
    assert "A year has two semesters." in response.content.decode()
    assert reverse("results:regency") in response.content.decode()
    assert ExportJob.objects.count() == 0


def test_the_recap_is_prepared_only_by_a_post(evaluator, client_for):
    assert client_for(evaluator).get(prepare_url(periode="2026-S1")).status_code == 405
    assert client_for(evaluator).post(url(periode="2026-S1")).status_code == 405


@needs_poppler
def test_the_prepared_recap_follows_the_readers_language(surveyed, evaluator, client_for):
    client = english(client_for(evaluator))
    prepare(client, periode="2026-S1")

    text = pdf_text(ExportJob.objects.get().path.read_bytes())

    assert "Agencies needing attention" in text
    assert "Semester I 2026" in text
