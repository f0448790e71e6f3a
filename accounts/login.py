"""What a failed sign-in is counted against.

django-axes locks a username out from one client address after LOGIN_FAILURE_LIMIT failures;
the address is the survey limit's (``surveys.ratelimit.client_address``: the socket peer, or
with PROXY_COUNT proxies the address the outermost trusted proxy saw), so behind a proxy one
guesser cannot lock everyone out. A guesser spread over many addresses stays under that limit,
so each account also has a ceiling across all addresses: past LOGIN_ACCOUNT_CEILING failures
within the cool-off time, the account takes one attempt per LOGIN_ACCOUNT_DELAY_SECONDS. It is
slowed, never locked: its owner still signs in after a short wait.
"""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

USERNAME_LENGTH = get_user_model()._meta.get_field("username").max_length
logger = logging.getLogger(__name__)


def attempted_username(request, credentials) -> str:
    """The username typed at the login, cut to the longest one an account can have."""
    source = credentials if credentials else (request.POST if request is not None else {})
    return str(source.get("username", "") or "")[:USERNAME_LENGTH]


def _keys(username: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{username[:USERNAME_LENGTH]}".encode()).hexdigest()[:32]
    return f"login-account-failures:{digest}", f"login-account-wait:{digest}"


def account_wait_seconds(username: str) -> int:
    """How long this account must wait before its next sign-in attempt (0: it may try now)."""
    _failures, wait = _keys(username)
    try:
        until = cache.get(wait)
    except Exception:  # a cache outage must not stop staff signing in; axes still counts
        logger.warning("login: the cache is unavailable; the per-account ceiling is not checked", exc_info=True)
        return 0
    return max(0, math.ceil(until - time.time())) if until else 0


def account_failure(username: str) -> None:
    """Count one failed sign-in for this account from any address; past the ceiling, make the
    next attempt wait."""
    failures, wait = _keys(username)
    window = int(settings.AXES_COOLOFF_TIME * 3600)
    delay = settings.LOGIN_ACCOUNT_DELAY_SECONDS
    try:
        if cache.add(failures, 1, timeout=window):
            count = 1
        else:
            try:
                count = cache.incr(failures)
            except ValueError:  # expired between add and incr
                cache.add(failures, 1, timeout=window)
                count = 1
        if count >= settings.LOGIN_ACCOUNT_CEILING:
            cache.set(wait, time.time() + delay, timeout=delay)
    except Exception:
        logger.warning("login: the cache is unavailable; a failed sign-in was not counted", exc_info=True)
