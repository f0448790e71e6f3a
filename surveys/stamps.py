"""Copies kept between requests, and how each process learns they are stale.

A write that changes what a copy holds bumps a ``Stamp`` row in its own transaction; a reader
compares the stamp with the one its copy was made under. The stamp lives in the database, so
this holds for several app processes with or without a shared cache, and an outage of the cache
costs speed, never correctness.
"""

import datetime
import logging
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from surveys.models import Stamp

CATALOG = "catalog"
RESULTS = "results"

# How long a cached result may be served: a period still running gains responses every minute
# (none of which bumps a stamp), so its figures are at most this old; a closed period changes
# only through a stamp bump, so its copy may live long.
PROVISIONAL_SECONDS = 60
CLOSED_SECONDS = 6 * 3600

log = logging.getLogger(__name__)
T = TypeVar("T")

# Per process: name -> (stamp it was made under, value).
_memo: dict[str, tuple[int, object]] = {}


def stamp(name: str) -> int:
    """The current value of stamp ``name`` (0 before its first bump)."""
    return Stamp.objects.filter(name=name).values_list("value", flat=True).first() or 0


def stamp_bump(name: str) -> None:
    """Mark every copy made under stamp ``name`` stale; call inside the changing transaction.
    The new value is random, not the old one plus one: a copy made inside a transaction that
    was then rolled back can never match a value committed later."""
    table = connection.ops.quote_name(Stamp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, value) VALUES (%s, %s) "  # noqa: S608 -- the name comes from the model
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [name, secrets.randbits(62) + 1],
        )


def stamps(*names: str) -> tuple[int, ...]:
    """The current values of several stamps, in one query."""
    found = dict(Stamp.objects.filter(name__in=names).values_list("name", "value"))
    return tuple(found.get(name, 0) for name in names)


def memo(key: str, under: int, make: Callable[[], T]) -> T:
    """This process's copy of ``key`` made under stamp value ``under``, made afresh when stale."""
    held = _memo.get(key)
    if held is not None and held[0] == under:
        return held[1]  # type: ignore[return-value]
    value = make()
    _memo[key] = (under, value)
    return value


def shared(key: str, make: Callable[[], T], timeout: int) -> T:
    """``make()``'s value from the shared cache (Redis when configured), computed and stored
    when missing. An unreachable cache is logged and skipped: the value is computed."""
    try:
        value = cache.get(key)
    except Exception:  # any cache backend error: degrade to computing
        log.warning("cache unavailable for get of %s", key, exc_info=True)
        return make()
    if value is not None:
        return value
    value = make()
    try:
        cache.set(key, value, timeout)
    except Exception:
        log.warning("cache unavailable for set of %s", key, exc_info=True)
    return value


def catalog_changed(**_signal) -> None:
    """Signal receiver: a questionnaire, element, service or agency was saved or deleted."""
    stamp_bump(CATALOG)


def period_cached(parts: tuple, end: datetime.date | None, make: Callable[[], T]) -> T:
    """``make()``'s value for results identified by ``parts`` over a period ending ``end``, from
    the shared cache: made afresh after a response of a past day is counted or leaves the count
    (the ``results`` stamp) or the catalog changes, and at least every PROVISIONAL_SECONDS while
    the period is still running."""
    running = end is None or end >= timezone.localdate()
    versions = stamps(RESULTS, CATALOG)
    key = "siputri:results:" + ":".join(str(part) for part in (*parts, *versions))
    return shared(key, make, PROVISIONAL_SECONDS if running else CLOSED_SECONDS)


def closed_period_cached(parts: tuple, end: datetime.date | None, make: Callable[[], T]) -> T:
    """``make()``'s value for figures of a period that ended before today, from the shared cache
    (``period_cached``): such figures change only through a bump of the ``results`` stamp, so the
    copy is exact. A period still running is read afresh, as staff expect to see it."""
    if end is None or end >= timezone.localdate():
        return make()
    return period_cached(parts, end, make)
