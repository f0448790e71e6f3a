import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import GOOD_PROFILE
from surveys.models import ElementTally, ProfileTally, RespondentTally, Response
from surveys.services import response_submit
from surveys.tokens import token_issue

pytestmark = pytest.mark.django_db


def _answers(questionnaire, value=4, **overrides):
    return {**{e.code: value for e in questionnaire.elements.all()}, **overrides}


def test_a_response_is_stored_with_its_version_channel_and_local_day(questionnaire, service_a):
    response = response_submit(
        service=service_a, answers=_answers(questionnaire, 3), profile=GOOD_PROFILE, channel="web", suggestion=" Cepat "
    )
    response.refresh_from_db()
    assert response.questionnaire == questionnaire
    assert response.channel == "web"
    assert response.day == timezone.localdate()
    assert response.answers == _answers(questionnaire, 3)
    assert response.suggestion == "Cepat"


def test_the_tallies_move_with_each_response(questionnaire, service_a, submit):
    submit(service_a, answers=4)
    submit(service_a, answers={**_answers(questionnaire, 4), "waktu": 2}, gender="L", age=70)
    today = timezone.localdate()
    assert RespondentTally.objects.filter(span="d").get(day=today, service=service_a).count == 2
    waktu = dict(ElementTally.objects.filter(span="d").filter(element_code="waktu").values_list("value", "count"))
    assert waktu == {4: 1, 2: 1}
    genders = dict(ProfileTally.objects.filter(span="d").filter(dimension="gender").values_list("value", "count"))
    assert genders == {"P": 1, "L": 1}
    ages = dict(ProfileTally.objects.filter(span="d").filter(dimension="age_group").values_list("value", "count"))
    assert ages == {"25-34": 1, "65-100": 1}


@pytest.mark.parametrize(
    ("profile", "answers", "field"),
    [
        ({"gender": "X"}, {}, "gender"),
        ({"gender": ""}, {}, "gender"),
        ({"age": 14}, {}, "age"),
        ({"age": 101}, {}, "age"),
        ({"age": "tiga puluh"}, {}, "age"),
        ({"age": 30.5}, {}, "age"),
        ({"age": True}, {}, "age"),
        ({"education": "sd "}, {}, "education"),
        ({"occupation": None}, {}, "occupation"),
        ({}, {"waktu": 5}, "answers.waktu"),
        ({}, {"waktu": 0}, "answers.waktu"),
        ({}, {"waktu": "4"}, None),  # a digit as text is accepted
        ({}, {"waktu": 3.5}, "answers.waktu"),
        ({}, {"waktu": True}, "answers.waktu"),
        ({}, {"waktu": None}, "answers.waktu"),
        ({}, {"bogus": 4}, "answers"),
    ],
)
def test_each_bad_value_is_named_and_nothing_is_stored(questionnaire, service_a, profile, answers, field):
    call = {
        "service": service_a,
        "answers": _answers(questionnaire, 4, **answers),
        "profile": {**GOOD_PROFILE, **profile},
        "channel": "web",
    }
    if field is None:
        assert response_submit(**call).answers["waktu"] == 4
        return
    with pytest.raises(ValidationError) as caught:
        response_submit(**call)
    assert field in caught.value.message_dict
    assert Response.objects.count() == 0
    assert RespondentTally.objects.count() == 0


def test_a_missing_element_is_refused(questionnaire, service_a):
    answers = _answers(questionnaire)
    del answers["maklumat"]
    with pytest.raises(ValidationError) as caught:
        response_submit(service=service_a, answers=answers, profile=GOOD_PROFILE, channel="web")
    assert "answers.maklumat" in caught.value.message_dict


def test_an_overlong_suggestion_is_refused(questionnaire, service_a):
    with pytest.raises(ValidationError) as caught:
        response_submit(
            service=service_a,
            answers=_answers(questionnaire),
            profile=GOOD_PROFILE,
            channel="web",
            suggestion="a" * 2001,
        )
    assert "suggestion" in caught.value.message_dict
    assert Response.objects.count() == 0


def test_the_same_form_token_stores_one_response(questionnaire, service_a):
    kwargs = {"service": service_a, "answers": _answers(questionnaire), "profile": GOOD_PROFILE, "channel": "web"}
    token = token_issue(questionnaire_version=questionnaire.version, service_code=service_a.code)
    first = response_submit(**kwargs, form_token=token)
    again = response_submit(**kwargs, form_token=token)
    assert first.pk == again.pk
    assert (first.is_repeat, again.is_repeat) == (False, True)
    assert Response.objects.count() == 1
    assert RespondentTally.objects.filter(span="d").get().count == 1


@pytest.mark.parametrize("token", ["<x>", "tok-" + "a" * 20, ""])
def test_a_token_the_server_did_not_sign_is_refused(questionnaire, service_a, token):
    with pytest.raises(ValidationError) as caught:
        response_submit(
            service=service_a, answers=_answers(questionnaire), profile=GOOD_PROFILE, channel="web", form_token=token
        )
    assert "form_token" in caught.value.message_dict
    assert not Response.objects.exists()


def test_unpublished_services_take_no_responses(questionnaire, service_a):
    service_a.is_published = False
    service_a.save()
    with pytest.raises(ValidationError) as caught:
        response_submit(service=service_a, answers=_answers(questionnaire), profile=GOOD_PROFILE, channel="web")
    assert "service" in caught.value.message_dict


def test_paper_responses_keep_their_survey_date(questionnaire, service_a, submit):
    response = submit(service_a, day=datetime.date(2026, 3, 2), channel="paper")
    assert response.day == datetime.date(2026, 3, 2)
    assert RespondentTally.objects.filter(span="d").get().day == datetime.date(2026, 3, 2)


def test_an_assisted_response_is_stored_as_assisted_and_counted_up_to_the_regency(questionnaire, service_a):
    from surveys.selectors import Scope, results

    helped = response_submit(
        service=service_a, answers=_answers(questionnaire), profile=GOOD_PROFILE, channel="web", assisted=True
    )
    alone = response_submit(service=service_a, answers=_answers(questionnaire), profile=GOOD_PROFILE, channel="web")

    helped.refresh_from_db()
    alone.refresh_from_db()
    assert (helped.assisted, alone.assisted) == (True, False)
    for scope in (Scope(service=service_a), Scope(agency=service_a.agency), Scope()):
        assert results(scope=scope).profile["assisted"] == {"ya": 1, "tidak": 1}, scope
