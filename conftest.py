"""The cast of actors every test can use: a super admin, an evaluator, a leader, an operator
of agency A, an operator of agency B, and anonymous citizens (the plain ``client``).

Every test runs at a fixed instant, never at today's date: ``TEST_NOW`` unless the environment
sets ``SIPUTRI_TEST_NOW`` (an ISO date-time with its offset; `make test-dates` runs the suite at
awkward ones). The clock ticks on from there, so durations still pass; ``clock`` moves it.
Browser tests are the exception: the browser keeps its own clock, and cookies dated in another
year would expire in it at once.
"""

import datetime
import os

import pytest
import time_machine

from accounts.models import Role, User
from agencies.models import Agency, ServicePledge
from standards.models import Service

TEST_NOW = "2026-06-15T10:00:00+07:00"


def test_now() -> datetime.datetime:
    """The instant tests start at: ``SIPUTRI_TEST_NOW`` or ``TEST_NOW`` (its ``.date()`` is the
    date in Asia/Jakarta as long as the offset is +07:00, as in every instant we use)."""
    value = os.environ.get("SIPUTRI_TEST_NOW") or TEST_NOW
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"SIPUTRI_TEST_NOW must carry a UTC offset, e.g. {TEST_NOW}")
    return moment


test_now.__test__ = False  # a helper, not a test


@pytest.fixture(autouse=True)
def clock(request):
    """The injected clock: ``clock.move_to(instant)`` or ``clock.shift(timedelta)``. Unused by
    browser tests, which run at the real time (see the module docstring)."""
    if request.node.get_closest_marker("browser"):
        yield None
        return
    with time_machine.travel(test_now(), tick=True) as traveller:
        yield traveller


@pytest.fixture
def agency_a(db):
    agency = Agency.objects.create(code="OPD-A", name="Dinas Kependudukan dan Pencatatan Sipil", kind="dinas")
    ServicePledge.objects.create(agency=agency, text="Kami sanggup melayani sesuai standar.", signed_by="Kepala Dinas")
    return agency


@pytest.fixture
def agency_b(db):
    return Agency.objects.create(code="OPD-B", name="Dinas Penanaman Modal dan PTSP", kind="dinas")


@pytest.fixture
def service_a(agency_a):
    return Service.objects.create(
        agency=agency_a,
        code="A-KTP",
        name="Penerbitan KTP-el",
        requirements="Fotokopi Kartu Keluarga\nSurat pengantar RT/RW",
        procedure="Ambil nomor antrean\nPerekaman biometrik\nPengambilan KTP-el",
        duration="1 hari kerja",
        cost="Gratis",
        product="KTP-el",
        complaints="Loket pengaduan",
    )


@pytest.fixture
def service_b(agency_b):
    return Service.objects.create(
        agency=agency_b,
        code="B-NIB",
        name="Nomor Induk Berusaha",
        requirements="NIK\nNPWP",
        procedure="Daftar di OSS",
        cost="Gratis",
        online_url="https://oss.go.id",
    )


def _user(username, role, agency=None):
    user = User(username=username, role=role, agency=agency, email=f"{username}@example.org")
    user.set_password("Correct-Horse-9")
    user.save()
    return user


@pytest.fixture
def super_admin(db):
    return _user("admin", Role.SUPER_ADMIN)


@pytest.fixture
def evaluator(db):
    return _user("evaluator", Role.EVALUATOR)


@pytest.fixture
def leader(db):
    return _user("pimpinan", Role.LEADER)


@pytest.fixture
def operator_a(agency_a):
    return _user("operator.a", Role.OPERATOR, agency_a)


@pytest.fixture
def operator_b(agency_b):
    return _user("operator.b", Role.OPERATOR, agency_b)


@pytest.fixture
def actors(super_admin, evaluator, leader, operator_a, operator_b):
    """Every signed-in role by the name the access matrix uses."""
    return {
        "super_admin": super_admin,
        "evaluator": evaluator,
        "leader": leader,
        "operator_a": operator_a,
        "operator_b": operator_b,
    }


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (None: anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and lock-outs live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def questionnaire(db):
    """The questionnaire in use: version 1, the OKI preset, made by a migration. Tests on a
    flushed database (live server, transactional) get it made again from the preset."""
    from surveys.models import Questionnaire
    from surveys.services import questionnaire_from_preset

    current = Questionnaire.objects.filter(is_current=True).first()
    return current or questionnaire_from_preset(preset="oki", actor=None)


GOOD_PROFILE = {"gender": "P", "age": 34, "education": "sma", "occupation": "wirausaha"}


@pytest.fixture
def submit(questionnaire):
    """Store one web response for a service: ``submit(service, answers=4)`` answers every
    element with 4; a dict gives per-element answers."""
    from surveys.services import response_submit

    def make(service, answers=4, day=None, suggestion="", channel="web", **profile):
        codes = [e.code for e in questionnaire.elements.all()]
        values = answers if isinstance(answers, dict) else dict.fromkeys(codes, answers)
        return response_submit(
            service=service,
            answers=values,
            profile={**GOOD_PROFILE, **profile},
            channel=channel,
            suggestion=suggestion,
            day=day,
        )

    return make


@pytest.fixture(scope="session", autouse=True)
def _private_files_removed_afterwards():
    """Evidence uploaded by tests goes to a throwaway folder (settings_test); remove it at the end."""
    import shutil

    from django.conf import settings

    yield
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def oki_identity(super_admin):
    """The regency identity the demo sets: OKI's name, address, place, office and demo logo."""
    from django.core.files import File

    from agencies.services import regency_identity_update
    from demo.management.commands.load_demo import DATA, REGENCY

    with (DATA / "logo_demo.svg").open("rb") as logo:
        return regency_identity_update(actor=super_admin, data=REGENCY, logo=File(logo, name="logo_demo.svg"))
