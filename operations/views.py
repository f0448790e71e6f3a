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
    """200 ``{"status": "ok", "database": "ok", "cache": "ok"}`` when both answer, else 503
    with the one that does not as ``"unreachable"``. Nothing else: no version, host or setting."""
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "unreachable" for name, ok in checks.items()})
    response = JsonResponse(body, status=200 if healthy else 503)
    patch_cache_control(response, no_store=True)
    return response
