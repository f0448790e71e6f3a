"""Deadlines with a fixed clock: what counts as overdue, and the daily reminder emails sent by
``manage.py send_reminders`` (evaluations.services.reminders_send)."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from evaluations import services
from evaluations.models import ActionStatus, Recommendation, RecommendationAction
from surveys.periods import parse

TODAY = datetime.date(2026, 3, 10)


def indonesian(message: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def subject(what: str, recommendation: Recommendation) -> str:
    return f"[SI-PUTRI] {indonesian(what)}: {recommendation.title}"


def remind(**options) -> int:
    """Send the reminders and run what their commit hands on (the outbox sends them)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.reminders_send(**options)


def sent_to() -> dict[str, list[str]]:
    """Each recipient's subjects, from the test mailbox."""
    mailbox: dict[str, list[str]] = {}
    for message in mail.outbox:
        for address in message.to:
            mailbox.setdefault(address, []).append(message.subject)
    return {address: sorted(subjects) for address, subjects in mailbox.items()}


@pytest.fixture
def make(evaluator, agency_a, questionnaire):
    """``make(title, due_in_days)``: a recommendation to agency A due that many days after TODAY
    (negative: overdue). It is issued with a due date in the future (the service refuses a past
    one), then the test's clock is applied to its due date."""

    def build(title: str, due_in_days: int, agency=None) -> Recommendation:
        recommendation = services.recommendation_issue(
            agency=agency or agency_a,
            period=parse("2025-S2"),
            title=title,
            findings="Waktu pelayanan melebihi standar.",
            actions=[{"element_code": "waktu", "text": "Tambah petugas loket"}],
            due_date=timezone.localdate() + datetime.timedelta(days=30),
            actor=evaluator,
        )
        Recommendation.objects.filter(pk=recommendation.pk).update(
            due_date=TODAY + datetime.timedelta(days=due_in_days)
        )
        recommendation.refresh_from_db()
        return recommendation

    return build


def verify_all(recommendation: Recommendation, operator, evaluator) -> None:
    services.recommendation_acknowledge(recommendation=recommendation, actor=operator)
    for action in recommendation.actions.all():
        services.action_plan(
            action=action, activity="Rekrut petugas", responsible="Sekretaris", target_date=TODAY, actor=operator
        )
        services.action_complete(action=action, note="Sudah", evidence=None, actor=operator)
        services.action_verify(action=action, actor=evaluator)
    recommendation.refresh_from_db()


# --- What is overdue --------------------------------------------------------------------------------


def test_recommendation_due_today_is_not_overdue_yet(make):
    recommendation = make("Jatuh tempo hari ini", 0)

    assert recommendation.is_overdue(today=TODAY) is False


def test_recommendation_due_yesterday_is_overdue(make):
    recommendation = make("Jatuh tempo kemarin", -1)

    assert recommendation.is_overdue(today=TODAY) is True


def test_verified_recommendation_is_never_overdue(make, operator_a, evaluator):
    recommendation = make("Sudah diverifikasi", 5)
    verify_all(recommendation, operator_a, evaluator)
    Recommendation.objects.filter(pk=recommendation.pk).update(due_date=TODAY - datetime.timedelta(days=30))
    recommendation.refresh_from_db()

    assert recommendation.status == "verified"
    assert recommendation.is_overdue(today=TODAY) is False


def test_action_without_a_plan_is_overdue_with_its_recommendation(make):
    recommendation = make("Tanpa rencana", 0)
    action = recommendation.actions.get()

    assert action.is_overdue(today=TODAY) is False
    assert action.is_overdue(today=TODAY + datetime.timedelta(days=1)) is True


def test_action_with_a_plan_is_overdue_after_its_own_target_date(make, operator_a):
    recommendation = make("Dengan rencana", 20)
    services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
    action = services.action_plan(
        action=recommendation.actions.get(),
        activity="Rekrut petugas",
        responsible="Sekretaris",
        target_date=TODAY - datetime.timedelta(days=1),
        actor=operator_a,
    )

    assert action.is_overdue(today=TODAY - datetime.timedelta(days=1)) is False  # due today
    assert action.is_overdue(today=TODAY) is True  # target date was yesterday
    assert recommendation.is_overdue(today=TODAY) is False  # the recommendation's own date is later


def test_action_reported_complete_is_not_overdue(make, operator_a):
    recommendation = make("Selesai dilaporkan", -5)
    services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
    action = recommendation.actions.get()
    services.action_plan(
        action=action, activity="Rekrut petugas", responsible="Sekretaris", target_date=TODAY, actor=operator_a
    )
    services.action_complete(action=action, note="Sudah", evidence=None, actor=operator_a)
    action = RecommendationAction.objects.get(pk=action.pk)

    assert action.status == ActionStatus.COMPLETED
    assert action.is_overdue(today=TODAY) is False


# --- Reminder emails ----------------------------------------------------------------------------------


def test_reminders_go_for_what_is_due_soon_or_overdue_and_nothing_else(make, operator_a, evaluator):
    due_soon = make("Jatuh tempo 3 hari lagi", 3)
    make("Jatuh tempo 30 hari lagi", 30)
    overdue = make("Terlambat 2 hari", -2)
    done = make("Terlambat tapi terverifikasi", 8)
    verify_all(done, operator_a, evaluator)
    Recommendation.objects.filter(pk=done.pk).update(due_date=TODAY - datetime.timedelta(days=2))
    mail.outbox.clear()

    sent = remind(today=TODAY, within_days=7)

    assert sent == 3
    assert sent_to() == {
        "operator.a@example.org": sorted(
            [subject("Recommendation due soon", due_soon), subject("Overdue recommendation", overdue)]
        ),
        "evaluator@example.org": [subject("Overdue recommendation", overdue)],
    }


