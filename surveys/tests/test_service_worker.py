"""The survey's service worker is served at the root (so it covers /survei/ and /kios/), always
revalidated, and loads only same-origin scripts; the survey page announces it without any
inline script."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_worker_is_served_at_the_root_and_revalidated(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'importScripts("/static/js/outbox.js");' in body
    assert "http" not in body.replace("self.location.origin", "")


def test_the_survey_page_names_the_worker_and_its_messages(client, service_a, questionnaire):
    html = client.get(reverse("survey:service_survey", args=["A-KTP"])).content.decode()

    status = re.search(r'<p class="outbox" role="status" hidden ([^>]*)>', html).group(1)
    assert 'data-worker="/sw.js"' in status
    assert 'data-saved="Tersimpan di perangkat ini.' in status
    assert "{n} survei tersimpan" in status
