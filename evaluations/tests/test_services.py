"""The follow-up state machine in evaluations.services: every legal step and the history it
records, every illegal step refused with a clear message (or PermissionDenied) and nothing
changed, the recommendation's status derived from its actions, the frozen snapshot, the
emails to the other side, and evidence files checked before anything is stored."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from evaluations import services
from evaluations.models import (
    ActionStatus,
    EventKind,
    FollowUpEvent,
    Recommendation,
    RecommendationStatus,
)
from evaluations.tests.images import PNG
from surveys.periods import parse

PERIOD = parse("2025-S2")
SURVEY_DAY = datetime.date(2025, 8, 14)
PDF = b"%PDF-1.4\n" + b"0" * 64


def indonesian(message: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def messages_of(excinfo) -> list[str]:
    return excinfo.value.messages


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def stored_files() -> list[Path]:
    return [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()]


def issue(evaluator, agency, **overrides) -> Recommendation:
    values = {
        "agency": agency,
        "period": PERIOD,
        "title": "Percepat penerbitan KTP-el",
        "findings": "Waktu tunggu perekaman dikeluhkan.",
        "actions": [
            {"element_code": "waktu", "text": "Tambah loket perekaman"},
            {"element_code": "sarana", "text": "Perbaiki ruang tunggu"},
        ],
        "due_date": in_days(60),
        "actor": evaluator,
    }
    return services.recommendation_issue(**{**values, **overrides})


def plan(action, actor, **overrides):
    values = {
        "action": action,
        "activity": "Membuka loket tambahan",
        "responsible": "Kepala Bidang Pelayanan",
        "target_date": in_days(30),
        "actor": actor,
    }
    return services.action_plan(**{**values, **overrides})


def complete(action, actor, note="Loket tambahan sudah beroperasi", evidence=None):
    return services.action_complete(action=action, note=note, evidence=evidence, actor=actor)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def kinds(recommendation) -> list[str]:
    return list(recommendation.events.order_by("at", "pk").values_list("kind", flat=True))


@pytest.fixture
def recommendation(evaluator, service_a, submit):
    for answer in (4, 4, 3):
        submit(service_a, answers=answer, day=SURVEY_DAY)
    return issue(evaluator, service_a.agency)


@pytest.fixture
def acknowledged(recommendation, operator_a):
    return services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)


@pytest.fixture
def first(acknowledged):
    return acknowledged.actions.get(position=1)


@pytest.fixture
def second(acknowledged):
    return acknowledged.actions.get(position=2)


@pytest.fixture
def planned(first, operator_a):
    return plan(first, operator_a)


@pytest.fixture
def completed(planned, operator_a):
    return complete(planned, operator_a)


# --- Issuing -----------------------------------------------------------------------------------------


def test_issue_creates_the_recommendation_with_its_actions_in_order(recommendation, evaluator, agency_a):
    assert recommendation.status == RecommendationStatus.ISSUED
    assert recommendation.agency == agency_a
    assert recommendation.period_key == "2025-S2"
    assert (recommendation.period_start, recommendation.period_end) == (PERIOD.start, PERIOD.end)
    assert list(recommendation.actions.values_list("position", "element_code", "text", "status")) == [
        (1, "waktu", "Tambah loket perekaman", ActionStatus.OPEN),
        (2, "sarana", "Perbaiki ruang tunggu", ActionStatus.OPEN),
    ]
    event = recommendation.events.get()
    assert (event.kind, event.actor, event.action) == (EventKind.ISSUED, evaluator, None)


def test_issue_keeps_a_snapshot_of_the_results(recommendation):
    snapshot = recommendation.snapshot

    assert snapshot["period"] == "2025-S2"
    assert snapshot["respondents"] == 3
    assert snapshot["score"] == "91.67"
    assert snapshot["grade"] == "A"
    assert {element["code"]: element["nrr"] for element in snapshot["elements"]}["waktu"] == "3.667"


def test_super_admin_may_issue_too(super_admin, agency_a, questionnaire):
    recommendation = issue(super_admin, agency_a)

    assert recommendation.issued_by == super_admin


def test_issue_ignores_blank_actions(evaluator, agency_a, questionnaire):
    recommendation = issue(
        evaluator, agency_a, actions=[{"element_code": "waktu", "text": "  "}, {"element_code": "", "text": "Satu"}]
    )

    assert list(recommendation.actions.values_list("position", "text")) == [(1, "Satu")]


def test_issue_refuses_missing_title_findings_actions_and_a_past_due_date(evaluator, agency_a, questionnaire):
    with pytest.raises(ValidationError) as excinfo:
        issue(evaluator, agency_a, title=" ", findings="", actions=[{"text": ""}], due_date=in_days(-1))

    errors = excinfo.value.message_dict
    assert errors["title"] == [indonesian("Please give the recommendation a title.")]
    assert errors["findings"] == [indonesian("Please write something here.")]
    assert errors["actions"] == [indonesian("Give at least one recommended action.")]
    assert errors["due_date"] == [indonesian("The due date is in the past.")]
    assert not Recommendation.objects.exists()
    assert not FollowUpEvent.objects.exists()


@pytest.mark.parametrize("role", ["leader", "operator_a"])
def test_only_evaluators_and_the_super_admin_may_issue(role, actors, agency_a, questionnaire):
    with pytest.raises(PermissionDenied):
        issue(actors[role], agency_a)

    assert not Recommendation.objects.exists()


# --- Acknowledging -------------------------------------------------------------------------------------


def test_operator_acknowledges_and_the_step_is_recorded(acknowledged, operator_a):
    assert acknowledged.status == RecommendationStatus.ACKNOWLEDGED
    assert acknowledged.acknowledged_by == operator_a
    assert acknowledged.acknowledged_at is not None
    assert kinds(acknowledged) == [EventKind.ISSUED, EventKind.ACKNOWLEDGED]
    assert acknowledged.events.get(kind=EventKind.ACKNOWLEDGED).actor == operator_a


def test_super_admin_may_acknowledge_for_the_agency(recommendation, super_admin):
    services.recommendation_acknowledge(recommendation=recommendation, actor=super_admin)

    assert fresh(recommendation).acknowledged_by == super_admin


def test_acknowledging_twice_is_refused(acknowledged, operator_a):
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_acknowledge(recommendation=acknowledged, actor=operator_a)

    assert messages_of(excinfo) == [indonesian("This recommendation has already been acknowledged.")]
    assert kinds(acknowledged) == [EventKind.ISSUED, EventKind.ACKNOWLEDGED]


@pytest.mark.parametrize("role", ["operator_b", "leader", "evaluator"])
def test_only_the_agencys_operator_may_acknowledge(role, actors, recommendation):
    with pytest.raises(PermissionDenied):
        services.recommendation_acknowledge(recommendation=recommendation, actor=actors[role])

    assert fresh(recommendation).status == RecommendationStatus.ISSUED
    assert kinds(recommendation) == [EventKind.ISSUED]


# --- Planning (RTL) ----------------------------------------------------------------------------------


def test_operator_sets_a_plan_and_the_recommendation_is_in_progress(planned, operator_a):
    action = fresh(planned)

    assert action.status == ActionStatus.PLANNED
    assert action.plan_activity == "Membuka loket tambahan"
    assert action.plan_responsible == "Kepala Bidang Pelayanan"
    assert action.plan_target_date == in_days(30)
    assert fresh(action.recommendation).status == RecommendationStatus.IN_PROGRESS
    event = action.events.get()
    assert (event.kind, event.actor) == (EventKind.PLANNED, operator_a)


def test_a_plan_may_be_revised_before_completion(planned, operator_a):
    plan(planned, operator_a, responsible="Sekretaris Dinas")

    assert fresh(planned).plan_responsible == "Sekretaris Dinas"
    assert list(planned.events.values_list("kind", flat=True)) == [EventKind.PLANNED, EventKind.PLANNED]


def test_planning_before_acknowledging_is_refused(recommendation, operator_a):
    action = recommendation.actions.get(position=1)

    with pytest.raises(ValidationError) as excinfo:
        plan(action, operator_a)

    assert messages_of(excinfo) == [indonesian("Acknowledge the recommendation first.")]
    assert fresh(action).status == ActionStatus.OPEN
    assert not action.events.exists()


def test_a_plan_needs_an_activity_a_person_and_a_date(first, operator_a):
    with pytest.raises(ValidationError) as excinfo:
        plan(first, operator_a, activity=" ", responsible="", target_date=None)

    assert excinfo.value.message_dict == {
        "activity": [indonesian("Describe the programme or activity.")],
        "responsible": [indonesian("Name the person responsible.")],
        "target_date": [indonesian("Give a target date.")],
    }
    assert fresh(first).status == ActionStatus.OPEN
    assert not first.events.exists()


def test_the_plan_of_a_completed_action_cannot_change(completed, operator_a):
    with pytest.raises(ValidationError) as excinfo:
        plan(completed, operator_a, activity="Lain")

    assert messages_of(excinfo) == [indonesian("This action is reported complete; its plan can no longer change.")]
    assert fresh(completed).plan_activity == "Membuka loket tambahan"


@pytest.mark.parametrize("role", ["operator_b", "leader", "evaluator"])
def test_only_the_agencys_operator_may_plan(role, actors, first):
    with pytest.raises(PermissionDenied):
        plan(first, actors[role])

    assert fresh(first).status == ActionStatus.OPEN
    assert not first.events.exists()


# --- Progress and evidence ---------------------------------------------------------------------------


def test_progress_is_recorded_with_its_evidence_file(planned, operator_a):
    evidence = SimpleUploadedFile("foto-loket.png", PNG, content_type="image/png")

    event = services.action_progress(action=planned, note="Loket sudah dibuka", evidence=evidence, actor=operator_a)

    assert (event.kind, event.actor, event.note) == (EventKind.PROGRESS, operator_a, "Loket sudah dibuka")
    assert (event.evidence_name, event.evidence_type) == ("foto-loket.png", "image/png")
    path = Path(event.evidence.path)
    assert path.read_bytes() == PNG
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert fresh(planned).status == ActionStatus.PLANNED


def test_progress_needs_a_note(planned, operator_a):
    with pytest.raises(ValidationError) as excinfo:
        services.action_progress(action=planned, note="  ", evidence=None, actor=operator_a)

    assert excinfo.value.message_dict == {"note": [indonesian("Please write something here.")]}
    assert list(planned.events.values_list("kind", flat=True)) == [EventKind.PLANNED]


def test_progress_on_an_action_without_a_plan_is_refused(first, operator_a):
    with pytest.raises(ValidationError) as excinfo:
        services.action_progress(action=first, note="Sudah mulai", evidence=None, actor=operator_a)

    assert messages_of(excinfo) == [
        indonesian("Set a plan before reporting progress; completed actions take no more progress.")
    ]
    assert not first.events.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00" + b"0" * 64, "Only PDF, PNG or JPEG files are accepted."),
        ("laporan.pdf", PNG, "The file's name does not match its content (%(type)s)."),
        ("kosong.pdf", b"", "The file is empty."),
        ("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "The file is larger than 5 MB."),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(planned, operator_a, name, content, message):
    before = stored_files()
    evidence = SimpleUploadedFile(name, content)

    with pytest.raises(ValidationError) as excinfo:
        services.action_progress(action=planned, note="Bukti terlampir", evidence=evidence, actor=operator_a)

    assert messages_of(excinfo) == [indonesian(message) % {"type": "image/png"}]
    assert list(planned.events.values_list("kind", flat=True)) == [EventKind.PLANNED]
    assert stored_files() == before


def test_bad_evidence_on_completion_is_refused_and_the_action_stays_planned(planned, operator_a):
    before = stored_files()

    with pytest.raises(ValidationError):
        complete(planned, operator_a, evidence=SimpleUploadedFile("bukti.html", b"<html>hi</html>"))

    assert fresh(planned).status == ActionStatus.PLANNED
    assert stored_files() == before


# --- Completion, verification, return --------------------------------------------------------------------


def test_operator_reports_completion_with_a_note_and_evidence(planned, operator_a):
    complete(planned, operator_a, evidence=SimpleUploadedFile("berita-acara.pdf", PDF))

    action = fresh(planned)
    assert action.status == ActionStatus.COMPLETED
    event = action.events.get(kind=EventKind.COMPLETED)
    assert (event.actor, event.note, event.evidence_type) == (
        operator_a,
        "Loket tambahan sudah beroperasi",
        "application/pdf",
    )


def test_completing_an_action_without_a_plan_is_refused(first, operator_a):
    with pytest.raises(ValidationError) as excinfo:
        complete(first, operator_a)

    assert messages_of(excinfo) == [indonesian("Only a planned or returned action can be reported complete.")]
    assert fresh(first).status == ActionStatus.OPEN


def test_completing_twice_is_refused(completed, operator_a):
    with pytest.raises(ValidationError):
        complete(completed, operator_a)

    assert completed.events.filter(kind=EventKind.COMPLETED).count() == 1


def test_evaluator_verifies_a_completed_action(completed, evaluator):
    services.action_verify(action=completed, actor=evaluator, note="Sesuai")

    action = fresh(completed)
    assert action.status == ActionStatus.VERIFIED
    event = action.events.get(kind=EventKind.VERIFIED)
    assert (event.actor, event.note) == (evaluator, "Sesuai")


def test_evaluator_returns_a_completed_action_with_a_reason(completed, evaluator):
    services.action_return(action=completed, reason="Foto bukti tidak jelas", actor=evaluator)

    action = fresh(completed)
    assert action.status == ActionStatus.RETURNED
    assert action.return_reason == "Foto bukti tidak jelas"
    event = action.events.get(kind=EventKind.RETURNED)
    assert (event.actor, event.note) == (evaluator, "Foto bukti tidak jelas")
    assert fresh(action.recommendation).status == RecommendationStatus.IN_PROGRESS


def test_a_returned_action_goes_back_to_the_operator_and_can_be_verified_later(completed, operator_a, evaluator):
    services.action_return(action=completed, reason="Foto bukti tidak jelas", actor=evaluator)
    services.action_progress(action=completed, note="Foto baru", evidence=None, actor=operator_a)
    assert fresh(completed).status == ActionStatus.PLANNED
    complete(completed, operator_a, note="Sudah diperbaiki")
    services.action_verify(action=completed, actor=evaluator)

    action = fresh(completed)
    assert action.status == ActionStatus.VERIFIED
    assert action.return_reason == ""
    assert list(action.events.values_list("kind", flat=True)) == [
        EventKind.PLANNED,
        EventKind.COMPLETED,
        EventKind.RETURNED,
        EventKind.PROGRESS,
        EventKind.COMPLETED,
        EventKind.VERIFIED,
    ]


def test_a_returned_action_may_be_reported_complete_again_directly(completed, operator_a, evaluator):
    services.action_return(action=completed, reason="Kurang bukti", actor=evaluator)

    complete(completed, operator_a, note="Bukti ditambah")

    assert fresh(completed).status == ActionStatus.COMPLETED


@pytest.mark.parametrize("step", ["verify", "return"])
def test_a_planned_action_cannot_be_verified_or_returned(step, planned, evaluator):
    with pytest.raises(ValidationError) as excinfo:
        if step == "verify":
            services.action_verify(action=planned, actor=evaluator)
        else:
            services.action_return(action=planned, reason="Belum selesai", actor=evaluator)

    assert messages_of(excinfo) == [indonesian("Only an action reported complete can be verified or returned.")]
    assert fresh(planned).status == ActionStatus.PLANNED


def test_returning_without_a_reason_is_refused(completed, evaluator):
    with pytest.raises(ValidationError) as excinfo:
        services.action_return(action=completed, reason=" \n ", actor=evaluator)

    assert excinfo.value.message_dict == {"reason": [indonesian("Please write something here.")]}
    assert fresh(completed).status == ActionStatus.COMPLETED
    assert not completed.events.filter(kind=EventKind.RETURNED).exists()


@pytest.mark.parametrize("role", ["operator_a", "operator_b", "leader"])
def test_only_evaluators_verify_or_return(role, actors, completed):
    with pytest.raises(PermissionDenied):
        services.action_verify(action=completed, actor=actors[role])
    with pytest.raises(PermissionDenied):
        services.action_return(action=completed, reason="Tidak", actor=actors[role])

    assert fresh(completed).status == ActionStatus.COMPLETED


@pytest.mark.parametrize("role", ["operator_b", "leader", "evaluator"])
def test_only_the_agencys_operator_reports_progress_or_completion(role, actors, planned):
    with pytest.raises(PermissionDenied):
        services.action_progress(action=planned, note="Catatan", evidence=None, actor=actors[role])
    with pytest.raises(PermissionDenied):
        complete(planned, actors[role])

    assert fresh(planned).status == ActionStatus.PLANNED
    assert list(planned.events.values_list("kind", flat=True)) == [EventKind.PLANNED]


def test_an_inactive_operator_can_no_longer_take_steps(first, operator_a):
    operator_a.is_active = False
    operator_a.save()

    with pytest.raises(PermissionDenied):
        plan(first, operator_a)


# --- The recommendation's status follows its actions -------------------------------------------------------


def test_status_stays_acknowledged_while_no_action_has_a_plan(acknowledged):
    assert fresh(acknowledged).status == RecommendationStatus.ACKNOWLEDGED


def test_status_is_in_progress_while_actions_are_mixed(first, second, operator_a):
    complete(plan(first, operator_a), operator_a)

    assert fresh(first.recommendation).status == RecommendationStatus.IN_PROGRESS


def test_status_is_completed_when_every_action_is_completed_or_verified(first, second, operator_a, evaluator):
    complete(plan(first, operator_a), operator_a)
    services.action_verify(action=first, actor=evaluator)
    complete(plan(second, operator_a), operator_a)

    assert fresh(first.recommendation).status == RecommendationStatus.COMPLETED


def test_status_is_verified_when_every_action_is_verified(first, second, operator_a, evaluator):
    for action in (first, second):
        complete(plan(action, operator_a), operator_a)
        services.action_verify(action=action, actor=evaluator)

    recommendation = fresh(first.recommendation)
    assert recommendation.status == RecommendationStatus.VERIFIED
    assert recommendation.is_open is False


def test_a_return_reopens_a_completed_recommendation(first, second, operator_a, evaluator):
    for action in (first, second):
        complete(plan(action, operator_a), operator_a)
    services.action_return(action=second, reason="Belum lengkap", actor=evaluator)

    assert fresh(first.recommendation).status == RecommendationStatus.IN_PROGRESS


# --- The snapshot is frozen ------------------------------------------------------------------------------


def test_more_responses_after_issue_do_not_change_the_snapshot(recommendation, service_a, submit):
    before = dict(recommendation.snapshot)
    for _ in range(5):
        submit(service_a, answers=1, day=SURVEY_DAY)

    assert fresh(recommendation).snapshot == before
    assert fresh(recommendation).snapshot["score"] == "91.67"
    now = services.results_snapshot(agency=service_a.agency, period=PERIOD)
    assert now["respondents"] == 8
    assert now["score"] != before["score"]


def test_snapshot_holds_codes_and_figures_whatever_the_issuers_language(recommendation, service_a):
    with translation.override("en"):
        in_english = services.results_snapshot(agency=service_a.agency, period=PERIOD)
    with translation.override("id"):
        in_indonesian = services.results_snapshot(agency=service_a.agency, period=PERIOD)

    assert in_english == in_indonesian == recommendation.snapshot
    assert "period_label" not in recommendation.snapshot
    assert all(set(element) == {"code", "nrr", "score", "grade"} for element in recommendation.snapshot["elements"])


def test_a_period_without_responses_gives_an_empty_snapshot(evaluator, agency_a, questionnaire):
    recommendation = issue(evaluator, agency_a)

    assert recommendation.snapshot["respondents"] == 0
    assert recommendation.snapshot["score"] is None
    assert recommendation.snapshot["grade"] is None


# --- Emails to the other side ------------------------------------------------------------------------------


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_issuing_emails_the_agencys_operators(
    evaluator, service_a, operator_a, operator_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recommendation = issue(evaluator, service_a.agency)

    assert recipients() == ["operator.a@example.org"]
    message = mail.outbox[0]
    assert message.subject == f"[SI-PUTRI] {indonesian('New recommendation')}: Percepat penerbitan KTP-el"
    assert "Waktu tunggu perekaman dikeluhkan." in message.body
    assert f"/kelola/rekomendasi/{recommendation.pk}/" in message.body


def test_acknowledging_emails_the_evaluator_who_issued_it(
    recommendation, operator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)

    assert recipients() == ["evaluator@example.org"]
    assert mail.outbox[0].subject.startswith(f"[SI-PUTRI] {indonesian('Recommendation acknowledged')}:")


def test_completion_emails_the_issuer_and_every_evaluator_once(
    planned, operator_a, super_admin, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complete(planned, operator_a, note="Loket sudah jalan")

    assert recipients() == ["admin@example.org", "evaluator@example.org"]
    assert all("Loket sudah jalan" in message.body for message in mail.outbox)
    assert mail.outbox[0].subject.startswith(f"[SI-PUTRI] {indonesian('Follow-up reported complete')}:")


def test_verification_emails_the_agencys_operators(completed, evaluator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.action_verify(action=completed, actor=evaluator)

    assert recipients() == ["operator.a@example.org"]
    assert mail.outbox[0].subject.startswith(f"[SI-PUTRI] {indonesian('Follow-up verified')}:")


def test_return_emails_the_agencys_operators_with_the_reason(completed, evaluator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.action_return(action=completed, reason="Foto bukti tidak jelas", actor=evaluator)

    assert recipients() == ["operator.a@example.org"]
    assert mail.outbox[0].subject.startswith(f"[SI-PUTRI] {indonesian('Follow-up returned')}:")
    assert "Foto bukti tidak jelas" in mail.outbox[0].body


def test_a_refused_step_sends_no_email(acknowledged, operator_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.recommendation_acknowledge(recommendation=acknowledged, actor=operator_a)

    assert mail.outbox == []


def test_planning_and_progress_send_no_email(first, operator_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plan(first, operator_a)
        services.action_progress(action=first, note="Mulai", evidence=None, actor=operator_a)

    assert mail.outbox == []
