"""The Maklumat Pelayanan: its adoption date (edited in the pledge form, shown on the public
pages) and its printable A4 poster, registered as an issued document."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from agencies.models import ServicePledge
from documents.models import DocumentKind, IssuedDocument
from documents.tests.pdfcheck import needs_poppler, pdf_text, qr_codes_per_page

pytestmark = pytest.mark.django_db

EDIT = reverse("agencies:pledge_edit", args=["OPD-A"])
POSTER = reverse("agencies:pledge_poster", args=["OPD-A"])
A4_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+595\.2756\s+841\.8898\s*\]")
SITE_URL = "https://skm.okikab.go.id"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def test_operator_records_the_adoption_date_and_it_is_audited(client_for, operator_a, agency_a):
    response = client_for(operator_a).post(
        EDIT, {"text": "Kami sanggup melayani sesuai standar.", "signed_by": "Kadis", "adopted_on": "2026-01-02"}
    )

    assert response.status_code == 302
    pledge = ServicePledge.objects.get(agency=agency_a)
    assert pledge.adopted_on == datetime.date(2026, 1, 2)
    entry = LogEntry.objects.get_for_object(pledge).filter(actor=operator_a).latest("timestamp")
    assert "adopted_on" in entry.changes_dict


def test_the_adoption_date_is_shown_on_the_public_pages(client, agency_a, service_a):
    ServicePledge.objects.filter(agency=agency_a).update(adopted_on=datetime.date(2026, 1, 2))

    for url in (
        reverse("standards:agency_detail", args=["OPD-A"]),
        reverse("standards:service_detail", args=["A-KTP"]),
    ):
        html = client.get(url).content.decode()
        assert "2 Januari 2026" in html or "2 January 2026" in html, url


def test_an_adoption_date_in_the_future_is_refused(client_for, operator_a, agency_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(operator_a).post(EDIT, {"text": "Janji baru", "adopted_on": tomorrow.isoformat()})

    assert response.status_code == 200
    assert "adopted_on" in response.context["form"].errors
    pledge = ServicePledge.objects.get(agency=agency_a)
    assert pledge.text == "Kami sanggup melayani sesuai standar." and pledge.adopted_on is None


def test_the_adoption_date_may_stay_empty(client_for, operator_a, agency_a):
    response = client_for(operator_a).post(EDIT, {"text": "Janji baru", "adopted_on": ""})
    assert response.status_code == 302
    assert ServicePledge.objects.get(agency=agency_a).adopted_on is None


def test_poster_is_a_one_page_a4_pdf_registered_as_an_issued_document(client_for, operator_a, agency_a):
    ServicePledge.objects.filter(agency=agency_a).update(adopted_on=datetime.date(2026, 1, 2))

    response = client_for(operator_a).get(POSTER)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="maklumat-OPD-A.pdf"'
    assert len(A4_MEDIABOX.findall(response.content)) == 1
    document = IssuedDocument.objects.get()
    assert (document.kind, document.agency, document.issued_by) == (DocumentKind.PLEDGE, agency_a, operator_a)
    assert document.figures == {"title": agency_a.name, "adopted_on": "2026-01-02"}
    assert len(document.content_hash) == 64


def test_the_verification_page_names_the_pledge_and_its_adoption_date(client_for, operator_a, agency_a, client):
    ServicePledge.objects.filter(agency=agency_a).update(adopted_on=datetime.date(2026, 1, 2))
    client_for(operator_a).get(POSTER)
    document = IssuedDocument.objects.get()

    html = client.get(reverse("documents:verify", args=[document.code])).content.decode()

    assert agency_a.name in html
    assert "2 Januari 2026" in html or "2 January 2026" in html


def test_a_new_print_supersedes_the_earlier_one(client_for, operator_a, agency_a):
    client_for(operator_a).get(POSTER)
    client_for(operator_a).get(POSTER)

    first, second = IssuedDocument.objects.order_by("pk")
    assert first.superseded_by == second and second.superseded_by is None


@needs_poppler
def test_poster_carries_the_regency_identity_the_pledge_the_date_and_the_signer(
    client_for, operator_a, agency_a, oki_identity
):
    agency_a.head_name, agency_a.head_nip, agency_a.head_title = (
        "Drs. H. Ahmad Fauzi, M.Si.",
        "197003151995031002",
        "Kepala Dinas",
    )
    agency_a.save()
    ServicePledge.objects.filter(agency=agency_a).update(adopted_on=datetime.date(2026, 1, 2))

    content = client_for(operator_a).get(POSTER).content

    text = pdf_text(content)
    for expected in (
        "PEMERINTAH KABUPATEN OGAN KOMERING ILIR",
        agency_a.name.upper(),
        "MAKLUMAT PELAYANAN",
        "Kami sanggup melayani sesuai standar.",
        "Kayuagung, 2 Januari 2026",
        "Kepala Dinas",
        "Drs. H. Ahmad Fauzi, M.Si.",
        "NIP. 197003151995031002",
        IssuedDocument.objects.get().printed_code,
    ):
        assert expected in text, expected


@needs_poppler
def test_poster_of_a_long_pledge_stays_on_one_page_and_its_qr_opens_the_verification(
    client_for, operator_a, agency_a, client
):
    long_text = "\n\n".join(
        f"{number}. Kami sanggup memberikan pelayanan yang cepat, tepat dan ramah." for number in range(40)
    )
    ServicePledge.objects.filter(agency=agency_a).update(text=long_text)

    content = client_for(operator_a).get(POSTER).content

    document = IssuedDocument.objects.get()
    verify = reverse("documents:verify", args=[document.code])
    assert qr_codes_per_page(content) == [[SITE_URL + verify]]
    assert "39. Kami sanggup" in pdf_text(content)  # shrunk to fit, nothing cut off
    html = client.get(verify).content.decode()
    assert agency_a.name in html


def test_poster_of_an_agency_without_a_pledge_says_so(client_for, super_admin, agency_b):
    response = client_for(super_admin).get(reverse("agencies:pledge_poster", args=["OPD-B"]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("agencies:staff_agency_list")
    assert agency_b.name in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_operator_of_another_agency_gets_404_and_nothing_is_issued(client_for, operator_b, agency_a):
    assert client_for(operator_b).get(POSTER).status_code == 404
    assert not IssuedDocument.objects.exists()


def test_pledge_form_and_agency_list_link_the_poster(client_for, operator_a, agency_a):
    assert POSTER in client_for(operator_a).get(EDIT).content.decode()
    assert POSTER in client_for(operator_a).get(reverse("agencies:staff_agency_list")).content.decode()
