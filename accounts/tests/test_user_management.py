import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from accounts.models import Role, User

pytestmark = pytest.mark.django_db


def _new(**overrides):
    return {
        "username": "siti",
        "first_name": "Siti",
        "last_name": "Aminah",
        "email": "siti@example.org",
        "role": "operator",
        "agency": "",
        "password": "Kayu-Agung-2026",
        **overrides,
    }


def test_super_admin_creates_an_operator_bound_to_an_agency(client_for, super_admin, agency_a):
    response = client_for(super_admin).post(reverse("accounts:user_create"), _new(agency=agency_a.pk))
    assert response.status_code == 302
    user = User.objects.get(username="siti")
    assert (user.role, user.agency, user.check_password("Kayu-Agung-2026")) == ("operator", agency_a, True)
    assert LogEntry.objects.get_for_object(user).filter(actor=super_admin).exists()


def test_operator_without_agency_is_refused(client_for, super_admin):
    response = client_for(super_admin).post(reverse("accounts:user_create"), _new())
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not User.objects.filter(username="siti").exists()


def test_evaluator_with_an_agency_is_refused(client_for, super_admin, agency_a):
    response = client_for(super_admin).post(reverse("accounts:user_create"), _new(role="evaluator", agency=agency_a.pk))
    assert "agency" in response.context["form"].errors
    assert not User.objects.filter(username="siti").exists()


def test_weak_password_and_taken_username_are_refused(client_for, super_admin, operator_a):
    response = client_for(super_admin).post(
        reverse("accounts:user_create"), _new(username="operator.a", role="leader", password="12345678")
    )
    errors = response.context["form"].errors
    assert "username" in errors
    assert User.objects.count() == 2  # super admin and operator A, nothing new


def test_weak_password_alone_is_refused(client_for, super_admin):
    response = client_for(super_admin).post(reverse("accounts:user_create"), _new(role="leader", password="password"))
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="siti").exists()


def test_super_admin_changes_a_role_and_the_agency_is_cleared(client_for, super_admin, operator_a):
    url = reverse("accounts:user_edit", args=[operator_a.pk])
    response = client_for(super_admin).post(
        url, {"first_name": "", "last_name": "", "email": "a@example.org", "role": Role.LEADER, "agency": ""}
    )
    assert response.status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.role == Role.LEADER and operator_a.agency is None and operator_a.is_active is False


def test_super_admin_cannot_lock_themselves_out(client_for, super_admin):
    url = reverse("accounts:user_edit", args=[super_admin.pk])
    response = client_for(super_admin).post(url, {"email": "x@example.org", "role": Role.LEADER, "agency": ""})
    assert response.status_code == 200
    super_admin.refresh_from_db()
    assert super_admin.role == Role.SUPER_ADMIN and super_admin.is_active


def test_super_admin_sets_a_new_password(client_for, super_admin, operator_a):
    url = reverse("accounts:user_password", args=[operator_a.pk])
    assert client_for(super_admin).post(url, {"password": "short"}).status_code == 200
    assert client_for(super_admin).post(url, {"password": "Pedamaran-Timur-7"}).status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.check_password("Pedamaran-Timur-7")


def test_audit_log_shows_staff_changes_without_password_hashes(client_for, super_admin, operator_a):
    client = client_for(super_admin)
    client.post(reverse("accounts:user_password", args=[operator_a.pk]), {"password": "Pedamaran-Timur-7"})
    client.post(
        reverse("accounts:user_edit", args=[operator_a.pk]),
        {"email": "baru@example.org", "role": "operator", "agency": operator_a.agency_id, "is_active": "on"},
    )
    html = client.get(reverse("accounts:audit_log")).content.decode()
    assert "baru@example.org" in html
    assert "md5$" not in html and "pbkdf2" not in html


def test_a_staff_account_carries_nip_and_position(client_for, super_admin, agency_a):
    data = _new(agency=agency_a.pk, nip="199003152015032002", position="Pengadministrasi Kependudukan")
    client_for(super_admin).post(reverse("accounts:user_create"), data)
    user = User.objects.get(username="siti")
    assert (user.nip, user.position) == ("199003152015032002", "Pengadministrasi Kependudukan")


def test_a_nip_that_is_not_18_digits_is_refused(client_for, super_admin, agency_a):
    response = client_for(super_admin).post(reverse("accounts:user_create"), _new(agency=agency_a.pk, nip="1990 0315"))
    assert "nip" in response.context["form"].errors
    assert not User.objects.filter(username="siti").exists()
