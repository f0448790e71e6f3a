import pytest
from django.core.exceptions import ImproperlyConfigured

from siputri.env import cache_settings, email_settings, envbool, envint, envlist


def test_booleans_accept_common_spellings(monkeypatch):
    for raw, expected in (("1", True), ("yes", True), ("TRUE", True), ("0", False), ("off", False)):
        monkeypatch.setenv("FLAG", raw)
        assert envbool("FLAG", not expected) is expected


def test_unset_values_fall_back_to_defaults(monkeypatch):
    monkeypatch.delenv("MISSING", raising=False)
    assert envbool("MISSING", True) is True
    assert envint("MISSING", 7) == 7
    assert envlist("MISSING", ["a"]) == ["a"]


def test_bad_numbers_fail_loudly(monkeypatch):
    monkeypatch.setenv("COUNT", "five")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number"):
        envint("COUNT", 1)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert envlist("HOSTS", []) == ["a.example", "b.example"]


def test_email_url_selects_backend():
    assert email_settings("")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = email_settings("smtp://user%40x:p%40ss@mail.example.org:2525")
    assert smtp["EMAIL_HOST"] == "mail.example.org"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_USER"] == "user@x"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] is True
    assert email_settings("smtps://mail.example.org")["EMAIL_PORT"] == 465
    with pytest.raises(ImproperlyConfigured):
        email_settings("ftp://mail.example.org")


def test_cache_url_selects_redis_or_memory():
    assert cache_settings("")["default"]["BACKEND"].endswith("LocMemCache")
    assert cache_settings("redis://127.0.0.1:6379/1")["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    with pytest.raises(ImproperlyConfigured):
        cache_settings("memcached://x")
