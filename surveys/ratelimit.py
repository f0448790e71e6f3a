"""The layered limits on public survey submissions, counted in the cache so that every app
process shares them (README "Survey limits and review").

1. **Address ceiling** (``SURVEY_RATE_LIMIT``): submissions per client address; over it the
   form comes back with 429 and nothing is stored. It is high, because one office router or
   mobile carrier address carries many citizens.
2. **Device** (``SURVEY_DEVICE_LIMIT``): a signed, long-lived cookie names the browser; past
   its count per service (one a day by default) further responses are stored held
   (``device_repeat``).
3. **Without the cookie** (``SURVEY_COOKIELESS_LIMIT``): a browser that keeps no cookie falls
   back to its address; past that count its responses are stored held (``address_burst``).
4. **Failures** (``SURVEY_FAILURE_LIMIT``): after honeypot fills or refused form tokens from an
   address, its submissions are stored held (``failure_pattern``).

Kiosks do not come here: the kiosk views have their own interval (``kiosks``). A cache outage
never refuses nor loses a submission: the limits that could not be checked are skipped, the
response is held (``cache_down``) and the outage is logged once a minute. The client address
and the device id are only hashed into cache keys for the length of a window; neither is stored
with a response.
"""

import contextlib
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "siputri_device"
DEVICE_SALT = "surveys.device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600
FAILURE_WINDOW = 3600
OUTAGE_LOG_INTERVAL = 60
# Jakarta is UTC+7 without daylight saving: day windows start at local midnight.
_LOCAL_OFFSET = 7 * 3600

RULE_DEVICE = "device_repeat"
RULE_ADDRESS = "address_burst"
RULE_FAILURES = "failure_pattern"
RULE_CACHE_DOWN = "cache_down"

_last_outage_log = [-float("inf")]


class CacheDown(Exception):
    """The cache did not answer; the limit it keeps cannot be checked."""


def client_address(request: HttpRequest) -> str:
    """The client's address: the socket peer, or with PROXY_COUNT proxies in front, the
    address the outermost trusted proxy saw."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def device_id(request: HttpRequest) -> str | None:
    """The id in this browser's signed device cookie; None without one (or with a forged one)."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    return value if isinstance(value, str) and 16 <= len(value) <= 64 else None


def give_device_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the device cookie on ``response`` unless the browser already has a valid one."""
    if device_id(request) is None:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(18),
            salt=DEVICE_SALT,
            max_age=DEVICE_COOKIE_AGE,
            secure=not settings.DEBUG,
            httponly=True,
            samesite="Lax",
        )
    return response


def _log_outage(error: Exception) -> None:
    now = time.monotonic()
    if now - _last_outage_log[0] >= OUTAGE_LOG_INTERVAL:
        _last_outage_log[0] = now
        logger.error("survey limits: the cache is unreachable (%s); submissions are stored held for review", error)


def _key(kind: str, subject: str, window: int) -> str:
    bucket = (int(timezone.now().timestamp()) + _LOCAL_OFFSET) // window
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{kind}|{subject}|{bucket}".encode()).hexdigest()[:32]
    return f"survey-{kind}:{window}:{digest}"


def _count(kind: str, subject: str, window: int) -> int:
    """Add one to a counter of this window and return it; raises CacheDown."""
    key = _key(kind, subject, window)
    try:
        if cache.add(key, 1, timeout=window):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
            return 1
    except Exception as error:  # any cache backend error: Redis refused, timed out, went away
        _log_outage(error)
        raise CacheDown from error


def _read(kind: str, subject: str, window: int) -> int:
    try:
        return cache.get(_key(kind, subject, window)) or 0
    except Exception as error:  # as in _count
        _log_outage(error)
        raise CacheDown from error


@dataclass(frozen=True)
class Gate:
    """What the address ceiling says of one submission: refused (429), or let through with
    ``hold_rule`` already set when the ceiling could not be checked ("" otherwise)."""

    allowed: bool
    hold_rule: str = ""


def submission_gate(request: HttpRequest) -> Gate:
    """Count one submission attempt of this client against the address ceiling."""
    limit = settings.SURVEY_RATE_LIMIT
    if limit is None:
        return Gate(allowed=True)
    count, window = limit
    try:
        used = _count("address", client_address(request), window)
    except CacheDown:
        return Gate(allowed=True, hold_rule=RULE_CACHE_DOWN)
    return Gate(allowed=used <= count)


def submission_hold_rule(request: HttpRequest, *, service_code: str, gate: Gate) -> str:
    """Count one valid submission for ``service_code`` against the failure layer and the device
    (or, without the cookie, the address) layer; the rule that holds it, or ""."""
    if gate.hold_rule:
        return gate.hold_rule
    address = client_address(request)
    try:
        if _read("failure", address, FAILURE_WINDOW) >= settings.SURVEY_FAILURE_LIMIT:
            return RULE_FAILURES
        device = device_id(request)
        if device is not None:
            limit = settings.SURVEY_DEVICE_LIMIT
            if limit is not None and _count("device", f"{device}|{service_code}", limit[1]) > limit[0]:
                return RULE_DEVICE
        else:
            limit = settings.SURVEY_COOKIELESS_LIMIT
            if limit is not None and _count("cookieless", address, limit[1]) > limit[0]:
                return RULE_ADDRESS
    except CacheDown:
        return RULE_CACHE_DOWN
    return ""


def submission_failed(request: HttpRequest) -> None:
    """Count a honeypot fill or a refused form token from this client."""
    # Without the cache there is nothing to count it in; the submission was not stored anyway.
    with contextlib.suppress(CacheDown):
        _count("failure", client_address(request), FAILURE_WINDOW)
