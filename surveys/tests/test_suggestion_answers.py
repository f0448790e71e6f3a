""" "You said, we did", the writes: an agency's operator (or a super admin) publishes an answer to
a suggestion, with the suggestion as edited for publication and free of personal data, and an
evaluator (or a super admin) takes it down again, saying why."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from conftest import test_now
from surveys.answers import published_answer_of, suggestion_answer_publish, suggestion_answer_unpublish
from surveys.models import Status, SuggestionAnswer
from surveys.privacy import personal_data_found
from surveys.selectors import published_answers
from surveys.states import responses_hold

pytestmark = pytest.mark.django_db

EDITED = "Antrean di loket KTP terlalu panjang"
ANSWER = "Kami membuka loket kedua setiap pagi sejak Juni."


@pytest.fixture
def suggestion(submit, service_a):
    return submit(service_a, suggestion="Antrean di loket KTP terlalu panjang, saya Budi dari Desa Serigeni")


def publish(response, actor, suggestion=EDITED, answer=ANSWER):
    return suggestion_answer_publish(response=response, suggestion=suggestion, answer=answer, actor=actor)


def refusal(call) -> dict[str, list[str]]:
    """The messages of the ValidationError ``call()`` raises, in English, by field."""
    with translation.override("en"), pytest.raises(ValidationError) as error:
        call()
    refused = error.value
    return refused.message_dict if hasattr(refused, "error_dict") else {"__all__": refused.messages}


# --- publishing -----------------------------------------------------------------------------


def test_operator_publishes_the_edited_suggestion_and_the_answer_dated_today(suggestion, operator_a, agency_a):
    published = publish(suggestion, operator_a)

    published.refresh_from_db()
    assert published.suggestion_text == EDITED
    assert published.answer == ANSWER
    assert published.agency == agency_a
    assert published.published_by == operator_a
    assert timezone.localtime(published.published_at).date() == test_now().date()
    assert published.is_published


def test_publishing_leaves_the_stored_suggestion_as_it_was(suggestion, operator_a):
    stored = suggestion.suggestion

    publish(suggestion, operator_a)

    suggestion.refresh_from_db()
    assert suggestion.suggestion == stored


def test_super_admin_may_publish_for_any_agency(suggestion, super_admin):
    assert publish(suggestion, super_admin).published_by == super_admin


@pytest.mark.parametrize("who", ["operator_b", "evaluator", "leader"])
def test_only_the_agencys_operator_or_a_super_admin_may_publish(who, suggestion, actors):
    with pytest.raises(PermissionDenied):
        publish(suggestion, actors[who])
    assert not SuggestionAnswer.objects.exists()


def test_an_inactive_operator_may_not_publish(suggestion, operator_a):
    operator_a.is_active = False
    with pytest.raises(PermissionDenied):
        publish(suggestion, operator_a)
    assert not SuggestionAnswer.objects.exists()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hubungi saya di 0812-3456-7890", "a phone number"),
        ("Balas ke budi.s@mail.co.id ya", "an email address"),
        ("NIK saya 1602 0312 8501 0004", "a 16-digit NIK-like number"),
    ],
)
def test_a_suggestion_with_personal_data_is_refused_and_nothing_stored(text, kind, suggestion, operator_a):
    assert refusal(lambda: publish(suggestion, operator_a, suggestion=text)) == {
        "suggestion": [f"This text contains {kind}. Remove it before publishing: everyone can read this page."]
    }
    assert not SuggestionAnswer.objects.exists()


def test_an_answer_with_personal_data_is_refused_and_nothing_stored(suggestion, operator_a):
    message = refusal(
        lambda: publish(suggestion, operator_a, answer="Sudah kami telepon ke 0812 3456 7890 dan surel ke a@b.id")
    )["answer"][0]
    assert message.startswith("This text contains an email address, a phone number.")
    assert not SuggestionAnswer.objects.exists()


def test_the_stored_masked_suggestion_can_be_published_as_it_is(submit, service_a, operator_a):
    response = submit(service_a, suggestion="Tolong hubungi 0812-3456-7890, loket sering tutup")

    published = publish(response, operator_a, suggestion=response.suggestion)

    assert "0812" not in published.suggestion_text
    assert published.suggestion_text == response.suggestion


def test_ordinary_numbers_in_a_suggestion_are_accepted(suggestion, operator_a):
    text = "Antre 45 menit di loket 3, biaya Rp 50.000 pada 2026"
    assert publish(suggestion, operator_a, suggestion=text).suggestion_text == text


@pytest.mark.parametrize("field", ["suggestion", "answer"])
@pytest.mark.parametrize("value", ["", "   \n "])
def test_an_empty_suggestion_or_answer_is_refused_and_nothing_stored(field, value, suggestion, operator_a):
    assert refusal(lambda: publish(suggestion, operator_a, **{field: value})) == {
        field: ["Please write something here."]
    }
    assert not SuggestionAnswer.objects.exists()


def test_both_texts_are_checked_at_once(suggestion, operator_a):
    assert set(refusal(lambda: publish(suggestion, operator_a, suggestion="", answer=""))) == {"suggestion", "answer"}


def test_an_overlong_answer_is_refused_and_nothing_stored(suggestion, operator_a):
    assert refusal(lambda: publish(suggestion, operator_a, answer="x" * 2001)) == {
        "answer": ["At most 2000 characters."]
    }
    assert not SuggestionAnswer.objects.exists()


def test_texts_are_stored_trimmed(suggestion, operator_a):
    published = publish(suggestion, operator_a, suggestion="  Antrean panjang \r\n", answer="\nLoket ditambah  ")
    assert (published.suggestion_text, published.answer) == ("Antrean panjang", "Loket ditambah")


def test_a_hidden_suggestion_cannot_be_answered(suggestion, operator_a):
    suggestion.suggestion_hidden = True
    suggestion.save()

    assert refusal(lambda: publish(suggestion, operator_a)) == {
        "__all__": ["This suggestion is hidden. Show it again before answering it publicly."]
    }
    assert not SuggestionAnswer.objects.exists()


def test_a_suggestion_of_a_held_response_cannot_be_answered(suggestion, operator_a, evaluator):
    responses_hold(responses=[suggestion.pk], actor=evaluator, reason="periksa")
    suggestion.refresh_from_db()
    assert suggestion.status == Status.HELD

    assert refusal(lambda: publish(suggestion, operator_a)) == {
        "__all__": ["Only a suggestion of a counted response can be answered publicly."]
    }
    assert not SuggestionAnswer.objects.exists()


def test_publishing_again_replaces_the_published_answer_and_its_date(suggestion, operator_a, clock):
    first = publish(suggestion, operator_a)
    clock.shift(datetime.timedelta(days=3))

    again = publish(suggestion, operator_a, suggestion="Antrean panjang", answer="Loket kedua dan nomor antrean")

    assert again.pk == first.pk
    assert SuggestionAnswer.objects.count() == 1
    again.refresh_from_db()
    assert again.answer == "Loket kedua dan nomor antrean"
    assert timezone.localtime(again.published_at).date() == test_now().date() + datetime.timedelta(days=3)


# --- unpublishing ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["evaluator", "super_admin"])
def test_evaluator_or_super_admin_takes_an_answer_down_saying_why(who, suggestion, operator_a, actors, agency_a):
    published = publish(suggestion, operator_a)

    taken = suggestion_answer_unpublish(answer=published, reason="Menyebut nama warga", actor=actors[who])

    taken.refresh_from_db()
    assert not taken.is_published
    assert taken.unpublished_by == actors[who]
    assert taken.unpublish_reason == "Menyebut nama warga"
    assert timezone.localtime(taken.unpublished_at).date() == test_now().date()
    assert published_answers(agency=agency_a, limit=10) == []


@pytest.mark.parametrize("who", ["operator_a", "operator_b", "leader"])
def test_operators_and_leaders_cannot_take_an_answer_down(who, suggestion, operator_a, actors):
    published = publish(suggestion, operator_a)

    with pytest.raises(PermissionDenied):
        suggestion_answer_unpublish(answer=published, reason="Tidak perlu", actor=actors[who])

    published.refresh_from_db()
    assert published.is_published


def test_taking_down_without_a_reason_is_refused_and_the_answer_stays(suggestion, operator_a, evaluator):
    published = publish(suggestion, operator_a)

    assert refusal(lambda: suggestion_answer_unpublish(answer=published, reason="  ", actor=evaluator)) == {
        "reason": ["Please write something here."]
    }
    published.refresh_from_db()
    assert published.is_published and published.unpublished_by is None


def test_an_answer_already_taken_down_cannot_be_taken_down_again(suggestion, operator_a, evaluator, super_admin):
    published = publish(suggestion, operator_a)
    suggestion_answer_unpublish(answer=published, reason="Pertama", actor=evaluator)

    assert refusal(lambda: suggestion_answer_unpublish(answer=published, reason="Kedua", actor=super_admin)) == {
        "__all__": ["This answer is no longer published."]
    }
    published.refresh_from_db()
    assert (published.unpublish_reason, published.unpublished_by) == ("Pertama", evaluator)


def test_after_a_take_down_the_agency_may_answer_anew_and_the_old_answer_is_kept(suggestion, operator_a, evaluator):
    old = publish(suggestion, operator_a)
    suggestion_answer_unpublish(answer=old, reason="Menyebut nama warga", actor=evaluator)

    new = publish(suggestion, operator_a, answer="Loket kedua dibuka.")

    assert new.pk != old.pk
    assert published_answer_of(suggestion) == new
    old.refresh_from_db()
    assert old.unpublish_reason == "Menyebut nama warga"


def test_publishing_and_taking_down_are_in_the_audit_log(suggestion, operator_a, evaluator):
    published = publish(suggestion, operator_a)
    suggestion_answer_unpublish(answer=published, reason="Menyebut nama warga", actor=evaluator)

    entries = LogEntry.objects.get_for_object(published).order_by("timestamp", "pk")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries[0].changes_dict["answer"][1] == ANSWER
    assert entries[1].changes_dict["unpublish_reason"] == ["", "Menyebut nama warga"]


# --- what the public page reads -------------------------------------------------------------


def test_published_answers_are_the_agencys_newest_first_and_bounded(
    submit, service_a, service_b, operator_a, operator_b, evaluator, agency_a, clock
):
    for number in range(4):
        publish(submit(service_a, suggestion=f"Saran {number}"), operator_a, suggestion=f"Saran {number}")
        clock.shift(datetime.timedelta(hours=1))
    taken = publish(submit(service_a, suggestion="Saran diturunkan"), operator_a, suggestion="Saran diturunkan")
    suggestion_answer_unpublish(answer=taken, reason="Tidak pantas", actor=evaluator)
    publish(submit(service_b, suggestion="Saran OPD lain"), operator_b, suggestion="Saran OPD lain")

    rows = published_answers(agency=agency_a, limit=3)

    assert [row["suggestion"] for row in rows] == ["Saran 3", "Saran 2", "Saran 1"]
    assert set(rows[0]) == {"suggestion", "answer", "published_at"}


# --- finding personal data ------------------------------------------------------------------


def test_personal_data_found_names_each_kind_once_and_nothing_in_ordinary_text():
    with translation.override("en"):
        found = personal_data_found("wa 0812-3456-7890 atau 0813 1111 2222, NIK 1602031285010004, a@b.id")
    assert found == ["an email address", "a 16-digit NIK-like number", "a phone number"]
    assert personal_data_found("Antre 45 menit, loket 3 tutup jam 12.30, biaya Rp 50.000") == []


def test_an_answer_leaves_the_public_page_while_its_response_is_void_or_its_suggestion_hidden(
    suggestion, operator_a, evaluator, agency_a
):
    from surveys.services import suggestion_set_hidden
    from surveys.states import responses_restore, responses_void

    publish(suggestion, operator_a)
    responses_void(responses=[suggestion.pk], actor=evaluator, reason="scripted")
    assert published_answers(agency=agency_a, limit=5) == []

    responses_restore(responses=[suggestion.pk], actor=evaluator, reason="checked")
    assert [row["answer"] for row in published_answers(agency=agency_a, limit=5)] == [ANSWER]

    suggestion.refresh_from_db()
    suggestion_set_hidden(response=suggestion, hidden=True, actor=operator_a)
    assert published_answers(agency=agency_a, limit=5) == []
