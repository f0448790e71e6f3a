"""Typed readers for settings taken from the environment.

Each reader fails loudly on a value it cannot understand, so a typo in a deployment is caught
at start-up instead of silently falling back to a default.
"""

import os
from collections.abc import MutableMapping
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from dotenv import dotenv_values

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def read_env_file(default: Path, environ: MutableMapping[str, str] = os.environ) -> Path | None:
    """Fill ``environ`` from an env file (KEY=value lines) without overriding what is set.

    The file is ``ENV_FILE`` when that names one (``ENV_FILE=`` empty: none), else ``default``
    (the ``.env`` that `make run` writes), but only when the environment does not turn DEBUG
    off: a deployment sets ``DEBUG=0`` and so ignores a development file left in the
    checkout, unless it names its own with ``ENV_FILE``. Returns the file read, if any.
    """
    named = environ.get("ENV_FILE")
    if named is not None:
        path = Path(named) if named.strip() else None
    elif environ.get("DEBUG", "").strip().lower() in _FALSE - {""}:
        path = None
    else:
        path = default
    if path is None or not path.is_file():
        if named and path is not None:
            raise ImproperlyConfigured(f"ENV_FILE names {named!r}, which is not a file")
        return None
    for key, value in dotenv_values(path).items():
        if value is not None:
            environ.setdefault(key, value)
    return path


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def email_settings(url: str) -> dict[str, object]:
    """Translate EMAIL_URL into Django's email settings.

    ``console://`` (the default) prints mail; ``smtp://user:pass@host:587`` sends with
    STARTTLS, ``smtps://…:465`` with implicit TLS; ``locmem://`` keeps mail in memory.
    """
    if not url or url == "console://":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parsed = urlparse(url)
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(f"EMAIL_URL must start with smtp://, smtps:// or console://, got {url!r}")
    if not parsed.hostname:
        raise ImproperlyConfigured("EMAIL_URL has no host name")
    implicit_tls = parsed.scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": parsed.port or (465 if implicit_tls else 587),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": implicit_tls,
        "EMAIL_USE_TLS": not implicit_tls,
    }


def cache_settings(url: str) -> dict[str, dict[str, object]]:
    """The CACHES setting: Redis when a redis:// URL is given, else process-local memory.

    Several app processes must share a Redis cache so that rate limits and login lock-outs
    count across all of them.
    """
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if urlparse(url).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, got {url!r}")
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }


_RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def envrate(name: str, default: str) -> tuple[int, int] | None:
    """A rate such as ``30/h`` (also ``/s``, ``/m``, ``/d``) as (count, seconds); ``0`` is off."""
    raw = os.environ.get(name, default).strip().lower()
    if raw in ("0", "off", ""):
        return None
    count, _sep, unit = raw.partition("/")
    try:
        number = int(count)
    except ValueError:
        number = -1
    if number < 1 or unit not in _RATE_UNITS:
        raise ImproperlyConfigured(
            f"{name} must look like 30/h (count per s, m, h or d), or 0 to turn it off; got {raw!r}"
        )
    return number, _RATE_UNITS[unit]
