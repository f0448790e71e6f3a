""" "You said, we did", the pages: an operator publishes an answer from the suggestions page, the
agency's staff read the answers, an evaluator takes one down, and the agency's public results
page shows the published answers and the follow-up carried out in plain words, never the
suggestion as stored."""

import datetime
import html
import re

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone, translation

from conftest import test_now
from evaluations import services as evaluation
from surveys.answers import suggestion_answer_publish, suggestion_answer_unpublish
from surveys.models import SuggestionAnswer
from surveys.periods import current_semester

pytestmark = pytest.mark.django_db

STORED = "Antrean KTP panjang sekali, saya Budi RT 03 Desa Serigeni"
EDITED = "Antrean KTP panjang sekali"
ANSWER = "Kami membuka loket kedua setiap pagi."


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def as_(client_for, user):
    return english(client_for(user))


def answer_url(response):
    return reverse("results:suggestion_answer", args=[response.pk])


def list_url(code="OPD-A"):
    return reverse("results:suggestion_answers", args=[code])


def unpublish_url(answer):
    return reverse("results:suggestion_answer_unpublish", args=[answer.pk])


def public_url(code="OPD-A"):
    return reverse("public_results:agency", args=[code])


def long_date(value):
    with translation.override("en"):
        return formats.date_format(timezone.localtime(value).date() if hasattr(value, "hour") else value, "j F Y")


@pytest.fixture
def suggestion(submit, service_a):
    return submit(service_a, suggestion=STORED)


@pytest.fixture
def published(suggestion, operator_a):
    return suggestion_answer_publish(response=suggestion, suggestion=EDITED, answer=ANSWER, actor=operator_a)


# --- publishing -----------------------------------------------------------------------------


def test_the_form_is_filled_in_with_the_stored_suggestion(client_for, operator_a, suggestion):
    response = as_(client_for, operator_a).get(answer_url(suggestion))

    assert response.status_code == 200
    assert response.context["form"]["suggestion"].value() == STORED
    assert "The suggestion as received (not published)" in page_text(response)


def test_operator_publishes_an_answer_and_sees_it_listed(client_for, operator_a, suggestion):
    client = as_(client_for, operator_a)

    response = client.post(answer_url(suggestion), {"suggestion": EDITED, "answer": ANSWER}, follow=True)

    assert response.redirect_chain[-1][0] == list_url()
    text = page_text(response)
    assert "The answer is published on the agency's public results page." in text
    assert EDITED in text and ANSWER in text
    stored = SuggestionAnswer.objects.get()
    assert (stored.response, stored.suggestion_text, stored.answer) == (suggestion, EDITED, ANSWER)


def test_publishing_is_audited_with_the_operator_as_actor(client_for, operator_a, suggestion):
    as_(client_for, operator_a).post(answer_url(suggestion), {"suggestion": EDITED, "answer": ANSWER})

    entry = LogEntry.objects.get_for_object(SuggestionAnswer.objects.get()).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == operator_a


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Telepon saya 0812-3456-7890", "a phone number"),
        ("Surel budi@contoh.id", "an email address"),
        ("NIK 1602031285010004", "a 16-digit NIK-like number"),
    ],
)
def test_personal_data_in_the_suggestion_is_refused_with_a_message(text, kind, client_for, operator_a, suggestion):
    response = as_(client_for, operator_a).post(answer_url(suggestion), {"suggestion": text, "answer": ANSWER})

    assert response.status_code == 200
    assert response.context["form"].errors["suggestion"] == [
        f"This text contains {kind}. Remove it before publishing: everyone can read this page."
    ]
    assert ANSWER in page_text(response)  # what the operator wrote is kept for the correction
    assert not SuggestionAnswer.objects.exists()


def test_an_empty_answer_is_refused_with_a_message(client_for, operator_a, suggestion):
    response = as_(client_for, operator_a).post(answer_url(suggestion), {"suggestion": EDITED, "answer": ""})

    assert response.status_code == 200
    assert '<p class="error" id="id_answer_error">This field is required.</p>' in page_text(response)
    assert not SuggestionAnswer.objects.exists()


def test_a_hidden_suggestion_is_refused_with_a_message(client_for, operator_a, suggestion):
    suggestion.suggestion_hidden = True
    suggestion.save()

    response = as_(client_for, operator_a).post(answer_url(suggestion), {"suggestion": EDITED, "answer": ANSWER})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This suggestion is hidden. Show it again before answering it publicly."
    ]
    assert not SuggestionAnswer.objects.exists()


