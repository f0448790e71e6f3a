import datetime
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiosks.services import kiosk_register

PROFILE = {"gender": "L", "age": "41", "education": "smp", "occupation": "swasta"}


@pytest.fixture
def kiosk_a(service_a, operator_a):
    """A kiosk of agency A open for any of its services, with its one-time code."""
    return kiosk_register(name="Loket 1", agency=service_a.agency, service=None, actor=operator_a)


def enrol(client: Client, code: str) -> Client:
    response = client.post(reverse("kiosk:enrol"), {"code": code})
    assert response.status_code == 302, response.content.decode()
    return client


@pytest.fixture
def tablet(kiosk_a):
    """A browser enrolled as ``kiosk_a``, on one counter address."""
    return enrol(Client(REMOTE_ADDR="10.0.0.7"), kiosk_a[1])


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def kiosk_post(client: Client, questionnaire, code="A-KTP", answer="4", **overrides):
    url = reverse("kiosk:survey", args=[code])
    data = {**PROFILE, "token": token_of(client.get(url).content.decode()), "website": ""}
    data.update({f"q_{element.code}": answer for element in questionnaire.elements.all()})
    data.update(overrides)
    return client.post(url, data)


@pytest.fixture
def clock():
    """``clock.move(seconds=…)``: the server's time, moved by hand, for the kiosk interval."""

    class Clock:
        now = timezone.now()

        def move(self, **delta):
            self.now += datetime.timedelta(**delta)

    moving = Clock()
    with mock.patch("django.utils.timezone.now", lambda: moving.now):
        yield moving
