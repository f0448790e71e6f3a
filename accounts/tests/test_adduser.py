"""`manage.py adduser USERNAME --role ROLE [--agency CODE] [--email EMAIL] [--password-stdin]`.

Messages are Indonesian by default; English wording is asserted only under ``override("en")``.
"""

import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import override

from accounts.models import Role, User

# generate_password(): four groups of five characters from an alphabet without look-alikes.
PRINTED_PASSWORD = re.compile(r"\b[a-hj-km-np-z2-9]{5}(?:-[a-hj-km-np-z2-9]{5}){3}\b")
GOOD_PASSWORD = "Sungai-Komering-77"


def adduser(*args, stdin: str | None = None, monkeypatch=None) -> str:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("adduser", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args, stdin: str | None = None, monkeypatch=None) -> str:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(CommandError) as error:
        call_command("adduser", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return str(error.value)


@pytest.mark.parametrize("role", [Role.SUPER_ADMIN, Role.EVALUATOR, Role.LEADER])
def test_adduser_creates_an_account_for_each_role_without_agency(db, role):
    out = adduser("rina", "--role", role, "--email", "rina@okikab.go.id")

    user = User.objects.get(username="rina")
    assert user.role == role
    assert user.agency is None
    assert user.email == "rina@okikab.go.id"
    assert user.is_active
    assert "rina" in out
    password = PRINTED_PASSWORD.search(out).group()
    assert user.check_password(password)


def test_adduser_creates_an_operator_of_the_given_agency(db, agency_a):
    out = adduser("operator.dukcapil", "--role", "operator", "--agency", "OPD-A")

    user = User.objects.get(username="operator.dukcapil")
    assert user.role == Role.OPERATOR
    assert user.agency == agency_a
    assert user.check_password(PRINTED_PASSWORD.search(out).group())


def test_created_account_message_in_english_names_role_and_username(db, agency_a):
    with override("en"):
        out = adduser("operator.dukcapil", "--role", "operator", "--agency", "OPD-A")

    assert "Created Agency Operator account “operator.dukcapil”." in out
    assert re.search(r"^Password: " + PRINTED_PASSWORD.pattern + "$", out, re.MULTILINE)


def test_random_passwords_differ_between_accounts(db):
    first = PRINTED_PASSWORD.search(adduser("satu", "--role", "evaluator")).group()
    second = PRINTED_PASSWORD.search(adduser("dua", "--role", "evaluator")).group()

    assert first != second
    assert not User.objects.get(username="satu").check_password(second)


def test_operator_without_agency_is_refused_and_nothing_is_stored(db, agency_a):
    before = User.objects.count()

    message = refused("operator.x", "--role", "operator")

    assert "--agency" in message
    assert User.objects.count() == before


def test_operator_without_agency_message_in_english(db):
    with override("en"):
        message = refused("operator.x", "--role", "operator")

    assert message == "The operator role needs --agency CODE."


@pytest.mark.parametrize("role", [Role.SUPER_ADMIN, Role.EVALUATOR, Role.LEADER])
def test_agency_with_a_role_other_than_operator_is_refused(db, agency_a, role):
    before = User.objects.count()

    with override("en"):
        message = refused("rina", "--role", role, "--agency", "OPD-A")

    assert message == "Only the operator role takes --agency."
    assert User.objects.count() == before


def test_unknown_agency_code_is_refused(db, agency_a):
    before = User.objects.count()

    message = refused("operator.x", "--role", "operator", "--agency", "OPD-TIDAK-ADA")

    assert "OPD-TIDAK-ADA" in message
    assert User.objects.count() == before


def test_unknown_role_is_refused(db):
    message = refused("rina", "--role", "bupati")

    assert "bupati" in message
    assert not User.objects.filter(username="rina").exists()


def test_duplicate_username_is_refused_and_the_existing_account_is_untouched(db, evaluator):
    before = User.objects.count()

    message = refused("evaluator", "--role", "leader")

    assert message
    assert User.objects.count() == before
    evaluator.refresh_from_db()
    assert evaluator.role == Role.EVALUATOR
    assert evaluator.check_password("Correct-Horse-9")


def test_duplicate_username_message_in_english(db, evaluator):
    with override("en"):
        message = refused("evaluator", "--role", "leader")

    assert "already exists" in message


def test_invalid_email_is_refused(db):
    message = refused("rina", "--role", "evaluator", "--email", "bukan-email")

    assert message
    assert not User.objects.filter(username="rina").exists()


def test_password_stdin_sets_the_password_read_from_standard_input(db, monkeypatch):
    out = adduser("rina", "--role", "leader", "--password-stdin", stdin=GOOD_PASSWORD + "\n", monkeypatch=monkeypatch)

    user = User.objects.get(username="rina")
    assert user.check_password(GOOD_PASSWORD)
    assert not user.check_password(GOOD_PASSWORD + "\n")
    assert GOOD_PASSWORD not in out  # a password given on stdin is never echoed
    assert not PRINTED_PASSWORD.search(out)


def test_password_stdin_accepts_windows_line_ending(db, monkeypatch):
    adduser("rina", "--role", "leader", "--password-stdin", stdin=GOOD_PASSWORD + "\r\n", monkeypatch=monkeypatch)

    assert User.objects.get(username="rina").check_password(GOOD_PASSWORD)


@pytest.mark.parametrize("weak", ["123\n", "password\n", "12345678901\n", "\n", ""])
def test_weak_password_on_stdin_is_refused_and_nothing_is_stored(db, monkeypatch, weak):
    before = User.objects.count()

    message = refused("rina", "--role", "leader", "--password-stdin", stdin=weak, monkeypatch=monkeypatch)

    assert message
    assert User.objects.count() == before


def test_weak_password_message_in_english_says_why(db, monkeypatch):
    with override("en"):
        message = refused("rina", "--role", "leader", "--password-stdin", stdin="123\n", monkeypatch=monkeypatch)

    assert "too short" in message
    assert not User.objects.filter(username="rina").exists()


def test_command_line_exit_status_is_nonzero_on_error_and_zero_on_success(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "siputri.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'siputri.sqlite3'}",
    }
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)

    def manage(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert manage("migrate", "--noinput").returncode == 0

    no_agency = manage("adduser", "operator.x", "--role", "operator")
    assert no_agency.returncode != 0
    assert "--agency" in no_agency.stderr
    assert "Traceback" not in no_agency.stderr

    weak = manage("adduser", "rina", "--role", "leader", "--password-stdin", stdin="123\n")
    assert weak.returncode != 0
    assert "Traceback" not in weak.stderr

    created = manage("adduser", "rina", "--role", "leader", "--password-stdin", stdin=GOOD_PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    assert "rina" in created.stdout
    assert GOOD_PASSWORD not in created.stdout

    again = manage("adduser", "rina", "--role", "leader")
    assert again.returncode != 0
    assert not PRINTED_PASSWORD.search(again.stdout)
