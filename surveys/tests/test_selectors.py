"""The result selectors read the tallies and give the same numbers as the pure index computed on
the same answers, for a service, an agency and the whole regency, in any period."""

import datetime
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

import pytest

from agencies.models import Agency
from standards.models import Service
from surveys import periods
from surveys.index import NATIONAL_ELEMENTS, compute_index
from surveys.selectors import Scope, agency_ranking, results, service_ranking
from surveys.services import population_set, questionnaire_create_version

pytestmark = pytest.mark.django_db

S1 = periods.parse("2025-S1")
JAN, FEB, MAR = datetime.date(2025, 1, 15), datetime.date(2025, 2, 10), datetime.date(2025, 3, 3)
JULY = datetime.date(2025, 7, 1)  # Semester II


def codes_of(questionnaire):
    return [element.code for element in questionnaire.elements.all()]


def answers(questionnaire, default=4, **overrides):
    return {code: overrides.get(code, default) for code in codes_of(questionnaire)}


def tallies_of(*answer_sets):
    tallies = defaultdict(lambda: defaultdict(int))
    for answer_set in answer_sets:
        for code, value in answer_set.items():
            tallies[code][value] += 1
    return tallies


@pytest.fixture
def service_a2(agency_a):
    return Service.objects.create(agency=agency_a, code="A-KK", name="Kartu Keluarga")


@pytest.fixture
def spread(questionnaire, service_a, service_a2, service_b, submit):
    """Answers spread over two agencies, three services and both semesters of 2025."""
    sets = {
        "a1": answers(questionnaire, 4, waktu=2, biaya=3),
        "a2": answers(questionnaire, 3, waktu=1, sarana=4),
        "a3": answers(questionnaire, 2, maklumat=4),
        "b1": answers(questionnaire, 1, perilaku=2),
        "late": answers(questionnaire, 1),
    }
    submit(service_a, answers=sets["a1"], day=JAN)
    submit(service_a, answers=sets["a2"], day=MAR, gender="L", age=70, education="s1", occupation="pns")
    submit(service_a2, answers=sets["a3"], day=FEB, channel="paper")
    submit(service_b, answers=sets["b1"], day=FEB)
    submit(service_a, answers=sets["late"], day=JULY)
    return sets


def test_service_result_matches_the_index_of_its_answers(questionnaire, service_a, spread):
    found = results(scope=Scope(service=service_a), start=S1.start, end=S1.end)
    expected = compute_index(codes_of(questionnaire), tallies_of(spread["a1"], spread["a2"]), 2)
    assert found.index == expected
    assert found.respondents == 2
    assert found.index.score == expected.score


def test_agency_result_adds_up_all_its_services(questionnaire, agency_a, spread):
    found = results(scope=Scope(agency=agency_a), start=S1.start, end=S1.end)
    expected = compute_index(codes_of(questionnaire), tallies_of(spread["a1"], spread["a2"], spread["a3"]), 3)
    assert found.index == expected
    assert found.respondents == 3


def test_regency_result_adds_up_every_agency(questionnaire, spread):
    found = results(scope=Scope(), start=S1.start, end=S1.end)
    expected = compute_index(
        codes_of(questionnaire), tallies_of(spread["a1"], spread["a2"], spread["a3"], spread["b1"]), 4
    )
    assert found.index == expected


def test_a_response_outside_the_period_is_not_counted(questionnaire, service_a, spread):
    first = results(scope=Scope(service=service_a), start=S1.start, end=S1.end)
    second = results(scope=Scope(service=service_a), start=JULY, end=datetime.date(2025, 12, 31))
    everything = results(scope=Scope(service=service_a))
    assert (first.respondents, second.respondents, everything.respondents) == (2, 1, 3)
    assert second.index.score == 25  # the July response answered 1 everywhere
    one_day = results(scope=Scope(service=service_a), start=MAR, end=MAR)
    assert one_day.index == compute_index(codes_of(questionnaire), tallies_of(spread["a2"]), 1)


def test_the_oki_questionnaire_also_reports_the_national_nine_element_score(questionnaire, service_a, spread):
    found = results(scope=Scope(service=service_a), start=S1.start, end=S1.end)
    tallies = tallies_of(spread["a1"], spread["a2"])
    national = compute_index(list(NATIONAL_ELEMENTS), tallies, 2)
    assert "maklumat" in codes_of(questionnaire)
    assert found.index.national is not None
    assert found.index.national.score == national.score
    assert found.index.national.score != found.index.score  # maklumat (3.5) lifts the OKI mean


def test_weakest_elements_come_first(service_a, spread):
    found = results(scope=Scope(service=service_a), start=S1.start, end=S1.end)
    weakest = found.weakest_first()
    assert [e.code for e in weakest[:2]] == ["waktu", "biaya"]  # NRR 1.5, then 3.0
    assert weakest[0].nrr == Fraction(3, 2)
    assert [e.nrr for e in weakest] == sorted(e.nrr for e in weakest)


def test_respondent_profile_is_counted_per_dimension(agency_a, spread):
    profile = results(scope=Scope(agency=agency_a), start=S1.start, end=S1.end).profile
    assert profile["gender"] == {"P": 2, "L": 1}
    assert profile["age_group"] == {"25-34": 2, "65-100": 1}
    assert profile["education"] == {"sma": 2, "s1": 1}
    assert profile["occupation"] == {"wirausaha": 2, "pns": 1}
    assert profile["channel"] == {"web": 2, "paper": 1}


