"""The recommendation pages: who may open and change what, issuing from an agency's results,
the whole follow-up loop through the views (with its history and emails), refused steps and
uploads, the frozen snapshot, and the evidence files."""

import datetime
import io
import re
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from reportlab.pdfgen import canvas

from evaluations import services
from evaluations.models import (
    ActionStatus,
    EventKind,
    FollowUpEvent,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
)
from evaluations.tests.images import JPEG, PNG
from surveys import periods

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "super_admin", "evaluator", "leader", "operator_a", "operator_b")
LOGIN = "login"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ALL_FOUR_BUT = {"waktu": 1, "biaya": 2}  # with one all-4 response: waktu NRR 2.5, biaya 3.0, the rest 4.0


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def either_language(message):
    """``message`` in English and as the Indonesian default language shows it."""
    with translation.override("id"):
        return {message, gettext(message)}


def pdf(name="bukti.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="foto.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def stored_files():
    root = Path(FollowUpEvent._meta.get_field("evidence").storage.location)
    return sorted(str(path) for path in root.rglob("*") if path.is_file())


def answers(questionnaire, **low):
    return {element.code: low.get(element.code, 4) for element in questionnaire.elements.all()}


def due(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


def issue_data(period, rows=(("waktu", "Tambah loket pada jam sibuk"),), **fields):
    """The issue form as a browser sends it: three action rows unless more are given."""
    rows = list(rows) + [("", "")] * max(0, 3 - len(rows))
    data = {
        "period": period.key,
        "title": "Percepat layanan KTP-el",
        "findings": "Unsur waktu paling rendah pada semester ini.",
        "due_date": due().isoformat(),
        "actions-TOTAL_FORMS": str(len(rows)),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
    }
    for number, (code, text) in enumerate(rows):
        data[f"actions-{number}-element_code"] = code
        data[f"actions-{number}-text"] = text
    data.update(fields)
    return data


def step(action, name, **fields):
    return {f"a{action.pk}-{name}-{key}": value for key, value in fields.items()}


def step_url(name, action):
    return reverse(f"evaluations:{name}", args=[action.pk])


def detail_url(recommendation):
    return reverse("evaluations:recommendation_detail", args=[recommendation.pk])


@pytest.fixture
def period():
    return periods.current_semester()


@pytest.fixture
def recommendation(evaluator, service_a, submit, questionnaire, period):
    """Issued to agency A, based on two responses; one action on ``waktu``, still open."""
    submit(service_a, answers=4)
    submit(service_a, answers=answers(questionnaire, **ALL_FOUR_BUT))
    return services.recommendation_issue(
        agency=service_a.agency,
        period=period,
        title="Percepat layanan KTP-el",
        findings="Unsur waktu paling rendah.",
        actions=[{"element_code": "waktu", "text": "Tambah loket pada jam sibuk"}],
        due_date=due(),
        actor=evaluator,
    )


@pytest.fixture
def action(recommendation):
    return recommendation.actions.get()


@pytest.fixture
def planned(action, operator_a):
    services.recommendation_acknowledge(recommendation=action.recommendation, actor=operator_a)
    return services.action_plan(
        action=action, activity="Buka loket sore", responsible="Kabid Dafduk", target_date=due(20), actor=operator_a
    )


@pytest.fixture
def evidence_event(planned, operator_a):
    return services.action_progress(action=planned, note="Loket sore dibuka", evidence=pdf(), actor=operator_a)


@pytest.fixture
def completed(planned, operator_a):
    return services.action_complete(action=planned, note="Selesai", evidence=None, actor=operator_a)


# --- who may open and post what --------------------------------------------------------------

SCOPED_READ = {"super_admin": 200, "evaluator": 200, "leader": 200, "operator_a": 200, "operator_b": 404}
EVALUATORS_ONLY = {"super_admin": 200, "evaluator": 200, "leader": 403, "operator_a": 403, "operator_b": 403}

PAGES = {
    "recommendation_list": (lambda objects: [], {**SCOPED_READ, "operator_b": 200}),
    "recommendation_issue": (lambda objects: ["OPD-A"], EVALUATORS_ONLY),
    "recommendation_detail": (lambda objects: [objects["recommendation"].pk], SCOPED_READ),
    "evidence": (lambda objects: [objects["event"].pk], SCOPED_READ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_answers_each_role_as_the_access_policy_says(name, role, client_for, actors, evidence_event):
    args, expected_by_role = PAGES[name]
    objects = {"recommendation": evidence_event.recommendation, "event": evidence_event}
    response = client_for(actors.get(role)).get(reverse(f"evaluations:{name}", args=args(objects)))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected_by_role[role], f"{role} on {name}"


# Empty POSTs on an issued recommendation whose action is still open: the allowed roles reach
# the service (302 when it accepts, 200 with the refusal when it does not).
POSTS = {
    "recommendation_acknowledge": {
        "super_admin": 302,
        "evaluator": 403,
        "leader": 403,
        "operator_a": 302,
        "operator_b": 404,
    },
    "action_plan": {"super_admin": 200, "evaluator": 403, "leader": 403, "operator_a": 200, "operator_b": 404},
    "action_progress": {"super_admin": 200, "evaluator": 403, "leader": 403, "operator_a": 200, "operator_b": 404},
    "action_complete": {"super_admin": 200, "evaluator": 403, "leader": 403, "operator_a": 200, "operator_b": 404},
    "action_verify": {"super_admin": 200, "evaluator": 200, "leader": 403, "operator_a": 403, "operator_b": 403},
    "action_return": {"super_admin": 200, "evaluator": 200, "leader": 403, "operator_a": 403, "operator_b": 403},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(POSTS))
def test_each_step_answers_each_role_as_the_access_policy_says(name, role, client_for, actors, action):
    target = action.recommendation if name == "recommendation_acknowledge" else action
    response = client_for(actors.get(role)).post(reverse(f"evaluations:{name}", args=[target.pk]))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == POSTS[name][role], f"{role} on {name}"


@pytest.mark.parametrize("name", sorted(POSTS))
def test_steps_answer_only_post(name, client_for, super_admin, action):
    target = action.recommendation if name == "recommendation_acknowledge" else action
    assert client_for(super_admin).get(reverse(f"evaluations:{name}", args=[target.pk])).status_code == 405


def test_operator_of_another_agency_gets_404_on_the_recommendation_its_steps_and_evidence(
    client_for, operator_b, evidence_event
):
    action = evidence_event.action
    client = client_for(operator_b)
    assert client.get(detail_url(action.recommendation)).status_code == 404
    assert client.get(reverse("evaluations:evidence", args=[evidence_event.pk])).status_code == 404
    for name in ("action_plan", "action_progress", "action_complete"):
        data = step(action, name.removeprefix("action_"), note="x", activity="x", responsible="x")
        assert client.post(step_url(name, action), data).status_code == 404, name
    acknowledge = client.post(reverse("evaluations:recommendation_acknowledge", args=[action.recommendation.pk]))
    assert acknowledge.status_code == 404
    assert FollowUpEvent.objects.filter(actor=operator_b).count() == 0


def test_evaluator_side_steps_refuse_any_operator_alike_so_nothing_is_revealed(client_for, operator_b, completed):
    client = client_for(operator_b)
    for name in ("action_verify", "action_return"):
        existing = client.post(step_url(name, completed), step(completed, "return", reason="x"))
        missing = client.post(reverse(f"evaluations:{name}", args=[completed.pk + 1000]))
        assert existing.status_code == missing.status_code == 403
    assert RecommendationAction.objects.get(pk=completed.pk).status == ActionStatus.COMPLETED


def test_leader_reads_everything_but_sees_no_forms_and_every_post_is_refused(client_for, leader, completed):
    client = english(client_for(leader))
    response = client.get(detail_url(completed.recommendation))
    assert response.status_code == 200
    assert "Percepat layanan KTP-el" in page_text(response)
    assert 'method="post"' not in response.content.decode().split('id="main"')[1].split("</main>")[0]
    posts = {
        "recommendation_acknowledge": ({}, completed.recommendation),
        "action_plan": (step(completed, "plan", activity="a", responsible="b", target_date=due().isoformat()), None),
        "action_progress": (step(completed, "progress", note="n"), None),
        "action_complete": (step(completed, "complete", note="n"), None),
        "action_verify": (step(completed, "verify", note="n"), None),
        "action_return": (step(completed, "return", reason="r"), None),
    }
    for name, (data, target) in posts.items():
        assert client.post(reverse(f"evaluations:{name}", args=[(target or completed).pk]), data).status_code == 403
    assert RecommendationAction.objects.get(pk=completed.pk).status == ActionStatus.COMPLETED
    assert not FollowUpEvent.objects.filter(actor=leader).exists()


# --- the list ---------------------------------------------------------------------------------


def test_operator_lists_only_their_agency_recommendations(client_for, operator_a, operator_b, recommendation):
    assert recommendation.title in page_text(client_for(operator_a).get(reverse("evaluations:recommendation_list")))
    other = page_text(client_for(operator_b).get(reverse("evaluations:recommendation_list")))
    assert recommendation.title not in other


def test_list_marks_overdue_in_words_and_counts_verified_actions(client_for, evaluator, recommendation):
    Recommendation.objects.filter(pk=recommendation.pk).update(due_date=timezone.localdate() - datetime.timedelta(1))
    response = english(client_for(evaluator)).get(reverse("evaluations:recommendation_list"))
    row = re.search(rf'<tr id="recommendation-{recommendation.pk}".*?</tr>', response.content.decode(), re.S)[0]
    assert "Overdue" in row
    assert "0/1" in row
    assert "Dinas Kependudukan" in row
    assert periods.current_semester().key not in row  # the period is shown by its label
    with translation.override("en"):
        assert periods.current_semester().label in row


def test_list_filters_by_status_agency_and_overdue(client_for, evaluator, recommendation, service_b, submit, period):
    other = services.recommendation_issue(
        agency=service_b.agency,
        period=period,
        title="Perbaiki sarana OSS",
        findings="Sarana kurang.",
        actions=[{"element_code": "sarana", "text": "Tambah komputer"}],
        due_date=due(),
        actor=evaluator,
    )
    Recommendation.objects.filter(pk=other.pk).update(due_date=timezone.localdate() - datetime.timedelta(1))
    client = client_for(evaluator)
    url = reverse("evaluations:recommendation_list")
    by_agency = page_text(client.get(url, {"agency": "OPD-B"}))
    assert other.title in by_agency and recommendation.title not in by_agency
    overdue = page_text(client.get(url, {"overdue": "on"}))
    assert other.title in overdue and recommendation.title not in overdue
    acknowledged = page_text(client.get(url, {"status": "acknowledged"}))
    assert other.title not in acknowledged and recommendation.title not in acknowledged
    issued = page_text(client.get(url, {"status": "issued"}))
    assert other.title in issued and recommendation.title in issued


def test_operator_list_offers_no_agency_filter(client_for, operator_a, recommendation):
    response = client_for(operator_a).get(reverse("evaluations:recommendation_list"), {"agency": "OPD-B"})
    assert 'name="agency"' not in response.content.decode()
    assert recommendation.title in page_text(response)


# --- issuing ----------------------------------------------------------------------------------


def test_issue_page_proposes_the_weakest_elements_first(
    client_for, evaluator, service_a, submit, questionnaire, period
):
    submit(service_a, answers=4)
    submit(service_a, answers=answers(questionnaire, **ALL_FOUR_BUT))
    response = english(client_for(evaluator)).get(
        reverse("evaluations:recommendation_issue", args=["OPD-A"]), {"periode": period.key}
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    proposed = [form.initial.get("element_code") for form in formset.forms]
    assert proposed[:2] == ["waktu", "biaya"]
    assert len([code for code in proposed if code]) == 10  # every answered element, then blank rows
    assert proposed[-1] is None
    text = page_text(response)
    assert "2.500" in text and "3.000" in text  # NRR of waktu and biaya
    with translation.override("en"):
        assert period.label in text


def test_issue_page_defaults_to_the_last_ended_semester_and_says_so(client_for, evaluator, agency_a):
    today = timezone.localdate()
    expected = periods.semester(today.year, 1) if today.month > 6 else periods.semester(today.year - 1, 2)
    response = english(client_for(evaluator)).get(reverse("evaluations:recommendation_issue", args=["OPD-A"]))
    assert response.context["period"] == expected
    text = page_text(response)
    assert "the last semester that has ended" in text
    with translation.override("en"):
        assert expected.label in text
    assert "No survey responses in this period yet." in text


def test_issue_page_explains_an_unreadable_period(client_for, evaluator, agency_a):
    response = english(client_for(evaluator)).get(
        reverse("evaluations:recommendation_issue", args=["OPD-A"]), {"periode": "2026-S3"}
    )
    assert response.status_code == 200
    assert any("A year has two semesters." in message for message in messages_of(response))


def test_results_page_links_evaluators_to_issue_for_its_period(client_for, evaluator, operator_a, leader, agency_a):
    url = reverse("results:agency", args=["OPD-A"])
    link = reverse("evaluations:recommendation_issue", args=["OPD-A"]) + "?periode=2025-S2"
    assert link in client_for(evaluator).get(url, {"period": "2025-S2"}).content.decode()
    for user in (operator_a, leader):
        assert reverse("evaluations:recommendation_issue", args=["OPD-A"]) not in (
            client_for(user).get(url).content.decode()
        )


def test_evaluator_issues_a_recommendation_and_the_operators_are_told(
    client_for, evaluator, operator_a, operator_b, service_a, submit, period, django_capture_on_commit_callbacks
):
    submit(service_a, answers=3)
    client = english(client_for(evaluator))
    rows = [("waktu", "Tambah loket"), ("biaya", ""), ("", "Pasang papan informasi")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evaluations:recommendation_issue", args=["OPD-A"]), issue_data(period, rows=rows)
        )
    recommendation = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(recommendation)
    assert recommendation.period_key == period.key
    assert recommendation.issued_by == evaluator
    assert [(a.element_code, a.text) for a in recommendation.actions.all()] == [
        ("waktu", "Tambah loket"),
        ("", "Pasang papan informasi"),
    ]  # the row without text is ignored
    assert recommendation.snapshot["respondents"] == 1
    assert [message.to for message in mail.outbox] == [["operator.a@example.org"]]
    assert recommendation.title in mail.outbox[0].subject
    assert any(word in mail.outbox[0].subject for word in either_language("New recommendation"))
    shown = client.get(response["Location"])
    assert any("issued" in message for message in messages_of(shown))


@pytest.mark.parametrize(
    ("fields", "rows", "field", "message"),
    [
        ({"title": ""}, None, "title", "This field is required."),
        ({"findings": ""}, None, "findings", "This field is required."),
        ({"due_date": "2020-01-01"}, None, "due_date", "The due date is in the past."),
        ({"due_date": "31-31-2026"}, None, "due_date", "Enter a valid date."),
        ({}, [("waktu", ""), ("", "")], None, "Give at least one recommended action."),
        ({"actions-0-element_code": "bukan-unsur"}, None, None, "Select a valid choice."),
    ],
)
def test_issue_errors_are_shown_by_field_and_nothing_is_stored(
    client_for, evaluator, agency_a, period, fields, rows, field, message
):
    data = issue_data(period, **fields) if rows is None else issue_data(period, rows=rows, **fields)
    response = english(client_for(evaluator)).post(reverse("evaluations:recommendation_issue", args=["OPD-A"]), data)
    assert response.status_code == 200
    assert message in page_text(response)
    if field:
        with translation.override("en"):
            assert message in response.context["form"].errors[field]
    assert not Recommendation.objects.exists()
    assert mail.outbox == []


def test_issue_with_a_tampered_period_is_refused(client_for, evaluator, agency_a, period):
    data = {**issue_data(period), "period": "nonsense"}
    response = english(client_for(evaluator)).post(reverse("evaluations:recommendation_issue", args=["OPD-A"]), data)
    assert response.status_code == 200
    assert any("Unknown period" in message for message in messages_of(response))
    assert not Recommendation.objects.exists()


def test_issue_for_an_unknown_agency_is_404(client_for, evaluator, agency_a):
    assert client_for(evaluator).get(reverse("evaluations:recommendation_issue", args=["NOPE"])).status_code == 404


# --- the recommendation page ------------------------------------------------------------------


def test_detail_shows_the_frozen_snapshot_not_live_numbers(client_for, evaluator, recommendation, service_a, submit):
    for _ in range(3):
        submit(service_a, answers=1)
    response = english(client_for(evaluator)).get(detail_url(recommendation))
    text = response.content.decode()
    assert re.search(r'id="snapshot-respondents">2<', text)
    assert re.search(rf'id="snapshot-score">{re.escape(recommendation.snapshot["score"])}<', text)
    assert re.search(r'id="snapshot-grade">A<', text)
    assert re.search(r'id="snapshot-waktu">.*?2\.500', text, re.S)
    assert recommendation.snapshot == Recommendation.objects.get(pk=recommendation.pk).snapshot


def current_quarter():
    today = timezone.localdate()
    return periods.quarter(today.year, (today.month - 1) // 3 + 1)


def issue_in(language, evaluator, service_a, period):
    """A recommendation issued by an evaluator whose pages are in ``language``."""
    with translation.override(language):
        return services.recommendation_issue(
            agency=service_a.agency,
            period=period,
            title="Percepat layanan KTP-el",
            findings="Unsur waktu paling rendah.",
            actions=[{"element_code": "waktu", "text": "Tambah loket pada jam sibuk"}],
            due_date=due(),
            actor=evaluator,
        )


def snapshot_section(response):
    return page_text(response).split('id="snapshot"')[1].split("</section>")[0]


def test_english_reader_sees_the_snapshot_with_english_element_names_and_period_label(
    client_for, evaluator, leader, service_a, submit, questionnaire
):
    quarter = current_quarter()
    submit(service_a, answers=4)
    recommendation = issue_in("id", evaluator, service_a, quarter)
    waktu = questionnaire.elements.get(code="waktu")
    number = (quarter.start.month - 1) // 3 + 1
    roman = ["I", "II", "III", "IV"][number - 1]

    response = english(client_for(leader)).get(detail_url(recommendation))
    shown = snapshot_section(response)

    assert f"Survey results of Quarter {roman} {quarter.start.year}," in shown
    row = shown.split('id="snapshot-waktu"')[1].split("</tr>")[0]
    assert "Completion time" in row
    assert waktu.question_en in row
    assert "A (Very good)" in row
    assert "Waktu Penyelesaian" not in shown
    assert waktu.question_id not in shown
    assert "Triwulan" not in page_text(response)
    assert f"Quarter {roman} {quarter.start.year}" in page_text(response).split('class="rec-meta"')[1]


def test_indonesian_reader_sees_indonesian_words_for_a_recommendation_issued_in_english(
    client_for, evaluator, operator_a, service_a, submit, questionnaire
):
    quarter = current_quarter()
    submit(service_a, answers=4)
    recommendation = issue_in("en", evaluator, service_a, quarter)
    waktu = questionnaire.elements.get(code="waktu")

    shown = snapshot_section(client_for(operator_a).get(detail_url(recommendation)))

    assert f"Triwulan {['I', 'II', 'III', 'IV'][(quarter.start.month - 1) // 3]} {quarter.start.year}" in shown
    row = shown.split('id="snapshot-waktu"')[1].split("</tr>")[0]
    assert "Waktu Penyelesaian" in row
    assert waktu.question_id in row
    assert "Completion time" not in shown
    assert waktu.question_en not in shown
    assert "Quarter" not in shown


def test_words_frozen_in_an_older_snapshot_give_way_to_the_readers_language(
    client_for, evaluator, service_a, submit, questionnaire
):
    """Snapshots taken before they held codes only carried names, questions and the period's
    label in the issuer's language; the page words them afresh and needs no migration."""
    submit(service_a, answers=4)
    recommendation = issue_in("id", evaluator, service_a, current_quarter())
    snapshot = dict(recommendation.snapshot)
    snapshot["period_label"] = "Triwulan beku"
    snapshot["elements"] = [
        {**element, "name": f"Nama beku {element['code']}", "question": "Pertanyaan beku"}
        for element in snapshot["elements"]
    ]
    Recommendation.objects.filter(pk=recommendation.pk).update(snapshot=snapshot)

    shown = snapshot_section(english(client_for(evaluator)).get(detail_url(recommendation)))

    assert "Completion time" in shown.split('id="snapshot-waktu"')[1].split("</tr>")[0]
    assert "beku" not in shown


def test_operator_sees_acknowledge_first_and_no_plan_form_until_then(client_for, operator_a, action):
    client = english(client_for(operator_a))
    before = client.get(detail_url(action.recommendation))
    assert "Acknowledge the recommendation" in page_text(before)
    assert f'id="a{action.pk}-plan"' not in before.content.decode()
    client.post(reverse("evaluations:recommendation_acknowledge", args=[action.recommendation.pk]))
    after = client.get(detail_url(action.recommendation)).content.decode()
    assert f'id="a{action.pk}-plan"' in after
    assert f'id="a{action.pk}-complete"' not in after  # nothing to report before a plan
    assert 'id="rec-acknowledge"' not in after


def test_evaluator_sees_verify_and_return_only_for_an_action_reported_complete(
    client_for, evaluator, operator_a, planned
):
    client = client_for(evaluator)
    page = client.get(detail_url(planned.recommendation)).content.decode()
    assert f'id="a{planned.pk}-verify"' not in page and f'id="a{planned.pk}-plan"' not in page
    services.action_complete(action=planned, note="Selesai", evidence=None, actor=operator_a)
    page = client.get(detail_url(planned.recommendation)).content.decode()
    assert f'id="a{planned.pk}-verify"' in page and f'id="a{planned.pk}-return"' in page
    assert f'id="a{planned.pk}-complete"' not in page


def test_super_admin_sees_both_sides_forms(client_for, super_admin, planned):
    page = client_for(super_admin).get(detail_url(planned.recommendation)).content.decode()
    assert f'id="a{planned.pk}-plan"' in page and f'id="a{planned.pk}-complete"' in page


# --- the whole loop through the views ---------------------------------------------------------


def test_the_whole_loop_from_issue_to_verification(
    client_for,
    evaluator,
    operator_a,
    super_admin,
    service_a,
    submit,
    questionnaire,
    period,
    django_capture_on_commit_callbacks,
):
    submit(service_a, answers=4)
    submit(service_a, answers=answers(questionnaire, **ALL_FOUR_BUT))

    def as_(user, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = english(client_for(user)).post(url, data or {})
        assert response.status_code == 302, messages_of(response) if response.context else response
        return response

    def history():
        return [(event.kind, event.actor.username) for event in recommendation.events.all()]

    def state():
        action.refresh_from_db()
        recommendation.refresh_from_db()
        return recommendation.status, action.status

    as_(evaluator, reverse("evaluations:recommendation_issue", args=["OPD-A"]), issue_data(period))
    recommendation = Recommendation.objects.get()
    action = recommendation.actions.get()
    snapshot = dict(recommendation.snapshot)
    assert state() == (RecommendationStatus.ISSUED, ActionStatus.OPEN)
    assert mail.outbox[-1].to == ["operator.a@example.org"]

    as_(operator_a, reverse("evaluations:recommendation_acknowledge", args=[recommendation.pk]))
    assert state() == (RecommendationStatus.ACKNOWLEDGED, ActionStatus.OPEN)
    assert mail.outbox[-1].to == ["evaluator@example.org"]
    assert any(word in mail.outbox[-1].subject for word in either_language("Recommendation acknowledged"))

    sent = len(mail.outbox)
    plan = step(action, "plan", activity="Buka loket sore", responsible="Kabid Dafduk", target_date=due(20))
    response = as_(operator_a, step_url("action_plan", action), plan)
    assert response["Location"] == f"{detail_url(recommendation)}#action-{action.pk}"
    assert state() == (RecommendationStatus.IN_PROGRESS, ActionStatus.PLANNED)
    assert action.plan_responsible == "Kabid Dafduk"

    as_(operator_a, step_url("action_progress", action), step(action, "progress", note="Loket dibuka", evidence=pdf()))
    assert state() == (RecommendationStatus.IN_PROGRESS, ActionStatus.PLANNED)
    assert len(mail.outbox) == sent  # planning and progress tell nobody

    as_(operator_a, step_url("action_complete", action), step(action, "complete", note="Sudah", evidence=png()))
    assert state() == (RecommendationStatus.COMPLETED, ActionStatus.COMPLETED)
    assert sorted(m.to[0] for m in mail.outbox[sent:]) == ["admin@example.org", "evaluator@example.org"]
    assert all(any(w in m.subject for w in either_language("Follow-up reported complete")) for m in mail.outbox[sent:])

    as_(evaluator, step_url("action_return", action), step(action, "return", reason="Lampirkan foto loket"))
    assert state() == (RecommendationStatus.IN_PROGRESS, ActionStatus.RETURNED)
    assert action.return_reason == "Lampirkan foto loket"
    assert mail.outbox[-1].to == ["operator.a@example.org"]
    assert any(word in mail.outbox[-1].subject for word in either_language("Follow-up returned"))
    returned_page = page_text(english(client_for(operator_a)).get(detail_url(recommendation)))
    assert "Lampirkan foto loket" in returned_page

    as_(operator_a, step_url("action_progress", action), step(action, "progress", note="Foto ditambahkan"))
    assert state() == (RecommendationStatus.IN_PROGRESS, ActionStatus.PLANNED)
    as_(operator_a, step_url("action_complete", action), step(action, "complete", note="Lengkap", evidence=pdf()))
    assert state() == (RecommendationStatus.COMPLETED, ActionStatus.COMPLETED)

    as_(evaluator, step_url("action_verify", action), step(action, "verify", note="Terima kasih"))
    assert state() == (RecommendationStatus.VERIFIED, ActionStatus.VERIFIED)
    assert mail.outbox[-1].to == ["operator.a@example.org"]
    assert any(word in mail.outbox[-1].subject for word in either_language("Follow-up verified"))

    assert history() == [
        (EventKind.ISSUED, "evaluator"),
        (EventKind.ACKNOWLEDGED, "operator.a"),
        (EventKind.PLANNED, "operator.a"),
        (EventKind.PROGRESS, "operator.a"),
        (EventKind.COMPLETED, "operator.a"),
        (EventKind.RETURNED, "evaluator"),
        (EventKind.PROGRESS, "operator.a"),
        (EventKind.COMPLETED, "operator.a"),
        (EventKind.VERIFIED, "evaluator"),
    ]
    assert [e.evidence_type for e in recommendation.events.exclude(evidence="")] == [
        "application/pdf",
        "image/png",
        "application/pdf",
    ]

    submit(service_a, answers=1)  # more responses after issuing change nothing on the recommendation
    recommendation.refresh_from_db()
    assert recommendation.snapshot == snapshot

    page = english(client_for(operator_a)).get(detail_url(recommendation))
    text = page_text(page)
    assert re.search(r'id="rec-status">Verified<', page.content.decode())
    assert "Lampirkan foto loket" in text and "Terima kasih" in text  # the history keeps every note
    assert len(re.findall(r'href="/kelola/bukti/\d+/"', page.content.decode())) == 3
    assert 'method="post"' not in page.content.decode().split('id="main"')[1].split("</main>")[0]


# --- refused steps ----------------------------------------------------------------------------


def test_planning_before_acknowledging_is_refused_with_the_services_message(client_for, operator_a, action):
    data = step(action, "plan", activity="a", responsible="b", target_date=due().isoformat())
    response = english(client_for(operator_a)).post(step_url("action_plan", action), data)
    assert response.status_code == 200
    assert "Acknowledge the recommendation first." in messages_of(response)
    assert RecommendationAction.objects.get(pk=action.pk).status == ActionStatus.OPEN
    assert not FollowUpEvent.objects.filter(kind=EventKind.PLANNED).exists()


def test_completing_before_acknowledging_is_refused(client_for, operator_a, action):
    response = english(client_for(operator_a)).post(
        step_url("action_complete", action), step(action, "complete", note="x")
    )
    assert "Acknowledge the recommendation first." in messages_of(response)
    assert RecommendationAction.objects.get(pk=action.pk).status == ActionStatus.OPEN


def test_progress_without_a_plan_is_refused(client_for, operator_a, action):
    services.recommendation_acknowledge(recommendation=action.recommendation, actor=operator_a)
    response = english(client_for(operator_a)).post(
        step_url("action_progress", action), step(action, "progress", note="x")
    )
    assert any("Set a plan before reporting progress" in message for message in messages_of(response))
    assert not FollowUpEvent.objects.filter(kind=EventKind.PROGRESS).exists()


def test_verifying_an_action_that_is_only_planned_is_refused(client_for, evaluator, planned):
    response = english(client_for(evaluator)).post(step_url("action_verify", planned), step(planned, "verify"))
    assert response.status_code == 200
    assert "Only an action reported complete can be verified or returned." in messages_of(response)
    assert RecommendationAction.objects.get(pk=planned.pk).status == ActionStatus.PLANNED


def test_completing_twice_is_refused(client_for, operator_a, completed):
    response = english(client_for(operator_a)).post(
        step_url("action_complete", completed), step(completed, "complete", note="x")
    )
    assert "Only a planned or returned action can be reported complete." in messages_of(response)
    assert FollowUpEvent.objects.filter(kind=EventKind.COMPLETED).count() == 1


def test_replanning_a_completed_action_is_refused(client_for, operator_a, completed):
    data = step(completed, "plan", activity="a", responsible="b", target_date=due().isoformat())
    response = english(client_for(operator_a)).post(step_url("action_plan", completed), data)
    assert any("its plan can no longer change" in message for message in messages_of(response))
    assert RecommendationAction.objects.get(pk=completed.pk).plan_activity == "Buka loket sore"


def test_acknowledging_twice_is_refused(client_for, operator_a, planned):
    response = english(client_for(operator_a)).post(
        reverse("evaluations:recommendation_acknowledge", args=[planned.recommendation.pk])
    )
    assert response.status_code == 200
    assert "This recommendation has already been acknowledged." in messages_of(response)
    assert FollowUpEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_returning_without_a_reason_keeps_the_form_with_its_error(client_for, evaluator, completed):
    response = english(client_for(evaluator)).post(
        step_url("action_return", completed), step(completed, "return", reason=" ")
    )
    assert response.status_code == 200
    assert "This field is required." in page_text(response)
    assert RecommendationAction.objects.get(pk=completed.pk).status == ActionStatus.COMPLETED


def test_a_plan_with_missing_fields_comes_back_with_what_was_typed(client_for, operator_a, action):
    services.recommendation_acknowledge(recommendation=action.recommendation, actor=operator_a)
    data = step(action, "plan", activity="Buka loket sore", responsible="", target_date="")
    response = english(client_for(operator_a)).post(step_url("action_plan", action), data)
    assert response.status_code == 200
    assert "Buka loket sore" in page_text(response)
    assert page_text(response).count("This field is required.") == 2
    assert RecommendationAction.objects.get(pk=action.pk).status == ActionStatus.OPEN


# --- uploads and evidence ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("setup.exe", b"MZ\x90\x00" + b"\x00" * 64), "Only PDF, PNG or JPEG files are accepted."),
        (("catatan.pdf", b"just some text, not a PDF"), "Only PDF, PNG or JPEG files are accepted."),
        (("besar.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)), "The file is larger than 5 MB."),
        (("foto.pdf", PNG), "The file's name does not match its content (image/png)."),
    ],
)
@pytest.mark.parametrize("name", ["progress", "complete"])
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_stored(
    client_for, operator_a, planned, upload, message, name
):
    before = stored_files()
    data = step(planned, name, note="Bukti terlampir", evidence=SimpleUploadedFile(*upload))
    response = english(client_for(operator_a)).post(step_url(f"action_{name}", planned), data)
    assert response.status_code == 200
    assert message in page_text(response).replace("&#x27;", "'")
    assert not FollowUpEvent.objects.filter(kind__in=[EventKind.PROGRESS, EventKind.COMPLETED]).exists()
    assert RecommendationAction.objects.get(pk=planned.pk).status == ActionStatus.PLANNED
    assert stored_files() == before


def test_evidence_is_served_as_a_download_with_its_type(client_for, leader, evidence_event):
    response = client_for(leader).get(reverse("evaluations:evidence", args=[evidence_event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="bukti.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_evidence_link_is_on_the_history(client_for, operator_a, evidence_event):
    page = client_for(operator_a).get(detail_url(evidence_event.recommendation)).content.decode()
    assert reverse("evaluations:evidence", args=[evidence_event.pk]) in page
    assert "bukti.pdf" in page


def test_missing_evidence_file_is_404(client_for, evaluator, evidence_event):
    evidence_event.evidence.storage.delete(evidence_event.evidence.name)
    assert client_for(evaluator).get(reverse("evaluations:evidence", args=[evidence_event.pk])).status_code == 404


def test_a_step_without_evidence_has_no_file_to_serve(client_for, evaluator, completed):
    event = FollowUpEvent.objects.get(kind=EventKind.COMPLETED)
    assert client_for(evaluator).get(reverse("evaluations:evidence", args=[event.pk])).status_code == 404


def test_detail_page_queries_do_not_grow_with_actions_and_history(
    client_for, evaluator, operator_a, service_a, submit, questionnaire, period, django_assert_max_num_queries
):
    def issued(count):
        recommendation = services.recommendation_issue(
            agency=service_a.agency,
            period=period,
            title=f"Rekomendasi {count}",
            findings="Temuan.",
            actions=[{"element_code": "waktu", "text": f"Langkah uji {n}"} for n in range(count)],
            due_date=due(),
            actor=evaluator,
        )
        services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
        # Half the actions get a plan (an event each); the others fall back on the recommendation's due date.
        for action in recommendation.actions.all()[::2]:
            services.action_plan(
                action=action, activity="Loket", responsible="Kabid", target_date=due(20), actor=operator_a
            )
        return recommendation

    submit(service_a, answers=4)
    client = client_for(operator_a)
    with django_assert_max_num_queries(200) as few:
        assert client.get(detail_url(issued(1))).status_code == 200
    many = issued(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(detail_url(many))
    assert response.status_code == 200
    assert page_text(response).count("Langkah uji") == 6


# Evidence is checked by what it holds, not only by its first bytes: a PDF with JavaScript or a
# launch action, an image that does not decode and a PNG with a page hidden after its end are
# refused; any file name is stored under a short plain one.


def real_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Foto loket sore")
    page.save()
    return buffer.getvalue()


def pdf_with(catalog_entries: bytes) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R " + catalog_entries + b" >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def compressed_object_stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return (
        b"%PDF-1.5\n3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n"
        + pdf_with(b"")[9:]
    )


HOSTILE = {
    "PDF opening with JavaScript": ("bukti.pdf", pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")),
    "PDF with a launch action": ("bukti.pdf", pdf_with(b"/OpenAction << /S /Launch /F (cmd.exe) >>")),
    "PDF naming JS in hex escapes": ("bukti.pdf", pdf_with(b"/AA << /O << /S /J#61vaScript /J#53 (x) >> >>")),
    "PDF hiding JavaScript in a compressed object stream": (
        "bukti.pdf",
        compressed_object_stream(b"4 0 << /S /JavaScript /JS (app.launchURL('x')) >>"),
    ),
    "PNG signature then HTML": ("foto.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
    "real PNG then HTML": ("foto.png", PNG + b"<html><script>alert(1)</script></html>"),
    "JPEG signature then HTML": ("foto.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>"),
    "truncated JPEG": ("foto.jpg", JPEG[: len(JPEG) // 2]),
}
MESSAGES = {
    "PDF": "The PDF contains JavaScript or an action that starts a program; save it again without them.",
    "PNG": "The file cannot be read as a PNG image.",
    "JPEG": "The file cannot be read as a JPEG image.",
}


@pytest.mark.parametrize("label", sorted(HOSTILE))
def test_hostile_evidence_is_refused_with_a_message_and_nothing_stored(client_for, operator_a, planned, label):
    name, content = HOSTILE[label]
    before = stored_files()
    data = step(planned, "progress", note="Bukti terlampir", evidence=SimpleUploadedFile(name, content))

    response = english(client_for(operator_a)).post(step_url("action_progress", planned), data)

    assert response.status_code == 200
    kind = next(kind for kind in MESSAGES if kind in label)
    assert MESSAGES[kind] in page_text(response).replace("&#x27;", "'")
    assert not FollowUpEvent.objects.filter(action=planned, kind="progress").exists()
    assert stored_files() == before


@pytest.mark.parametrize(
    ("name", "content"),
    [("laporan.pdf", real_pdf()), ("foto.png", PNG), ("foto.jpg", JPEG)],
    ids=["pdf", "png", "jpeg"],  # not the bytes: a fresh PDF differs in each xdist worker
)
def test_real_pdfs_and_images_are_stored(operator_a, planned, name, content):
    event = services.action_progress(
        action=planned, note="Bukti", evidence=SimpleUploadedFile(name, content), actor=operator_a
    )

    assert event.evidence.read() == content


def test_a_long_dotted_name_is_stored_under_a_short_plain_one_and_shown_shortened(client_for, operator_a, planned):
    name = "laporan." * 60 + "final (revisi 2)?.pdf"
    data = step(planned, "progress", note="Bukti", evidence=SimpleUploadedFile(name, real_pdf()))

    response = client_for(operator_a).post(step_url("action_progress", planned), data)

    assert response.status_code == 302
    event = FollowUpEvent.objects.get(action=planned, kind="progress")
    stored = event.evidence.name.rsplit("/", 1)[1]
    assert stored.startswith("laporan-laporan-") and stored.endswith(".pdf") and stored.count(".") == 1
    assert len(event.evidence.name) <= FollowUpEvent._meta.get_field("evidence").max_length
    assert len(event.evidence_name) <= 100 and event.evidence_name.endswith(".pdf")


def test_a_storage_refusal_is_a_message_on_the_form(client_for, operator_a, planned, monkeypatch):
    def refuse(self, name, content, max_length=None):
        raise SuspiciousFileOperation("Storage can not find an available filename")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    data = step(planned, "progress", note="Bukti", evidence=SimpleUploadedFile("bukti.pdf", real_pdf()))

    response = english(client_for(operator_a)).post(step_url("action_progress", planned), data)

    assert response.status_code == 200
    assert "The file could not be stored; rename it and try again." in page_text(response)
    assert not FollowUpEvent.objects.filter(action=planned, kind="progress").exists()


def test_a_refused_name_at_the_request_attachment_is_a_message_too(operator_a, monkeypatch):
    monkeypatch.setattr(FileSystemStorage, "save", lambda *args, **kwargs: (_ for _ in ()).throw(OSError("full")))

    with pytest.raises(ValidationError) as refused:
        services.request_create(
            actor=operator_a,
            category="fix",
            subject="Perbaikan",
            description="Mohon diperbaiki",
            attachment=SimpleUploadedFile("layar.png", PNG),
        )

    assert "attachment" in refused.value.message_dict
