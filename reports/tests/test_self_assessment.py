"""The self-assessment pack (``reports.self_assessment``): each figure against a fixture computed
by hand, each figure's edge cases, the regency's totals, the staff pages per role, and the
registered PDF with its verification stamp.

Every date is taken from the injected clock: the pack's period is last year, its
recommendations are issued and verified on days counted from 10 July of that year, so the tests
read the same at any instant ``SIPUTRI_TEST_NOW`` sets.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from agencies.models import Agency, ServicePledge
from documents.models import DocumentKind, IssuedDocument
from documents.services import document_issue
from documents.tests.pdfcheck import needs_poppler, pdf_text, qr_codes_per_page
from evaluations import services as evaluation
from reports.pdf_self_assessment import agency_self_assessment_issue, regency_self_assessment_issue
from reports.self_assessment import (
    FOLLOW_UP,
    FOLLOW_UP_DAYS,
    LABELS,
    PLEDGE,
    PUBLISHED,
    STANDARDS,
    SURVEY,
    agency_pack,
    median_days,
    regency_pack,
    year_before,
)
from standards.completeness import COMPONENTS
from standards.models import Service
from surveys import periods
from surveys.models import SamplePopulation
from surveys.services import population_set

pytestmark = pytest.mark.django_db

SITE_URL = "https://skm.okikab.go.id"
FULL = dict.fromkeys(COMPONENTS, "Diatur dalam SOP pelayanan") | {"staff_count": "5"}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def today() -> datetime.date:
    return timezone.localdate()


def last_year() -> periods.Period:
    return periods.year(today().year - 1)


def at(day: datetime.date, days: int = 0) -> datetime.datetime:
    """10:00 in Jakarta, ``days`` after ``day``."""
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    return moment + datetime.timedelta(days=days)


def service(agency, code, *, published=True, reviewed=None, **components):
    reviewed = today() - datetime.timedelta(days=10) if reviewed is None else reviewed
    texts = {**FULL, **components}
    return Service.objects.create(
        agency=agency, code=code, name=f"Layanan {code}", is_published=published, reviewed_on=reviewed, **texts
    )


@pytest.fixture
def four_services(agency_a):
    """Exactly one of four meets the standards rule: complete, reviewed within the year, published."""
    return [
        service(agency_a, "A-1"),
        service(agency_a, "A-2", published=False),
        service(agency_a, "A-3", reviewed=year_before(today()) - datetime.timedelta(days=1)),
        service(agency_a, "A-4", reviewed=today(), legal_basis="belum ada", supervision=""),
    ]


def issue(agency, evaluator, period, *, title, actions=1):
    return evaluation.recommendation_issue(
        agency=agency,
        period=period,
        title=title,
        findings="Waktu pelayanan lambat",
        actions=[{"element_code": "waktu", "text": f"Tindakan {n}"} for n in range(1, actions + 1)],
        due_date=timezone.localdate() + datetime.timedelta(days=60),
        actor=evaluator,
    )


def carry_out(action, operator, evaluator, clock, on):
    """The agency plans and completes ``action``; the evaluator verifies it at ``on``."""
    recommendation = action.recommendation
    recommendation.refresh_from_db()
    if recommendation.status == "issued":
        evaluation.recommendation_acknowledge(recommendation=recommendation, actor=operator)
    evaluation.action_plan(
        action=action, activity="Loket tambahan", responsible="Kasi", target_date=on.date(), actor=operator
    )
    evaluation.action_complete(action=action, note="Selesai", evidence=None, actor=operator)
    clock.move_to(on)
    evaluation.action_verify(action=action, actor=evaluator)


@pytest.fixture
def recommendations(agency_a, operator_a, evaluator, clock):
    """For the first semester of last year, all issued on 10 July: three verified after 10, 20
    and 40 days (the last one's second action verified last), and one still open. Also one for
    the year before, verified, which the pack of last year leaves out."""
    started = timezone.now()
    year = last_year().start.year
    semester = periods.semester(year, 1)
    issued = at(datetime.date(year, 7, 10))
    clock.move_to(issued)
    ten, twenty = issue(agency_a, evaluator, semester, title="R10"), issue(agency_a, evaluator, semester, title="R20")
    forty = issue(agency_a, evaluator, semester, title="R40", actions=2)
    open_one = issue(agency_a, evaluator, periods.semester(year, 2), title="Open")
    outside = issue(agency_a, evaluator, periods.semester(year - 1, 2), title="Outside")
    first, second = forty.actions.order_by("position")
    carry_out(ten.actions.get(), operator_a, evaluator, clock, at(issued.date(), 10))
    carry_out(first, operator_a, evaluator, clock, at(issued.date(), 15))
    carry_out(twenty.actions.get(), operator_a, evaluator, clock, at(issued.date(), 20))
    carry_out(outside.actions.get(), operator_a, evaluator, clock, at(issued.date(), 30))
    carry_out(second, operator_a, evaluator, clock, at(issued.date(), 40))
    clock.move_to(started)
    return {"ten": ten, "twenty": twenty, "forty": forty, "open": open_one, "outside": outside}


def surveyed(service, submit, count, period):
    for number in range(count):
        submit(service, answers=4, day=period.start + datetime.timedelta(days=40 + number))


def skm_report_registered(agency, period):
    document, _content = document_issue(
        kind=DocumentKind.SKM_REPORT,
        subject=f"skm_report:{agency.code}:{period.key}",
        agency=agency,
        period=period,
        actor=None,
        render=lambda stamp: b"%PDF-1.4\n%%EOF\n",
    )
    return document


# --- The rules, by hand ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "median"),
    [([], None), ([7], Decimal(7)), ([40, 10, 20], Decimal(20)), ([10, 20], Decimal(15)), ([10, 21], Decimal("15.5"))],
)
def test_the_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones(days, median):
    assert median_days(days) == median


@pytest.mark.parametrize(
    ("day", "before"),
    [
        (datetime.date(2028, 2, 29), datetime.date(2027, 2, 28)),
        (datetime.date(2027, 3, 1), datetime.date(2026, 3, 1)),
        (datetime.date(2027, 1, 1), datetime.date(2026, 1, 1)),
    ],
)
def test_the_review_window_starts_the_same_date_a_year_earlier(day, before):
    assert year_before(day) == before


def test_one_of_four_services_is_complete_reviewed_and_published(four_services, agency_a):
    figure = agency_pack(agency=agency_a, period=last_year()).figure(STANDARDS)

    assert (figure.numerator, figure.denominator, figure.share, figure.passed) == (1, 4, Decimal("25.0"), False)
    assert figure.evidence_url == reverse("standards:agency_completeness", args=["OPD-A"])


def test_a_review_exactly_a_year_ago_counts_and_one_day_more_or_a_future_one_does_not(agency_a):
    day = datetime.date(2028, 2, 29)
    service(agency_a, "A-1", reviewed=datetime.date(2027, 2, 28))
    service(agency_a, "A-2", reviewed=datetime.date(2027, 2, 27))
    service(agency_a, "A-3", reviewed=datetime.date(2028, 3, 1))

    figure = agency_pack(agency=agency_a, period=last_year(), today=day).figure(STANDARDS)

    assert (figure.numerator, figure.denominator) == (1, 3)


def test_an_agency_without_services_has_no_standards_share_rather_than_a_failure(agency_a):
    figure = agency_pack(agency=agency_a, period=last_year()).figure(STANDARDS)

    assert (figure.numerator, figure.denominator, figure.share, figure.passed) == (0, 0, None, None)


def test_a_complete_catalogue_passes_the_standards_rule(agency_a):
    service(agency_a, "A-1")
    service(agency_a, "A-2")

    figure = agency_pack(agency=agency_a, period=last_year()).figure(STANDARDS)

    assert (figure.numerator, figure.denominator, figure.share, figure.passed) == (2, 2, Decimal("100.0"), True)


def test_the_pledge_counts_once_adopted_with_real_text_on_an_active_agency(agency_a, agency_b):
    pledge = ServicePledge.objects.get(agency=agency_a)
    assert agency_pack(agency=agency_a, period=last_year()).figure(PLEDGE).passed is False  # no adoption date

    pledge.adopted_on = today()
    pledge.save()
    figure = agency_pack(agency=agency_a, period=last_year()).figure(PLEDGE)
    assert (figure.numerator, figure.denominator, figure.passed) == (1, 1, True)
    assert figure.evidence_url == reverse("standards:agency_detail", args=["OPD-A"]) + "#pledge-title"

    pledge.adopted_on = today() + datetime.timedelta(days=1)
    pledge.save()
    assert agency_pack(agency=agency_a, period=last_year()).figure(PLEDGE).passed is False

    pledge.adopted_on, pledge.text = today(), "-"
    pledge.save()
    assert agency_pack(agency=agency_a, period=last_year()).figure(PLEDGE).passed is False

    pledge.text = "Kami sanggup melayani sesuai standar."
    pledge.save()
    Agency.objects.filter(pk=agency_a.pk).update(is_active=False)
    assert agency_pack(agency=agency_a, period=last_year()).figure(PLEDGE).passed is False

    assert agency_pack(agency=agency_b, period=last_year()).figure(PLEDGE).passed is False  # none at all


def test_the_survey_passes_with_the_minimum_sample_of_the_population_of_exactly_the_period(
    agency_a, operator_a, submit
):
    period = last_year()
    surveyed(service(agency_a, "A-1"), submit, 3, period)
    survey = agency_pack(agency=agency_a, period=period).figure(SURVEY)
    assert survey.passed is False  # no population entered: the sample cannot be judged

    # A population of 4 needs 4 respondents (Krejcie & Morgan), of 3 needs 3.
    population_set(agency=agency_a, service=None, start=period.start, end=period.end, population=4, actor=operator_a)
    assert agency_pack(agency=agency_a, period=period).figure(SURVEY).passed is False
    population_set(agency=agency_a, service=None, start=period.start, end=period.end, population=3, actor=operator_a)
    survey = agency_pack(agency=agency_a, period=period).figure(SURVEY)
    assert (survey.numerator, survey.denominator, survey.passed) == (1, 1, True)
    assert survey.evidence_url == reverse("results:agency", args=["OPD-A"]) + f"?period={period.key}"

    # The population of a semester judges that semester's sample, not the year's.
    SamplePopulation.objects.filter(agency=agency_a).delete()
    semester = periods.semester(period.start.year, 1)
    population_set(
        agency=agency_a, service=None, start=semester.start, end=semester.end, population=3, actor=operator_a
    )
    assert agency_pack(agency=agency_a, period=semester).figure(SURVEY).passed is True
    assert agency_pack(agency=agency_a, period=period).figure(SURVEY).passed is False


def test_without_responses_the_survey_fails_even_with_a_population(agency_a, operator_a):
    period = last_year()
    population_set(agency=agency_a, service=None, start=period.start, end=period.end, population=1, actor=operator_a)

    assert agency_pack(agency=agency_a, period=period).figure(SURVEY).passed is False


def test_results_are_published_once_the_skm_report_of_the_period_is_issued(agency_a, submit):
    period = last_year()
    surveyed(service(agency_a, "A-1"), submit, 2, period)
    published = agency_pack(agency=agency_a, period=period).figure(PUBLISHED)
    assert published.passed is False
    assert published.evidence_url == reverse("public_results:agency", args=["OPD-A"]) + f"?periode={period.key}"

    skm_report_registered(agency_a, periods.semester(period.start.year, 1))  # another period
    assert agency_pack(agency=agency_a, period=period).figure(PUBLISHED).passed is False

    skm_report_registered(agency_a, period)
    current = skm_report_registered(agency_a, period)
    published = agency_pack(agency=agency_a, period=period).figure(PUBLISHED)
    assert published.passed is True
    assert published.evidence_url == reverse("documents:verify", args=[current.code])


def test_a_report_without_responses_is_not_published_results(agency_a):
    skm_report_registered(agency_a, last_year())

    assert agency_pack(agency=agency_a, period=last_year()).figure(PUBLISHED).passed is False


def test_three_of_four_recommendations_verified_after_10_20_and_40_days_median_20(agency_a, recommendations):
    pack = agency_pack(agency=agency_a, period=last_year())

    follow_up, days = pack.figure(FOLLOW_UP), pack.figure(FOLLOW_UP_DAYS)
    assert (follow_up.numerator, follow_up.denominator, follow_up.share) == (3, 4, Decimal("75.0"))
    assert follow_up.passed is None
    assert (days.days, days.numerator, days.passed) == (Decimal(20), 3, None)
    assert sorted((r.title, r.days) for r in pack.recommendations) == [
        ("Open", None),
        ("R10", 10),
        ("R20", 20),
        ("R40", 40),
    ]


def test_a_semester_pack_counts_its_own_recommendations_only(agency_a, recommendations):
    second = periods.semester(last_year().start.year, 2)

    pack = agency_pack(agency=agency_a, period=second)

    assert (pack.figure(FOLLOW_UP).numerator, pack.figure(FOLLOW_UP).denominator) == (0, 1)
    assert pack.figure(FOLLOW_UP_DAYS).days is None
    assert pack.figure(FOLLOW_UP_DAYS).value == gettext("no data")


def test_without_recommendations_there_is_no_share_and_no_median(agency_a):
    pack = agency_pack(agency=agency_a, period=last_year())

    assert (pack.figure(FOLLOW_UP).denominator, pack.figure(FOLLOW_UP).share) == (0, None)
    assert pack.figure(FOLLOW_UP_DAYS).days is None


# --- The regency ---------------------------------------------------------------------------------


@pytest.fixture
def regency(
    four_services, agency_a, agency_b, service_b, operator_a, operator_b, evaluator, recommendations, submit, clock
):
    """Agency A as above with an adopted pledge and an adequate survey; agency B with one
    incomplete service, no pledge, one recommendation verified after 30 days; an inactive
    agency with a perfect catalogue that the regency leaves out."""
    period = last_year()
    ServicePledge.objects.filter(agency=agency_a).update(adopted_on=today())
    surveyed(four_services[0], submit, 3, period)
    population_set(agency=agency_a, service=None, start=period.start, end=period.end, population=3, actor=operator_a)
    closed = Agency.objects.create(code="OPD-X", name="Badan Yang Sudah Dibubarkan", is_active=False)
    service(closed, "X-1")
    started = timezone.now()
    issued = at(datetime.date(period.start.year, 7, 10))
    clock.move_to(issued)
    thirty = issue(agency_b, evaluator, periods.semester(period.start.year, 1), title="B30")
    carry_out(thirty.actions.get(), operator_b, evaluator, clock, at(issued.date(), 30))
    clock.move_to(started)
    return period


def test_regency_totals_pool_services_and_recommendations_and_count_agencies(regency, agency_a, agency_b):
    pack = regency_pack(period=regency)

    assert [row.agency for row in pack.rows] == [agency_a, agency_b]  # by name; the inactive one is left out
    totals = {figure.key: figure for figure in pack.totals.figures}
    assert (totals[STANDARDS].numerator, totals[STANDARDS].denominator, totals[STANDARDS].share) == (
        1,
        5,
        Decimal("20.0"),
    )
    assert (totals[PLEDGE].numerator, totals[PLEDGE].denominator, totals[PLEDGE].passed) == (1, 2, False)
    assert (totals[SURVEY].numerator, totals[SURVEY].denominator) == (1, 2)
    assert (totals[PUBLISHED].numerator, totals[PUBLISHED].denominator) == (0, 2)
    assert (totals[FOLLOW_UP].numerator, totals[FOLLOW_UP].denominator) == (4, 5)
    # 10, 20, 30, 40 days: the mean of the two middle values.
    assert (totals[FOLLOW_UP_DAYS].days, totals[FOLLOW_UP_DAYS].numerator) == (Decimal(25), 4)
    assert pack.rows[1].figure(FOLLOW_UP_DAYS).days == Decimal(30)


def test_the_regency_pack_makes_as_many_queries_for_many_agencies_as_for_two(regency, operator_a):
    with CaptureQueriesContext(connection) as two:
        regency_pack(period=regency)
    for number in range(5):
        agency = Agency.objects.create(code=f"OPD-{number}", name=f"Kecamatan {number}")
        ServicePledge.objects.create(agency=agency, text="Kami sanggup melayani.", adopted_on=today())
        service(agency, f"S-{number}")
        population_set(
            agency=agency, service=None, start=regency.start, end=regency.end, population=9, actor=operator_a
        )
        skm_report_registered(agency, regency)

    with CaptureQueriesContext(connection) as seven:
        pack = regency_pack(period=regency)

    assert len(pack.rows) == 7
    assert len(seven.captured_queries) == len(two.captured_queries) <= 8


# --- Pages -----------------------------------------------------------------------------------------


def page(client, url, **query):
    response = client.get(url, query)
    return response, response.content.decode()


@pytest.mark.parametrize("role", ["super_admin", "evaluator", "leader"])
def test_overseers_see_every_agency_with_its_figures_and_evidence(role, regency, actors, client_for, agency_a):
    url = reverse("reports:self_assessment_regency")
    response, html = page(client_for(actors[role]), url, periode=regency.key)

    assert response.status_code == 200
    assert agency_a.name in html and "Dinas Penanaman Modal dan PTSP" in html
    assert "Badan Yang Sudah Dibubarkan" not in html
    assert f"{reverse('reports:self_assessment_agency', args=['OPD-A'])}?periode={regency.key}" in html
    assert reverse("standards:agency_completeness", args=["OPD-A"]) in html
    assert str(LABELS[FOLLOW_UP_DAYS]) in html
    assert ">1/4<" in html and ">1/5<" in html and ">4/5<" in html


def test_an_operator_is_taken_from_the_regency_pack_to_their_agency(client_for, operator_a):
    response = client_for(operator_a).get(reverse("reports:self_assessment_regency"), {"periode": "2025"})

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:self_assessment_agency", args=["OPD-A"]) + "?periode=2025"


def test_an_operator_reads_their_own_pack_with_its_recommendations_but_not_another_agencys(
    client_for, operator_a, operator_b, recommendations
):
    url = reverse("reports:self_assessment_agency", args=["OPD-A"])
    response, html = page(client_for(operator_a), url, periode=last_year().key)

    assert response.status_code == 200
    for title in ("R10", "R20", "R40", "Open"):
        assert title in html
    assert "Outside" not in html
    assert reverse("evaluations:recommendation_detail", args=[recommendations["forty"].pk]) in html
    assert client_for(operator_b).get(url).status_code == 404
    assert client_for(operator_a).get(reverse("reports:self_assessment_regency_pdf")).status_code == 403


def test_a_period_that_cannot_be_read_is_explained(client_for, evaluator):
    with pytest.raises(periods.PeriodError) as error:
        periods.parse("2026-S7")

    response = client_for(evaluator).get(reverse("reports:self_assessment_regency"), {"periode": "2026-S7"})

    assert response.status_code == 400
    assert str(error.value) in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_the_results_pages_and_the_staff_menu_lead_to_the_pack(client_for, evaluator, agency_a):
    client = client_for(evaluator)
    regency_page = client.get(reverse("results:regency")).content.decode()
    agency_page = client.get(reverse("results:agency", args=["OPD-A"])).content.decode()

    assert reverse("reports:self_assessment_regency") in regency_page
    assert reverse("reports:self_assessment_agency", args=["OPD-A"]) in agency_page


# --- The PDF ----------------------------------------------------------------------------------------


def verification_path(url: str) -> str:
    assert url.startswith(SITE_URL + "/verifikasi/"), url
    return urlparse(url).path


@needs_poppler
def test_the_agency_pdf_shows_the_figures_and_every_page_carries_its_verification_qr(
    client_for, operator_a, evaluator, regency, agency_a, client
):
    Agency.objects.filter(pk=agency_a.pk).update(
        head_name="Drs. Hendra Wijaya", head_nip="197001011990031001", head_title="Kepala Dinas"
    )
    url = reverse("reports:self_assessment_agency_pdf", args=["OPD-A"])
    response = client_for(operator_a).get(url, {"periode": regency.key})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    document = IssuedDocument.objects.get(kind=DocumentKind.SELF_ASSESSMENT)
    assert (document.agency, document.period_key, document.issued_by) == (agency_a, regency.key, operator_a)
    text = pdf_text(response.content)
    pack = agency_pack(agency=agency_a, period=regency)
    for figure in pack.figures:
        assert figure.label in text, figure.key
        assert figure.value in text, figure.key
    assert agency_a.name.upper() in text and "Drs. Hendra Wijaya" in text and "197001011990031001" in text
    assert all(title in text for title in ("R10", "R20", "R40", "Open"))

    expected = f"{SITE_URL}/verifikasi/{document.code}/"
    assert all(codes == [expected] for codes in qr_codes_per_page(response.content))
    html = client.get(verification_path(expected)).content.decode()
    assert str(DocumentKind.SELF_ASSESSMENT.label) in html and agency_a.name in html
    for figure in pack.figures:
        assert figure.label in html and figure.value in html, figure.key
    assert "Hendra Wijaya" not in html and "R40" not in html and "Waktu pelayanan lambat" not in html


@needs_poppler
def test_the_regency_pdf_lists_every_active_agency_and_the_regency_totals(client_for, evaluator, regency, client):
    response = client_for(evaluator).get(reverse("reports:self_assessment_regency_pdf"), {"periode": regency.key})

    assert response.status_code == 200
    document = IssuedDocument.objects.get(kind=DocumentKind.SELF_ASSESSMENT)
    assert document.agency is None and document.subject == f"self_assessment:regency:{regency.key}"
    text = pdf_text(response.content)
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text and "Dinas Penanaman Modal dan PTSP" in text
    assert "Badan Yang Sudah Dibubarkan" not in text
    totals = regency_pack(period=regency).totals
    for figure in totals.figures:
        assert figure.value in text, figure.key
    assert "1/4" in text and "1/5" in text and "4/5" in text
    expected = f"{SITE_URL}/verifikasi/{document.code}/"
    assert all(codes == [expected] for codes in qr_codes_per_page(response.content))
    html = client.get(verification_path(expected)).content.decode()
    assert totals.figure(FOLLOW_UP_DAYS).value in html and totals.figure(STANDARDS).value in html


def test_a_new_print_supersedes_the_older_one_of_the_same_pack_only(agency_a, agency_b):
    period = last_year()
    first, _ = agency_self_assessment_issue(agency=agency_a, period=period, actor=None)
    second, _ = agency_self_assessment_issue(agency=agency_a, period=period, actor=None)
    other, _ = agency_self_assessment_issue(agency=agency_b, period=period, actor=None)
    regency_first, _ = regency_self_assessment_issue(period=period, actor=None)
    regency_second, _ = regency_self_assessment_issue(period=period, actor=None)

    first.refresh_from_db()
    regency_first.refresh_from_db()
    assert first.superseded_by == second and second.superseded_by is None
    assert other.superseded_by is None
    assert regency_first.superseded_by == regency_second
    assert second.figures["as_of"] == today().isoformat()
    assert [figure["key"] for figure in second.figures["self_assessment"]] == [
        STANDARDS,
        PLEDGE,
        SURVEY,
        PUBLISHED,
        FOLLOW_UP,
        FOLLOW_UP_DAYS,
    ]


def test_uploaded_evidence_never_reaches_the_verification_page(
    client, agency_a, operator_a, evaluator, recommendations
):
    action = recommendations["open"].actions.get()
    evaluation.recommendation_acknowledge(recommendation=recommendations["open"], actor=operator_a)
    evaluation.action_plan(action=action, activity="Loket", responsible="Kasi", target_date=today(), actor=operator_a)
    evaluation.action_progress(
        action=action,
        note="Catatan internal rahasia",
        evidence=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n"),
        actor=operator_a,
    )
    document, _content = agency_self_assessment_issue(agency=agency_a, period=last_year(), actor=evaluator)

    html = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert "Catatan internal rahasia" not in html and "bukti.pdf" not in html
    assert document.printed_code in html