def test_due_soon_reminder_goes_to_the_agencys_operators_only(make, operator_a, operator_b):
    recommendation = make("Jatuh tempo 3 hari lagi", 3)

    remind(today=TODAY, within_days=7)

    assert [message.to for message in mail.outbox] == [["operator.a@example.org"]]
    assert mail.outbox[0].subject == subject("Recommendation due soon", recommendation)
    assert f"/kelola/rekomendasi/{recommendation.pk}/" in mail.outbox[0].body


def test_overdue_reminder_also_goes_to_the_evaluator_who_issued_it(make, operator_a):
    recommendation = make("Terlambat 2 hari", -2)

    sent = remind(today=TODAY, within_days=7)

    assert sent == 2
    assert sent_to() == {
        "operator.a@example.org": [subject("Overdue recommendation", recommendation)],
        "evaluator@example.org": [subject("Overdue recommendation", recommendation)],
    }


def test_due_today_is_reminded_as_due_soon_not_overdue(make, operator_a):
    recommendation = make("Jatuh tempo hari ini", 0)

    remind(today=TODAY, within_days=7)

    assert sent_to() == {"operator.a@example.org": [subject("Recommendation due soon", recommendation)]}


def test_the_window_includes_its_last_day_and_not_the_next(make, operator_a):
    last_day = make("Tepat 7 hari lagi", 7)
    make("8 hari lagi", 8)

    remind(today=TODAY, within_days=7)

    assert sent_to() == {"operator.a@example.org": [subject("Recommendation due soon", last_day)]}


def test_no_reminder_when_the_agency_has_no_operator_and_nothing_is_overdue(make, agency_b, operator_a):
    make("OPD tanpa operator", 3, agency=agency_b)

    assert remind(today=TODAY, within_days=7) == 0
    assert mail.outbox == []


def test_inactive_operator_gets_no_reminder(make, operator_a):
    operator_a.is_active = False
    operator_a.save()
    make("Jatuh tempo 3 hari lagi", 3)

    assert remind(today=TODAY, within_days=7) == 0
    assert mail.outbox == []


# --- The command --------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", *args, stdout=out)
    return out.getvalue().strip()


def sent_line(count: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return ngettext("Sent %(count)d reminder email.", "Sent %(count)d reminder emails.", count) % {"count": count}


def test_command_sends_reminders_for_the_given_date_and_says_how_many(make, operator_a):
    make("Jatuh tempo 3 hari lagi", 3)
    make("Terlambat 2 hari", -2)
    make("Jatuh tempo 30 hari lagi", 30)

    output = run("--date", TODAY.isoformat())

    assert output == sent_line(3)
    assert len(mail.outbox) == 3


def test_command_days_option_widens_the_window(make, operator_a):
    make("Jatuh tempo 30 hari lagi", 30)

    output = run("--date", TODAY.isoformat(), "--days", "30")

    assert output == sent_line(1)
    assert sent_to() == {
        "operator.a@example.org": [f"[SI-PUTRI] {indonesian('Recommendation due soon')}: Jatuh tempo 30 hari lagi"]
    }


def test_command_window_defaults_to_the_reminder_days_setting(make, operator_a, settings):
    settings.REMINDER_DAYS = 2
    make("Jatuh tempo 3 hari lagi", 3)
    make("Jatuh tempo 2 hari lagi", 2)

    output = run("--date", TODAY.isoformat())

    assert output == sent_line(1)
    assert [message.subject for message in mail.outbox] == [
        f"[SI-PUTRI] {indonesian('Recommendation due soon')}: Jatuh tempo 2 hari lagi"
    ]


def test_command_with_nothing_due_sends_nothing(make, operator_a):
    make("Jatuh tempo 30 hari lagi", 30)

    assert run("--date", TODAY.isoformat()) == sent_line(0)
    assert mail.outbox == []


def test_command_refuses_a_date_it_cannot_read_and_sends_nothing(make, operator_a):
    make("Terlambat 2 hari", -2)

    with pytest.raises(CommandError, match="2026-02-30"):
        run("--date", "2026-02-30")
    assert mail.outbox == []


def test_command_refuses_negative_days(make, operator_a):
    make("Terlambat 2 hari", -2)

    with pytest.raises(CommandError, match="--days"):
        run("--date", TODAY.isoformat(), "--days", "-1")
    assert mail.outbox == []


def test_a_recommendation_awaiting_verification_gets_no_overdue_reminder(
    agency_a, evaluator, operator_a, submit, service_a
):
    import datetime as dt

    from django.core import mail

    from evaluations import services
    from surveys.periods import current_semester

    submit(service_a)
    recommendation = services.recommendation_issue(
        agency=agency_a,
        period=current_semester(),
        title="Percepat",
        findings="Lambat",
        actions=[{"element_code": "waktu", "text": "Tambah loket"}],
        due_date=dt.date.today() + dt.timedelta(days=1),
        actor=evaluator,
    )
    services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
    action = recommendation.actions.get()
    services.action_plan(
        action=action, activity="Loket", responsible="Kasi", target_date=dt.date.today(), actor=operator_a
    )
    services.action_complete(action=action, note="Selesai", evidence=None, actor=operator_a)
    mail.outbox.clear()
    assert remind(today=dt.date.today() + dt.timedelta(days=5)) == 0
    assert mail.outbox == []
