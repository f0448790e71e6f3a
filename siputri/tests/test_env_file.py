"""`make run` writes its development settings to .env; every manage.py command reads it, a
deployment (DEBUG=0 in its environment) and the test suite do not."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from siputri import devenv
from siputri.env import read_env_file

ROOT = Path(__file__).resolve().parent.parent.parent


def written(path: Path, **environ: str) -> dict[str, str]:
    devenv.write(path, environ)
    return devenv.parse(path.read_text())


def test_make_run_writes_debug_a_secret_key_and_the_site_url_from_host_and_port(tmp_path):
    values = written(tmp_path / ".env", HOST="127.0.0.1", PORT="8123")
    assert values["DEBUG"] == "1"
    assert len(values["SECRET_KEY"]) >= 50
    assert values["SITE_URL"] == "http://127.0.0.1:8123"
    assert oct((tmp_path / ".env").stat().st_mode & 0o777) == "0o600"


def test_the_secret_key_survives_a_second_run_while_the_port_follows_the_new_one(tmp_path):
    path = tmp_path / ".env"
    first = written(path, PORT="8000")
    with path.open("a") as file:
        file.write("EMAIL_URL=smtp://mail.example.org:2525\n")
    second = written(path, PORT="9000")
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    assert second["SITE_URL"] == "http://127.0.0.1:9000"
    assert second["EMAIL_URL"] == "smtp://mail.example.org:2525"


def test_every_interface_links_to_the_host_name_and_allows_it(tmp_path):
    values = written(tmp_path / ".env", HOST="0.0.0.0", PORT="8000")  # noqa: S104
    name = devenv.socket.gethostname()
    assert values["SITE_URL"] == f"http://{name}:8000"
    assert name in values["ALLOWED_HOSTS"].split(",")


def test_a_site_url_that_is_set_wins_over_the_derived_one(tmp_path):
    values = written(tmp_path / ".env", SITE_URL="https://survei.example.go.id", PORT="9000")
    assert values["SITE_URL"] == "https://survei.example.go.id"


def test_the_file_fills_what_the_environment_does_not_set(tmp_path):
    path = tmp_path / ".env"
    path.write_text("DEBUG=1\nSECRET_KEY=from-file\nSITE_URL=http://127.0.0.1:8000\n")
    environ = {"SITE_URL": "https://set.example"}
    assert read_env_file(path, environ) == path
    assert environ == {"DEBUG": "1", "SECRET_KEY": "from-file", "SITE_URL": "https://set.example"}


def test_a_deployment_with_debug_off_ignores_the_file_unless_it_names_one(tmp_path):
    path = tmp_path / ".env"
    path.write_text("SECRET_KEY=development-key\n")
    environ = {"DEBUG": "0"}
    assert read_env_file(path, environ) is None
    assert "SECRET_KEY" not in environ
    named = tmp_path / "siputri.env"
    named.write_text("SECRET_KEY=production-key\n")
    environ = {"DEBUG": "0", "ENV_FILE": str(named)}
    assert read_env_file(path, environ) == named
    assert environ["SECRET_KEY"] == "production-key"


def test_a_named_env_file_that_is_missing_stops_start_up(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="ENV_FILE"):
        read_env_file(tmp_path / ".env", {"ENV_FILE": str(tmp_path / "missing.env")})


def _settings(module: str, env_file: Path) -> str:
    environ = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "SITE_URL"}}
    environ.update(DJANGO_SETTINGS_MODULE=module, ENV_FILE=str(env_file))
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.SITE_URL)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_commands_started_without_any_variable_read_make_runs_settings(tmp_path):
    path = tmp_path / ".env"
    devenv.write(path, {"PORT": "8123"})
    assert _settings("siputri.settings", path) == "True http://127.0.0.1:8123"


def test_the_test_suite_keeps_debug_off_whatever_the_file_says(tmp_path):
    path = tmp_path / ".env"
    devenv.write(path, {"PORT": "8123"})
    assert _settings("siputri.settings_test", path).startswith("False ")
