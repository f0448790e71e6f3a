import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    # The browser tests allow async-unsafe DB access in their own process; a deployment must not.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "siputri.settings",
        "DEBUG": "0",
        "SECRET_KEY": "k3y-" + "q8Zr4vT1pX9mW2sL6nB0cY7hJ5gF3dA" * 2,
        "ALLOWED_HOSTS": "siputri.example.go.id",
        "SITE_URL": "https://siputri.example.go.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("site_url", "says"),
    [
        (None, "SITE_URL is not set"),
        ("http://127.0.0.1:8000", "citizens cannot open"),
        ("http://skm.go.id", "not https"),
    ],
)
def test_check_deploy_warns_about_a_missing_or_private_site_url(tmp_path, site_url, says):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "SITE_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "siputri.settings",
        "DEBUG": "0",
        "SECRET_KEY": "k3y-" + "q8Zr4vT1pX9mW2sL6nB0cY7hJ5gF3dA" * 2,
        "ALLOWED_HOSTS": "siputri.example.go.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    if site_url:
        env["SITE_URL"] = site_url
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "siputri.W00" in result.stderr + result.stdout
    assert says in result.stderr + result.stdout


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "siputri.settings", "DEBUG": "0"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_misspelled_boolean_stops_start_up(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "siputri.settings", "DEBUG": "maybe"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("standards:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_https_responses_carry_hsts_and_cookies_are_secure(client, settings):
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    response = client.get(reverse("accounts:login"), secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert response.cookies["csrftoken"]["secure"]


@pytest.mark.django_db
def test_forms_refuse_posts_without_csrf_token(service_a, operator_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator_a, backend="django.contrib.auth.backends.ModelBackend")
    response = strict.post(reverse("standards:service_edit", args=[service_a.code]), {"name": "Hacked"})
    assert response.status_code == 403
    service_a.refresh_from_db()
    assert service_a.name == "Penerbitan KTP-el"


@pytest.mark.django_db
def test_templates_load_nothing_from_another_host(client, service_a):
    for url in (reverse("standards:home"), reverse("standards:service_detail", args=[service_a.code])):
        html = client.get(url).content.decode()
        for attribute in ('src="http', "src='http", 'href="//', "@import"):
            assert attribute not in html, url
        assert '<link rel="stylesheet" href="/static/' in html
        assert "<script" not in html
        assert "style=" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/opd/%00/", "/cari/?q=%00", "/layanan/A%00B/"])
def test_a_nul_character_in_the_address_is_a_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "<html" in response.content.decode()


@pytest.mark.django_db
def test_an_overlong_username_at_login_is_just_a_failed_sign_in(client, operator_a):
    response = client.post(reverse("accounts:login"), {"username": "u" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