def test_sample_adequacy_says_how_many_responses_are_missing(agency_a, service_a, super_admin, spread):
    scope = Scope(agency=agency_a, service=service_a)
    assert results(scope=scope, start=S1.start, end=S1.end).sample is None  # nothing entered yet
    population_set(agency=agency_a, service=service_a, start=S1.start, end=S1.end, population=100, actor=super_admin)
    sample = results(scope=scope, start=S1.start, end=S1.end).sample
    assert (sample.population, sample.minimum, sample.respondents) == (100, 80, 2)
    assert sample.missing == 78 and not sample.is_enough


def test_agency_population_covers_the_whole_agency_of_that_exact_period(agency_a, super_admin, spread):
    population_set(agency=agency_a, service=None, start=S1.start, end=S1.end, population=100, actor=super_admin)
    sample = results(scope=Scope(agency=agency_a), start=S1.start, end=S1.end).sample
    assert (sample.minimum, sample.respondents, sample.missing) == (80, 3, 77)
    year = periods.parse("2025")
    assert results(scope=Scope(agency=agency_a), start=year.start, end=year.end).sample is None


def test_a_small_population_is_enough_once_reached(agency_a, super_admin, spread):
    population_set(agency=agency_a, service=None, start=S1.start, end=S1.end, population=3, actor=super_admin)
    sample = results(scope=Scope(agency=agency_a), start=S1.start, end=S1.end).sample
    assert sample.minimum == 3 and sample.is_enough and sample.missing == 0


def test_agency_ranking_puts_the_best_first_and_agencies_without_data_last(agency_a, agency_b, spread):
    Agency.objects.create(code="OPD-C", name="Badan Pendapatan Daerah")
    Agency.objects.create(code="OPD-X", name="Dinas Lama", is_active=False)
    ranking = agency_ranking(start=S1.start, end=S1.end)
    assert [r.agency.code for r in ranking] == ["OPD-A", "OPD-B", "OPD-C"]
    assert [r.index.respondents for r in ranking] == [3, 1, 0]
    assert ranking[0].index.score > ranking[1].index.score
    assert ranking[2].index.score is None


def test_agency_ranking_respects_the_period(agency_a, agency_b, spread):
    ranking = agency_ranking(start=JULY, end=datetime.date(2025, 12, 31))
    assert [(r.agency.code, r.index.respondents) for r in ranking] == [("OPD-A", 1), ("OPD-B", 0)]


def test_service_ranking_gives_each_service_its_own_index(questionnaire, agency_a, service_a, service_a2, spread):
    ranked = dict(service_ranking(agency=agency_a, start=S1.start, end=S1.end))
    assert ranked[service_a] == compute_index(codes_of(questionnaire), tallies_of(spread["a1"], spread["a2"]), 2)
    assert ranked[service_a2] == compute_index(codes_of(questionnaire), tallies_of(spread["a3"]), 1)


def test_a_period_spanning_two_questionnaire_versions_keeps_each_element_apart(questionnaire, service_a, submit):
    old = answers(questionnaire, 4, waktu=2, maklumat=1)
    submit(service_a, answers=old, day=JAN)
    elements = [
        {
            "code": e.code,
            "name_id": e.name_id,
            "name_en": e.name_en,
            "question_id": e.question_id,
            "question_en": e.question_en,
            "labels_id": e.labels_id,
            "labels_en": e.labels_en,
        }
        for e in questionnaire.elements.all()
        if e.code != "maklumat"
    ]
    newer = questionnaire_create_version(name="SKM tanpa maklumat", elements=elements, actor=None)
    new = dict.fromkeys(codes_of(newer), 3)
    submit(service_a, answers=new, day=FEB)
    submit(service_a, answers={**new, "waktu": 4}, day=MAR)

    found = results(scope=Scope(service=service_a), start=S1.start, end=S1.end)
    nrr = {e.code: e.nrr for e in found.index.elements}
    assert found.respondents == 3
    assert nrr["waktu"] == Fraction(2 + 3 + 4, 3)
    assert nrr["persyaratan"] == Fraction(4 + 3 + 3, 3)
    assert nrr["maklumat"] == 1  # answered once, in the old version only
    assert [e.responses for e in found.index.elements if e.code == "maklumat"] == [1]
    later = results(scope=Scope(service=service_a), start=FEB, end=S1.end)
    assert "maklumat" not in [e.code for e in later.index.elements]
    assert later.index.score == Decimal("76.39")  # (8 × 3 + 3.5) ÷ 9 × 25


def test_without_any_questionnaire_results_are_empty_and_the_dashboard_still_opens(client_for, operator_a, agency_a):
    from django.urls import reverse

    from surveys.models import Questionnaire

    Questionnaire.objects.all().delete()  # an emptied database: no questionnaire was ever made

    found = results(scope=Scope(agency=agency_a))
    assert (found.index.respondents, found.index.score, found.index.elements) == (0, None, ())
    assert agency_ranking(start=None, end=None)[0].index.score is None
    assert client_for(operator_a).get(reverse("accounts:dashboard")).status_code == 200
