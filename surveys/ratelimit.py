"""The per-client limit on survey submissions (SURVEY_RATE_LIMIT), counted in the cache so
that every app process shares it. The client address is only hashed into a cache key for the
length of the window; it is never stored with a response."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: the socket peer, or with PROXY_COUNT proxies in front, the
    address the outermost trusted proxy saw."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _key(request: HttpRequest, window: int) -> str:
    bucket = int(time.time()) // window
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{client_address(request)}|{bucket}".encode()).hexdigest()[:32]
    return f"survey-rate:{window}:{digest}"


def submission_allowed(request: HttpRequest) -> bool:
    """Count one submission attempt for this client; False once it is over the limit."""
    limit = settings.SURVEY_RATE_LIMIT
    if limit is None:
        return True
    count, window = limit
    key = _key(request, window)
    if cache.add(key, 1, timeout=window):
        return True
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return used <= count
