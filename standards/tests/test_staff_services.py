import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from standards.models import Service

pytestmark = pytest.mark.django_db

VALID = {
    "code": "A-KK",
    "name": "Kartu Keluarga",
    "requirements": "Surat pengantar RT",
    "procedure": "Datang ke loket",
    "duration": "1 hari",
    "cost": "Gratis",
    "is_published": "on",
}


def test_operator_creates_a_service_for_their_own_agency(client_for, operator_a, agency_b):
    response = client_for(operator_a).post(reverse("standards:service_create"), {**VALID, "agency": agency_b.pk})
    assert response.status_code == 302
    service = Service.objects.get(code="A-KK")
    assert service.agency == operator_a.agency  # the agency field is not theirs to choose


def test_super_admin_chooses_the_agency(client_for, super_admin, agency_b):
    client_for(super_admin).post(reverse("standards:service_create"), {**VALID, "agency": agency_b.pk})
    assert Service.objects.get(code="A-KK").agency == agency_b


def test_bad_input_is_explained_and_nothing_is_stored(client_for, operator_a):
    response = client_for(operator_a).post(
        reverse("standards:service_create"), {**VALID, "code": "bad code!", "name": "", "online_url": "not a link"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"code", "name", "online_url"} <= errors.keys()
    assert Service.objects.count() == 0
    assert "has-error" in response.content.decode()


def test_a_taken_code_is_refused(client_for, operator_a, service_b):
    response = client_for(operator_a).post(reverse("standards:service_create"), {**VALID, "code": "B-NIB"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_editing_records_who_changed_which_field_from_what_to_what(client_for, operator_a, service_a):
    data = {**VALID, "code": "ignored", "name": service_a.name, "cost": "Rp 10.000 (Perda 5/2023)"}
    response = client_for(operator_a).post(reverse("standards:service_edit", args=["A-KTP"]), data)
    assert response.status_code == 302
    service_a.refresh_from_db()
    assert service_a.code == "A-KTP"  # the code is fixed once made
    assert service_a.cost == "Rp 10.000 (Perda 5/2023)"
    entry = LogEntry.objects.get_for_object(service_a).latest("timestamp")
    assert entry.actor == operator_a
    assert entry.changes_dict["cost"] == ["Gratis", "Rp 10.000 (Perda 5/2023)"]
    history = client_for(operator_a).get(reverse("standards:service_history", args=["A-KTP"])).content.decode()
    assert "operator.a" in history and "Rp 10.000 (Perda 5/2023)" in history and "Gratis" in history


def test_operator_cannot_edit_another_agencys_service(client_for, operator_b, service_a):
    response = client_for(operator_b).post(reverse("standards:service_edit", args=["A-KTP"]), VALID)
    assert response.status_code == 404
    service_a.refresh_from_db()
    assert service_a.name == "Penerbitan KTP-el"


def test_operator_list_shows_only_their_agency(client_for, operator_a, service_a, service_b):
    html = client_for(operator_a).get(reverse("standards:staff_service_list")).content.decode()
    assert "Penerbitan KTP-el" in html and "Nomor Induk Berusaha" not in html


def test_leader_sees_all_services_but_no_edit_links(client_for, leader, service_a, service_b):
    html = client_for(leader).get(reverse("standards:staff_service_list")).content.decode()
    assert "Penerbitan KTP-el" in html and "Nomor Induk Berusaha" in html
    assert reverse("standards:service_edit", args=["A-KTP"]) not in html


def test_drafts_are_listed_for_staff(client_for, super_admin, service_a):
    service_a.is_published = False
    service_a.save()
    html = client_for(super_admin).get(reverse("standards:staff_service_list"), {"q": "KTP"}).content.decode()
    assert "Penerbitan KTP-el" in html
    assert '<span class="badge draft">' in html


def test_unchanged_text_boxes_do_not_show_as_changes(client_for, operator_a, service_a):
    data = {
        **VALID,
        "name": service_a.name,
        "requirements": service_a.requirements.replace("\n", "\r\n"),
        "procedure": service_a.procedure.replace("\n", "\r\n"),
        "duration": service_a.duration,
        "product": service_a.product,
        "complaints": service_a.complaints,
        "cost": "Rp 5.000",
    }
    client_for(operator_a).post(reverse("standards:service_edit", args=["A-KTP"]), data)
    entry = LogEntry.objects.get_for_object(service_a).latest("timestamp")
    assert set(entry.changes_dict) == {"cost"}
