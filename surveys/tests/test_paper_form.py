import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentKind, IssuedDocument
from documents.tests.pdfcheck import needs_poppler, pdf_text, qr_codes_per_page

pytestmark = pytest.mark.django_db


def form(client, code="A-KTP", **query):
    return client.get(reverse("paper:service_form", args=[code]), query)


@needs_poppler
def test_the_printed_questionnaire_has_the_layout_version_serial_and_survey_qr(
    client_for, operator_a, service_a, questionnaire, oki_identity
):
    response = form(client_for(operator_a))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)

    assert "KUESIONER SURVEI KEPUASAN MASYARAKAT" in text
    assert "PEMERINTAH KABUPATEN OGAN KOMERING ILIR" in text
    assert f"OPD: {service_a.agency.name}" in text and f"Layanan: {service_a.name}" in text
    assert f"Versi kuesioner: {questionnaire.version}" in text
    assert f"Nomor formulir: {timezone.localdate().year}-000001" in text
    for element in questionnaire.elements.all():
        assert f"{element.position}. {element.name_id}" in text
        assert all(label in text for label in element.labels_id)
    assert "Jenis kelamin" in text and "Laki-laki" in text and "Usia (tahun):" in text
    assert "SARAN UNTUK PERBAIKAN PELAYANAN" in text
    survey = f"{settings.SITE_URL.rstrip('/')}/survei/layanan/{service_a.code}/"
    document = IssuedDocument.objects.get()
    verify = f"{settings.SITE_URL.rstrip('/')}/verifikasi/{document.code}/"
    pages = qr_codes_per_page(response.content)
    assert survey in pages[0] and all(verify in codes for codes in pages)
    assert document.kind == DocumentKind.QUESTIONNAIRE and document.figures["version"] == questionnaire.version


def test_each_copy_has_its_own_serial_never_printed_again(client_for, operator_a, service_a, questionnaire):
    client = client_for(operator_a)
    form(client, jumlah=3)
    form(client)
    printed = [document.figures["serials"] for document in IssuedDocument.objects.order_by("issued_at", "pk")]
    first, last = printed[0].split(" – ")
    assert int(last[-6:]) - int(first[-6:]) == 2
    assert int(printed[1][-6:]) == int(last[-6:]) + 1


def test_an_operator_of_another_agency_gets_404(client_for, operator_b, service_a, questionnaire):
    assert form(client_for(operator_b)).status_code == 404
    assert not IssuedDocument.objects.exists()