def test_the_form_of_an_answered_suggestion_shows_the_published_texts(client_for, operator_a, published):
    response = as_(client_for, operator_a).get(answer_url(published.response))

    assert response.context["form"]["suggestion"].value() == EDITED
    assert response.context["form"]["answer"].value() == ANSWER
    assert "Publishing again replaces it and its date." in page_text(response)


def test_operator_of_another_agency_gets_404_for_everything_of_this_agency(client_for, operator_b, published):
    client = as_(client_for, operator_b)

    assert client.get(answer_url(published.response)).status_code == 404
    assert client.post(answer_url(published.response), {"suggestion": "x", "answer": "y"}).status_code == 404
    assert client.get(list_url()).status_code == 404
    published.refresh_from_db()
    assert published.answer == ANSWER


@pytest.mark.parametrize("who", ["leader", "evaluator"])
def test_leader_and_evaluator_cannot_publish(who, client_for, actors, suggestion):
    client = as_(client_for, actors[who])

    assert client.post(answer_url(suggestion), {"suggestion": EDITED, "answer": ANSWER}).status_code == 403
    assert not SuggestionAnswer.objects.exists()


def test_suggestions_page_offers_publishing_and_marks_answered_suggestions(client_for, operator_a, published, submit):
    other = submit(published.response.service, suggestion="Ruang tunggu panas")

    text = page_text(as_(client_for, operator_a).get(reverse("results:suggestions", args=["OPD-A"])))

    answered_row = text.split(f'id="suggestion-{published.response.pk}"')[1].split("</tr>")[0]
    open_row = text.split(f'id="suggestion-{other.pk}"')[1].split("</tr>")[0]
    assert "answer published" in answered_row and "Edit the published answer" in answered_row
    assert "Publish an answer" in open_row and "answer published" not in open_row


def test_leader_reads_the_answers_but_is_offered_no_action(client_for, leader, published):
    client = as_(client_for, leader)

    answers = page_text(client.get(list_url()))
    suggestions = page_text(client.get(reverse("results:suggestions", args=["OPD-A"])))

    assert EDITED in answers and ANSWER in answers
    assert unpublish_url(published) not in answers
    assert answer_url(published.response) not in suggestions


# --- taking down ----------------------------------------------------------------------------


def test_evaluator_takes_an_answer_down_with_a_reason(client_for, evaluator, published):
    client = as_(client_for, evaluator)
    assert unpublish_url(published) in page_text(client.get(list_url()))

    response = client.post(unpublish_url(published), {"reason": "Menyebut nama warga"}, follow=True)

    assert response.redirect_chain[-1][0] == list_url()
    text = page_text(response)
    assert "The answer is taken off the public page. It is kept here." in text
    assert "taken off the public page" in text and "Menyebut nama warga" in text
    published.refresh_from_db()
    assert (published.unpublished_by, published.unpublish_reason) == (evaluator, "Menyebut nama warga")
    assert ANSWER not in page_text(client_for(None).get(public_url()))


def test_taking_down_without_a_reason_is_refused_with_a_message(client_for, evaluator, published):
    response = as_(client_for, evaluator).post(unpublish_url(published), {"reason": " "})

    assert response.status_code == 200
    assert '<p class="error" id="id_reason_error">This field is required.</p>' in page_text(response)
    published.refresh_from_db()
    assert published.is_published


def test_an_answer_already_taken_down_says_so(client_for, evaluator, super_admin, published):
    suggestion_answer_unpublish(answer=published, reason="Pertama", actor=evaluator)

    response = as_(client_for, super_admin).post(unpublish_url(published), {"reason": "Kedua"})

    assert response.status_code == 200
    assert "This answer is no longer published." in page_text(response)
    published.refresh_from_db()
    assert published.unpublish_reason == "Pertama"


@pytest.mark.parametrize("who", ["operator_a", "operator_b", "leader"])
def test_operators_and_leaders_cannot_take_an_answer_down(who, client_for, actors, published):
    response = as_(client_for, actors[who]).post(unpublish_url(published), {"reason": "Hapus"})

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.is_published


# --- the public page ------------------------------------------------------------------------


def test_public_page_shows_the_edited_suggestion_the_answer_and_the_date(client, published):
    text = page_text(english(client).get(public_url()))

    section = text.split('id="you-said"')[1].split("</section>")[0]
    assert EDITED in section and ANSWER in section
    assert f"Answered on {long_date(published.published_at)}" in section


