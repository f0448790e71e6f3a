"""Copies kept between requests, and how each process learns they are stale.

A write that changes what a copy holds bumps a ``Stamp`` row in its own transaction; a reader
compares the stamp with the one its copy was made under. The stamp lives in the database, so
this holds for several app processes with or without a shared cache, and an outage of the cache
costs speed, never correctness.
"""

import logging
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

from surveys.models import Stamp

CATALOG = "catalog"
RESULTS = "results"

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
