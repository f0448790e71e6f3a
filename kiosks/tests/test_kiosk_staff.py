"""Staff register kiosks for their agency, see each one's last submission and count, give a
new enrolment code, and revoke; another agency's kiosk is a 404 for an operator."""

import re

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from kiosks.models import Kiosk
from kiosks.tests.conftest import enrol, kiosk_post

pytestmark = pytest.mark.django_db


def test_operator_registers_a_kiosk_and_sees_the_enrolment_link_once_on_site_url(
    settings, client_for, operator_a, service_a
):
    settings.SITE_URL = "https://skm.okikab.go.id/"
    client = client_for(operator_a)

    response = client.post(reverse("kiosks:create"), {"name": "Loket 2", "service": service_a.pk}, follow=True)

    kiosk = Kiosk.objects.get()
    assert (kiosk.agency, kiosk.service, kiosk.created_by) == (service_a.agency, service_a, operator_a)
    html = response.content.decode()
    code = re.search(r'<strong class="code">([A-Z0-9-]+)</strong>', html).group(1)
    assert f"https://skm.okikab.go.id/kios/daftar/?kode={code}" in html
    assert 'src="data:image/svg+xml' in html
    assert code not in client.get(reverse("kiosks:detail", args=[kiosk.pk])).content.decode()
    assert LogEntry.objects.get_for_object(kiosk).filter(action=LogEntry.Action.CREATE, actor=operator_a).exists()


def test_operator_cannot_register_for_another_agency(client_for, operator_a, service_b):
    client = client_for(operator_a)
    page = client.get(reverse("kiosks:create")).content.decode()
    assert 'name="agency"' not in page

    response = client.post(reverse("kiosks:create"), {"name": "Loket", "service": service_b.pk})

    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not Kiosk.objects.exists()


def test_super_admin_registers_for_any_agency(client_for, super_admin, agency_b):
    response = client_for(super_admin).post(reverse("kiosks:create"), {"name": "Meja PTSP", "agency": agency_b.pk})

    assert response.status_code == 302
    assert Kiosk.objects.get().agency == agency_b


def test_list_shows_last_submission_and_count_of_own_agency_only(
    client_for, operator_a, operator_b, tablet, kiosk_a, questionnaire
):
    kiosk_post(tablet, questionnaire)

    html = client_for(operator_a).get(reverse("kiosks:list")).content.decode()
    assert "Loket 1" in html and "<td>1</td>" in html
    assert "Loket 1" not in client_for(operator_b).get(reverse("kiosks:list")).content.decode()
    assert client_for(operator_b).get(reverse("kiosks:detail", args=[kiosk_a[0].pk])).status_code == 404
    assert client_for(operator_b).post(reverse("kiosks:revoke", args=[kiosk_a[0].pk])).status_code == 404


def test_revoke_from_the_staff_page_stops_the_tablet(client_for, operator_a, tablet, kiosk_a):
    response = client_for(operator_a).post(reverse("kiosks:revoke", args=[kiosk_a[0].pk]), follow=True)

    assert "dicabut" in response.content.decode()
    assert tablet.get(reverse("kiosk:home")).status_code == 403
    assert LogEntry.objects.get_for_object(kiosk_a[0]).filter(actor=operator_a, action=LogEntry.Action.UPDATE).exists()


def test_a_new_enrolment_code_moves_the_kiosk_to_a_new_tablet(client_for, operator_a, tablet, kiosk_a):
    client = client_for(operator_a)
    html = client.post(reverse("kiosks:reenrol", args=[kiosk_a[0].pk]), follow=True).content.decode()
    code = re.search(r'<strong class="code">([A-Z0-9-]+)</strong>', html).group(1)

    assert tablet.get(reverse("kiosk:home")).status_code == 403
    new_tablet = enrol(Client(), code)
    assert new_tablet.get(reverse("kiosk:home"), follow=True).status_code == 200


def test_add_kiosk_prints_the_absolute_enrolment_url(settings, capsys, service_a):
    settings.SITE_URL = "https://skm.okikab.go.id"

    call_command("add_kiosk", "Loket 3", "--agency", "OPD-A", "--service", "A-KTP")

    out = capsys.readouterr().out
    url = re.search(r"^(https://skm\.okikab\.go\.id/kios/daftar/\?kode=[A-Z0-9-]+)$", out, re.MULTILINE).group(1)
    kiosk = Kiosk.objects.get()
    assert (kiosk.name, kiosk.service) == ("Loket 3", service_a)
    device = Client()
    device.get(url.removeprefix("https://skm.okikab.go.id"))
    enrol(device, url.rsplit("=", 1)[1])
    assert device.get(reverse("kiosk:home"))["Location"] == reverse("kiosk:survey", args=["A-KTP"])


def test_add_kiosk_refuses_an_unknown_agency_or_a_service_of_another(service_a, service_b):
    with pytest.raises(CommandError, match="OPD-X"):
        call_command("add_kiosk", "Loket", "--agency", "OPD-X")
    with pytest.raises(CommandError, match="OPD lain"):
        call_command("add_kiosk", "Loket", "--agency", "OPD-A", "--service", "B-NIB")
    assert not Kiosk.objects.exists()