def test_public_page_never_shows_the_suggestion_as_stored(client, published):
    body = client.get(public_url()).content.decode()
    assert "Budi" not in body and "Serigeni" not in body


def test_public_page_shows_answers_newest_first_and_at_most_ten(client, submit, service_a, operator_a, clock):
    for number in range(12):
        response = submit(service_a, suggestion=f"Saran {number:02d}")
        suggestion_answer_publish(
            response=response, suggestion=f"Saran {number:02d}", answer=f"Jawaban {number:02d}", actor=operator_a
        )
        clock.shift(datetime.timedelta(hours=1))

    text = page_text(client.get(public_url()))

    shown = re.findall(r"Jawaban (\d\d)", text)
    assert shown == [f"{number:02d}" for number in range(11, 1, -1)]


def test_public_page_leaves_out_answers_taken_down_and_other_agencies(
    client, published, submit, service_b, operator_b, evaluator
):
    other = suggestion_answer_publish(
        response=submit(service_b, suggestion="Saran OPD B"),
        suggestion="Saran OPD B",
        answer="Aksi OPD B",
        actor=operator_b,
    )
    suggestion_answer_unpublish(answer=published, reason="Menyebut nama", actor=evaluator)

    text = page_text(english(client).get(public_url()))

    assert ANSWER not in text and other.answer not in text
    assert "No answers to suggestions and no follow-up carried out have been published yet." in text


@pytest.fixture
def followed_up(service_a, evaluator, operator_a, clock):
    """A recommendation of agency A with three actions: one verified three days after it was
    reported complete, one reported complete, one only planned."""
    recommendation = evaluation.recommendation_issue(
        agency=service_a.agency,
        period=current_semester(),
        title="Percepat pelayanan",
        findings="Temuan internal INTERNAL-FINDING",
        actions=[
            {"element_code": "waktu", "text": "Tambah loket perekaman"},
            {"element_code": "sarana", "text": "Tambah kursi ruang tunggu"},
            {"element_code": "prosedur", "text": "Sederhanakan alur antrean"},
        ],
        due_date=timezone.localdate() + datetime.timedelta(days=60),
        actor=evaluator,
    )
    evaluation.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
    loket, kursi, alur = recommendation.actions.order_by("position")
    for action in (loket, kursi, alur):
        evaluation.action_plan(
            action=action,
            activity="Kegiatan PLAN-ACTIVITY",
            responsible="Kasi PLAN-PERSON",
            target_date=timezone.localdate() + datetime.timedelta(days=30),
            actor=operator_a,
        )
    clock.shift(datetime.timedelta(days=2))
    evaluation.action_complete(
        action=loket, note="Selesai NOTE", evidence=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n"), actor=operator_a
    )
    clock.shift(datetime.timedelta(days=3))
    evaluation.action_verify(action=loket, actor=evaluator)
    clock.shift(datetime.timedelta(days=1))
    evaluation.action_complete(
        action=kursi, note="Selesai NOTE", evidence=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n"), actor=operator_a
    )
    today = test_now().date()
    return {"verified": today + datetime.timedelta(days=5), "completed": today + datetime.timedelta(days=6)}


def test_public_page_says_in_plain_words_what_was_done_and_when(client, followed_up):
    text = page_text(english(client).get(public_url()))

    done = text.split('id="done-actions"')[1].split("</ul>")[0]
    verified = f"Done: Tambah loket perekaman — verified {long_date(followed_up['verified'])}"
    completed = (
        f"Done: Tambah kursi ruang tunggu — reported {long_date(followed_up['completed'])}, awaiting verification"
    )
    assert completed in done and verified in done
    assert done.index(completed) < done.index(verified)  # the latest carried out first
    assert "Sederhanakan alur antrean" not in done


def test_recommendation_list_words_done_actions_plainly_and_keeps_the_state_of_others(client, followed_up):
    text = page_text(english(client).get(public_url()))

    listed = text.split("Latest recommendations")[1].split("</article>")[0]
    assert f"Done: Tambah loket perekaman — verified {long_date(followed_up['verified'])}" in listed
    assert "Sederhanakan alur antrean" in listed and "Planned" in listed
    for internal in ("INTERNAL-FINDING", "PLAN-ACTIVITY", "PLAN-PERSON", "NOTE"):
        assert internal not in text
