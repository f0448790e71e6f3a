import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_staff_sign_in_and_land_on_the_dashboard(client, operator_a):
    response = _login(client, "operator.a", "Correct-Horse-9")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_wrong_password_is_refused_with_a_message(client, operator_a):
    response = _login(client, "operator.a", "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, operator_a, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "operator.a", "wrong")
    response = _login(client, "operator.a", "Correct-Horse-9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert b"15" in response.content  # tells how long to wait


def test_inactive_accounts_cannot_sign_in(client, operator_a):
    operator_a.is_active = False
    operator_a.save()
    response = _login(client, "operator.a", "Correct-Horse-9")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client_for, operator_a):
    client = client_for(operator_a)
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change_needs_the_old_password(client_for, operator_a):
    client = client_for(operator_a)
    url = reverse("accounts:password_change")
    bad = client.post(
        url, {"old_password": "nope", "new_password1": "Sungai-Musi-88", "new_password2": "Sungai-Musi-88"}
    )
    assert bad.status_code == 200 and "old_password" in bad.context["form"].errors
    good = client.post(
        url, {"old_password": "Correct-Horse-9", "new_password1": "Sungai-Musi-88", "new_password2": "Sungai-Musi-88"}
    )
    assert good.status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.check_password("Sungai-Musi-88")
