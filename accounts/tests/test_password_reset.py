"""Self-service password reset for staff: a one-time link by email, on SITE_URL."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse

pytestmark = pytest.mark.django_db
RESET = reverse("accounts:password_reset")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def ask(client, email, **headers):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(RESET, {"email": email}, **headers)


def link_in(message) -> str:
    return re.search(r"https?://\S+/login/atur-sandi/\S+/", message.body).group(0)


def test_a_staff_member_gets_a_one_time_link_on_the_site_address(client, operator_a):
    response = ask(client, operator_a.email)  # asked at http://testserver/

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    [message] = mail.outbox
    assert message.to == [operator_a.email]
    assert message.subject == "[SI-PUTRI] Pilih sandi baru"
    assert link_in(message).startswith(settings.SITE_URL + "/login/atur-sandi/")
    assert "testserver" not in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, operator_a):
    response = ask(client, "nobody@example.org")

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_an_inactive_account_gets_no_link(client, operator_a):
    operator_a.is_active = False
    operator_a.save()

    ask(client, operator_a.email)
    assert mail.outbox == []


def test_the_link_sets_a_checked_password_once_and_the_new_one_signs_in(client, operator_a):
    ask(client, operator_a.email)
    path = link_in(mail.outbox[0]).removeprefix(settings.SITE_URL)
    client = english(client)

    form = client.get(path, follow=True)
    form_url = form.redirect_chain[-1][0]
    too_short = client.post(form_url, {"new_password1": "abc", "new_password2": "abc"})
    assert "This password is too short." in too_short.content.decode()
    done = client.post(form_url, {"new_password1": "Sungai-Musi-2027", "new_password2": "Sungai-Musi-2027"})
    assert done["Location"] == reverse("accounts:password_reset_complete")

    operator_a.refresh_from_db()
    assert operator_a.check_password("Sungai-Musi-2027")
    again = client.get(path, follow=True)
    assert "This link does not work any more" in again.content.decode()


def test_the_login_page_links_to_the_reset(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{RESET}"' in page
