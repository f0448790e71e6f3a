"""A period holding responses to more than one questionnaire version: elements pooled by code,
weight 1/(elements with answers), said on the page, and the SKM report's "N elements" and
"weight 1/N" agree with the figures."""

import shutil
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import GOOD_PROFILE
from surveys import periods
from surveys.selectors import Scope, results
from surveys.services import questionnaire_from_preset, response_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_versions(service_a, questionnaire):
    """Two responses to OKI's 10 elements (all 4), then one to the national 9 (all 2)."""
    for _ in range(2):
        response_submit(
            service=service_a,
            answers={e.code: 4 for e in questionnaire.elements.all()},
            profile=GOOD_PROFILE,
            channel="web",
            questionnaire=questionnaire,
        )
    national = questionnaire_from_preset(preset="national", actor=None)
    response_submit(
        service=service_a,
        answers={e.code: 2 for e in national.elements.all()},
        profile=GOOD_PROFILE,
        channel="web",
        questionnaire=national,
    )
    return questionnaire, national


def test_elements_are_pooled_by_code_and_weighted_over_the_answered_elements(two_versions, service_a):
    found = results(scope=Scope(service=service_a))

    elements = {e.code: e for e in found.index.elements}
    assert found.versions == (1, 2) and found.spans_versions
    assert (elements["maklumat"].responses, elements["maklumat"].nrr) == (2, Fraction(4))
    assert (elements["waktu"].responses, elements["waktu"].nrr) == (3, Fraction(10, 3))
    assert found.index.weight == Fraction(1, 10) and found.answered_elements == 10
    assert found.index.index == (Fraction(10, 3) * 9 + 4) / 10
    assert found.index.national.index == Fraction(10, 3)


def test_the_results_page_says_the_period_spans_versions_and_the_rule(client_for, evaluator, two_versions, service_a):
    client = client_for(evaluator)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("results:service", args=[service_a.code])).text

    assert "This period holds responses to questionnaire versions 1, 2." in page
    assert "each is weighted 1/10 (10 elements with answers in the period)" in page


def test_a_period_of_one_version_says_nothing_of_versions(client_for, evaluator, service_a, submit):
    submit(service_a)
    client = client_for(evaluator)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("results:service", args=[service_a.code])).text

    assert "questionnaire versions" not in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_the_skm_report_states_the_rule_and_its_element_count_agrees_with_the_weight(two_versions, service_a):
    from reports.issue import skm_report_issue
    from reports.tests.test_skm_report import pdf_text

    period = periods.year(timezone.localdate().year)
    text = pdf_text(skm_report_issue(agency=service_a.agency, period=period, actor=None, language="en")[1])

    assert "questionnaire versions 1, 2" in text
    assert "(10 in all)" in text
    assert "the same weight, 1/10" in text
