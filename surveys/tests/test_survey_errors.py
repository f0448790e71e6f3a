"""Errors a screen reader hears: the title says so first, the summary comes before everything
else in the content and takes the focus (with the small script), each of its links lands on
the answer of its question, and the browser's own bubbles are off (``novalidate``)."""

import re

import pytest
from django.conf import settings

from surveys.tests.test_survey_form import SURVEY_URL, filled

pytestmark = pytest.mark.django_db


def test_the_title_starts_with_the_word_error_in_each_language(client, service_a, questionnaire):
    html = client.post(SURVEY_URL, filled(client, questionnaire, age="9")).content.decode()
    assert "<title>Kesalahan: Survei kepuasan: Penerbitan KTP-el" in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post(SURVEY_URL, filled(client, questionnaire, age="9")).content.decode()
    assert "<title>Error: Satisfaction survey: Penerbitan KTP-el" in html


def test_without_errors_the_title_is_plain(client, service_a, questionnaire):
    assert "<title>Survei kepuasan: Penerbitan KTP-el" in client.get(SURVEY_URL).content.decode()


def test_the_summary_is_first_focusable_and_links_to_each_question(client, service_a, questionnaire):
    html = client.post(SURVEY_URL, filled(client, questionnaire, q_waktu=None, gender=None)).content.decode()
    main = html.split('<main id="main" class="wrap">', 1)[1]

    assert main.lstrip().startswith('<div class="error-summary survey-errors" role="alert" tabindex="-1"')
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', main)
    assert [target for target, _text in links] == ["gender_0", "q_waktu_0"]
    assert links[1][1].startswith("Pertanyaan 3:")
    for target, _text in links:
        assert f'id="{target}"' in main
    assert '<script src="/static/js/survey.js" defer></script>' in html


def test_the_form_leaves_validation_to_the_site(client, service_a, questionnaire):
    assert re.search(r'<form method="post" class="survey" novalidate', client.get(SURVEY_URL).content.decode())
