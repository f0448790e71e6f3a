import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from agencies.models import Agency, AgencyKind, ServicePledge

pytestmark = pytest.mark.django_db


def test_operator_edits_their_own_pledge_and_it_is_shown_publicly(client_for, operator_a, agency_a):
    response = client_for(operator_a).post(
        reverse("agencies:pledge_edit", args=["OPD-A"]),
        {"text": "Kami berjanji melayani dengan cepat.", "signed_by": "Kadis"},
    )
    assert response.status_code == 302
    pledge = ServicePledge.objects.get(agency=agency_a)
    assert pledge.updated_by == operator_a
    assert LogEntry.objects.get_for_object(pledge).filter(actor=operator_a).exists()
    html = client_for(None).get(reverse("standards:agency_detail", args=["OPD-A"])).content.decode()
    assert "Kami berjanji melayani dengan cepat." in html


def test_empty_pledge_is_refused(client_for, operator_a, agency_a):
    response = client_for(operator_a).post(reverse("agencies:pledge_edit", args=["OPD-A"]), {"text": ""})
    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert ServicePledge.objects.get(agency=agency_a).text == "Kami sanggup melayani sesuai standar."


def test_operator_cannot_touch_another_agencys_pledge(client_for, operator_b, agency_a):
    response = client_for(operator_b).post(reverse("agencies:pledge_edit", args=["OPD-A"]), {"text": "diubah"})
    assert response.status_code == 404
    assert ServicePledge.objects.get(agency=agency_a).text == "Kami sanggup melayani sesuai standar."


def test_super_admin_creates_an_agency(client_for, super_admin):
    response = client_for(super_admin).post(
        reverse("agencies:agency_create"),
        {"code": "KEC-JEJAWI", "name": "Kecamatan Jejawi", "kind": "kecamatan", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Agency.objects.get(code="KEC-JEJAWI").kind == AgencyKind.KECAMATAN


def test_agency_code_must_be_unique_and_clean(client_for, super_admin, agency_a):
    response = client_for(super_admin).post(
        reverse("agencies:agency_create"), {"code": "OPD-A", "name": "Lagi", "kind": "dinas"}
    )
    assert "code" in response.context["form"].errors
    response = client_for(super_admin).post(
        reverse("agencies:agency_create"), {"code": "a b", "name": "Lagi", "kind": "dinas"}
    )
    assert "code" in response.context["form"].errors
    assert Agency.objects.count() == 1


def test_deactivating_an_agency_hides_it_from_citizens(client_for, super_admin, agency_a):
    client_for(super_admin).post(
        reverse("agencies:agency_edit", args=["OPD-A"]), {"name": agency_a.name, "kind": "dinas"}
    )
    agency_a.refresh_from_db()
    assert agency_a.is_active is False
    assert client_for(None).get(reverse("standards:agency_detail", args=["OPD-A"])).status_code == 404


def test_operator_sees_only_their_agency_in_the_staff_list(client_for, operator_a, agency_a, agency_b):
    html = client_for(operator_a).get(reverse("agencies:staff_agency_list")).content.decode()
    assert agency_a.name in html and agency_b.name not in html


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Kecamatan Lempuing", AgencyKind.KECAMATAN),
        ("Rumah Sakit Umum Daerah Kayuagung", AgencyKind.RSUD),
        ("Puskesmas Kayuagung", AgencyKind.PUSKESMAS),
        ("Badan Pendapatan Daerah", AgencyKind.BADAN),
        ("Bagian Organisasi Setda", AgencyKind.BAGIAN),
        ("Dinas Sosial", AgencyKind.DINAS),
    ],
)
def test_agency_kind_is_guessed_from_its_name(name, kind):
    assert AgencyKind.guess(name) == kind


def test_agency_head_nip_must_have_18_digits(client_for, super_admin, agency_a):
    url = reverse("agencies:agency_edit", args=["OPD-A"])
    data = {
        "name": agency_a.name,
        "kind": agency_a.kind,
        "head_name": "Ir. Budi",
        "head_nip": "12345",
        "is_active": "on",
    }
    response = client_for(super_admin).post(url, data)
    assert response.status_code == 200
    assert "head_nip" in response.context["form"].errors
    agency_a.refresh_from_db()
    assert agency_a.head_nip == ""
    client_for(super_admin).post(url, {**data, "head_nip": "197205121998031004", "opening_hours": "Senin–Jumat"})
    agency_a.refresh_from_db()
    assert agency_a.head_nip == "197205121998031004"
    html = client_for(None).get(reverse("standards:agency_detail", args=["OPD-A"])).content.decode()
    assert "Senin–Jumat" in html and "Ir. Budi" in html
    assert "197205121998031004" not in html  # the public page names the head, not their NIP
