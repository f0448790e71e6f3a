"""The held-for-review rules judged against a service's own history (README "Survey limits and
review"). Both look at the public submissions (web and API) of one service in the last
``SURVEY_BURST_WINDOW`` seconds, the new one included:

- ``pattern_burst``: at least ``SURVEY_PATTERN_MIN`` of them carry the very same answers, and
  that is more than ``SURVEY_PATTERN_FACTOR`` times what the service's own accepted responses
  of the last 90 days make expected (all 4s are common at a good counter; all 1s from nowhere
  are not).
- ``rate_burst``: there are at least ``SURVEY_BURST_MIN`` of them and more than
  ``SURVEY_BURST_FACTOR`` times the service's usual number per window (its busiest day of the
  last 28, spread over an eight-hour day), **and** their mean score is ``SURVEY_BURST_SHIFT``
  points or more away from the service's usual mean. A busy day whose answers look like the
  service's past ones is therefore never held.

``0`` for ``SURVEY_PATTERN_MIN`` or ``SURVEY_BURST_MIN`` turns that rule off. When a rule
matches, the new response is held, and so are the earlier accepted responses of the same burst
(the same answers, or for a rate burst those as far from the usual mean), so a burst is judged
as a whole and reviewed as one group. The history is read from the tallies,
which hold accepted responses only: held responses never become the yardstick.
"""

import datetime
from collections.abc import Callable, Mapping
from fractions import Fraction

from django.conf import settings
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from standards.models import Service
from surveys.models import Channel, ElementTally, RespondentTally, Response, Span, Status
from surveys.ratelimit import Gate, submission_hold_rule
from surveys.states import responses_hold

RULE_PATTERN = "pattern_burst"
RULE_RATE = "rate_burst"
PUBLIC_CHANNELS = (Channel.WEB, Channel.API)
HISTORY_DAYS = 90
USUAL_DAYS = 28
WINDOWS_PER_DAY = 8 * 3600  # an office day, in seconds, divided by the window below
HISTORY_SAMPLE = 1000
# With little history, a service is assumed to see all 3s or all 4s this often (they are the
# commonest honest answers), weighted as this many responses.
PRIOR_UNIFORM_SHARE = Fraction(1, 5)
PRIOR_WEIGHT = 20
NO_HISTORY_MEAN = Fraction(3)


def _mean(answers: Mapping[str, int]) -> Fraction:
    values = list(answers.values())
    return Fraction(sum(values), len(values)) if values else Fraction(0)


def _pattern_share(service: Service, answers: Mapping[str, int], before: datetime.datetime) -> Fraction:
    """How often the service's accepted responses of the last 90 days gave exactly ``answers``,
    leaning on a prior where there is little history."""
    since = before - datetime.timedelta(days=HISTORY_DAYS)
    history = list(
        Response.objects.filter(
            service=service, status=Status.ACCEPTED, submitted_at__gte=since, submitted_at__lt=before
        )
        .order_by("-submitted_at")
        .values_list("answers", flat=True)[:HISTORY_SAMPLE]
    )
    same = sum(1 for past in history if past == answers)
    values = set(answers.values())
    prior = PRIOR_UNIFORM_SHARE if len(values) == 1 and values <= {3, 4} else Fraction(0)
    return (same + prior * PRIOR_WEIGHT) / (len(history) + PRIOR_WEIGHT)


def _usual_per_window(service: Service, today: datetime.date, window: int) -> Fraction:
    """The service's busiest day of the last 28 (before today), spread over an office day."""
    busiest = (
        RespondentTally.objects.filter(
            service=service,
            span=Span.DAY,
            day__gte=today - datetime.timedelta(days=USUAL_DAYS),
            day__lt=today,
        )
        .values("day")
        .annotate(n=Sum("count"))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
    )
    return Fraction(busiest or 0) * window / WINDOWS_PER_DAY


def _usual_mean(service: Service, today: datetime.date) -> Fraction:
    """The mean answer of the service's accepted responses of the last twelve months."""
    since = (today.replace(day=1) - datetime.timedelta(days=365)).replace(day=1)
    totals = ElementTally.objects.filter(service=service, span=Span.MONTH, day__gte=since).aggregate(
        answers=Sum("count"), points=Sum(F("count") * F("value"))
    )
    if not totals["answers"]:
        return NO_HISTORY_MEAN
    return Fraction(totals["points"], totals["answers"])


def _hold_group(pks: list[int], rule: str) -> None:
    if pks:
        responses_hold(
            responses=pks,
            actor=None,
            reason=_("Held automatically: part of a burst (rule %(rule)s).") % {"rule": rule},
            rule=rule,
        )


def burst_rule(*, service: Service, answers: Mapping[str, int]) -> str:
    """The burst rule a new public submission of ``answers`` for ``service`` matches ("" for
    none). On a match the earlier accepted responses of the burst are held at once; the caller
    stores the new one held with the returned rule."""
    now = timezone.now()
    window = settings.SURVEY_BURST_WINDOW
    recent = list(
        Response.objects.filter(
            service=service,
            day__gte=timezone.localdate(now) - datetime.timedelta(days=1),
            submitted_at__gte=now - datetime.timedelta(seconds=window),
            channel__in=PUBLIC_CHANNELS,
        )
        .exclude(status=Status.VOID)
        .values_list("pk", "answers", "status")
    )
    answers = dict(answers)

    same = [(pk, status) for pk, past, status in recent if past == answers]
    if settings.SURVEY_PATTERN_MIN and len(same) + 1 >= settings.SURVEY_PATTERN_MIN:
        expected = _pattern_share(service, answers, now) * (len(recent) + 1)
        if len(same) + 1 > settings.SURVEY_PATTERN_FACTOR * expected:
            _hold_group([pk for pk, status in same if status == Status.ACCEPTED], RULE_PATTERN)
            return RULE_PATTERN

    total = len(recent) + 1
    today = timezone.localdate(now)
    if (
        settings.SURVEY_BURST_MIN
        and total >= settings.SURVEY_BURST_MIN
        and total > settings.SURVEY_BURST_FACTOR * _usual_per_window(service, today, window)
    ):
        usual = _usual_mean(service, today)
        shift = Fraction(settings.SURVEY_BURST_SHIFT, 25)  # score points → answer points
        window_mean = (sum((_mean(past) for _pk, past, _s in recent), Fraction(0)) + _mean(answers)) / total
        if abs(window_mean - usual) >= shift:
            below = window_mean < usual

            def far(mean: Fraction) -> bool:
                return mean <= usual - shift if below else mean >= usual + shift

            group = [pk for pk, past, status in recent if status == Status.ACCEPTED and far(_mean(past))]
            _hold_group(group, RULE_RATE)
            if far(_mean(answers)):
                return RULE_RATE
    return ""


def public_screen(request: HttpRequest, *, service: Service, gate: Gate) -> Callable[[dict[str, int]], str]:
    """The check ``response_submit`` runs on a public (web or API) submission: the device,
    cookie-less and failure layers, then the burst rules. Kiosk submissions never come here."""

    def screen(answers: dict[str, int]) -> str:
        return submission_hold_rule(request, service_code=service.code, gate=gate) or burst_rule(
            service=service, answers=answers
        )

    return screen
