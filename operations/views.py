"""What a proxy or a monitor asks the app: is it able to serve?"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not reachable"; the log says which
        log.exception("health: the database is not reachable")
        return False


def _cache() -> bool:
    try:
        cache.set("health:probe", "1", 10)
        return cache.get("health:probe") == "1"
    except Exception:  # django-redis raises its own errors when Redis is down
        log.exception("health: the cache is not reachable")
        return False


@require_GET
def health(request):
    """200 ``{"status": "ok", "database": "ok", "cache": "ok"}`` when both answer. Without the
    database the app cannot serve: 503. Without the cache it still serves (pages are computed,
    survey submissions are stored held for review, ``surveys.ratelimit``): 200 with
    ``"status": "degraded"``, so a proxy keeps sending citizens while a monitor sees the
    outage. The one that does not answer is named ``"unreachable"``; nothing else is said: no
    version, host or setting."""
    checks = {"database": _database(), "cache": _cache()}
    status = "ok" if all(checks.values()) else "degraded" if checks["database"] else "unavailable"
    body = {"status": status}
    body.update({name: "ok" if ok else "unreachable" for name, ok in checks.items()})
    response = JsonResponse(body, status=503 if status == "unavailable" else 200)
    patch_cache_control(response, no_store=True)
    return response
