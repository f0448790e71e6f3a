"""Supporting documents of a standard (SK, SOP, flowchart): uploaded by the agency's operators
and super admins, checked by content, stored outside the web root, served as downloads to
whoever may see them, and linked on the public service page when public."""

import datetime
import io
import os
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from standards.models import Service, ServiceDocument
from standards.services import service_document_add

pytestmark = pytest.mark.django_db

UPLOAD = reverse("standards:service_documents", args=["A-KTP"])
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def stored_files() -> set[str]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "standards"
    return {str(path) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post_document(client, name="sk.pdf", content=PDF, **fields):
    data = {"kind": "sk", "title": "SK Kepala Dinas Nomor 12 Tahun 2026", "is_public": "on", **fields}
    return client.post(UPLOAD, {**data, "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def document_of(operator_a):
    def add(service, *, is_public, name="sop.pdf", content=PDF, kind="sop"):
        return service_document_add(
            service=service,
            kind=kind,
            title=f"Dokumen {kind}",
            file=SimpleUploadedFile(name, content),
            is_public=is_public,
            actor=operator_a,
        )

    return add


# --- Upload ------------------------------------------------------------------------------------


def test_operator_uploads_a_public_decree_and_it_is_stored_under_a_short_safe_name(client_for, operator_a, service_a):
    response = post_document(client_for(operator_a), name="../../SK Standar Pelayanan (final).pdf")

    assert response.status_code == 302 and response["Location"] == UPLOAD
    document = ServiceDocument.objects.get()
    assert (document.service, document.kind, document.is_public) == (service_a, "sk", True)
    assert document.uploaded_by == operator_a and document.file_type == "application/pdf"
    assert document.file_name == "SK Standar Pelayanan (final).pdf"
    assert os.path.basename(document.file.name) == "sk-standar-pelayanan-final.pdf"
    assert ".." not in document.file.name and document.file.name.startswith("standards/")
    assert Path(document.file.path).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert LogEntry.objects.get_for_object(document).filter(actor=operator_a, action=LogEntry.Action.CREATE).exists()


def test_a_png_flowchart_is_accepted(client_for, super_admin, service_a):
    response = post_document(client_for(super_admin), name="alur.png", content=png_bytes(), kind="flowchart")

    assert response.status_code == 302
    assert ServiceDocument.objects.get().file_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sk.pdf", b"Surat keputusan, ketik ulang", "Only PDF, PNG or JPEG files are accepted."),
        ("sk.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "The file is larger than 5 MB."),
        (
            "sk.pdf",
            b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n",
            "The PDF contains JavaScript or an action that starts a program; save it again without them.",
        ),
        ("alur.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>", "The file cannot be read as a PNG image."),
        ("alur.pdf", png_bytes(), "The file's name does not match its content (image/png)."),
        ("kosong.pdf", b"", "The submitted file is empty."),
    ],
    ids=["wrong content", "oversize", "PDF with JavaScript", "PNG then HTML", "name and content differ", "empty"],
)
def test_a_bad_upload_gets_a_clear_message_and_stores_nothing(
    client_for, operator_a, service_a, name, content, message
):
    before = stored_files()

    response = post_document(english(client_for(operator_a)), name=name, content=content)

    assert response.status_code == 200
    with translation.override("en"):  # a form's own messages are worded when read
        assert [str(error) for error in response.context["form"].errors["file"]] == [message]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert ServiceDocument.objects.count() == 0
    assert stored_files() == before


def test_a_document_needs_a_title_and_a_known_kind(client_for, operator_a, service_a):
    response = post_document(client_for(operator_a), title="", kind="surat")

    assert set(response.context["form"].errors) == {"title", "kind"}
    assert ServiceDocument.objects.count() == 0


def test_evaluator_cannot_upload(client_for, evaluator, service_a):
    assert post_document(client_for(evaluator)).status_code == 403
    assert ServiceDocument.objects.count() == 0


def test_operator_of_another_agency_cannot_upload(client_for, operator_b, service_a):
    assert post_document(client_for(operator_b)).status_code == 404
    assert ServiceDocument.objects.count() == 0


# --- Serving -----------------------------------------------------------------------------------


def test_a_public_document_is_a_download_for_anyone(client, service_a, document_of):
    document = document_of(service_a, is_public=True)

    response = client.get(reverse("standards:service_document_file", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and 'filename="sop.pdf"' in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_an_internal_document_is_for_the_agencys_staff_and_overseers_only(
    client_for, service_a, document_of, operator_a, operator_b, evaluator, leader
):
    url = reverse("standards:service_document_file", args=[document_of(service_a, is_public=False).pk])

    assert client_for(None).get(url).status_code == 404
    assert client_for(operator_b).get(url).status_code == 404
    for user in (operator_a, evaluator, leader):
        response = client_for(user).get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_a_public_document_of_a_draft_service_is_not_public(client_for, service_a, document_of, operator_a):
    url = reverse("standards:service_document_file", args=[document_of(service_a, is_public=True).pk])
    Service.objects.filter(pk=service_a.pk).update(is_published=False)

    assert client_for(None).get(url).status_code == 404
    assert client_for(operator_a).get(url).status_code == 200


def test_an_unknown_document_is_404(client):
    assert client.get(reverse("standards:service_document_file", args=[999999])).status_code == 404
    assert client.get(reverse("standards:service_document_file", args=[10**20])).status_code == 404


# --- Removal -----------------------------------------------------------------------------------


def test_operator_removes_a_document_and_its_file(
    client_for, operator_a, service_a, document_of, django_capture_on_commit_callbacks
):
    document = document_of(service_a, is_public=True)
    path = Path(document.file.path)
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(operator_a).post(reverse("standards:service_document_delete", args=[document.pk]))

    assert response.status_code == 302 and response["Location"] == UPLOAD
    assert not ServiceDocument.objects.exists()
    assert not path.exists()
    assert LogEntry.objects.filter(object_pk=str(document.pk), action=LogEntry.Action.DELETE).exists()


def test_operator_of_another_agency_cannot_remove(client_for, operator_b, service_a, document_of):
    document = document_of(service_a, is_public=True)

    assert (
        client_for(operator_b).post(reverse("standards:service_document_delete", args=[document.pk])).status_code == 404
    )
    assert ServiceDocument.objects.filter(pk=document.pk).exists()


# --- The public service page -------------------------------------------------------------------


def test_public_page_shows_all_six_delivery_components(client, service_a):
    html = client.get(reverse("standards:service_detail", args=["A-KTP"])).content.decode()

    for section in ("c-req", "c-proc", "c-time", "c-cost", "c-prod", "c-compl"):
        assert f'id="{section}"' in html
    for value in (
        "Fotokopi Kartu Keluarga",
        "Perekaman biometrik",
        "1 hari kerja",
        "Gratis",
        "KTP-el",
        "Loket pengaduan",
    ):
        assert value in html


def test_public_page_links_public_documents_only(client, service_a, document_of):
    public = document_of(service_a, is_public=True, kind="sk")
    internal = document_of(service_a, is_public=False, kind="sop")

    html = client.get(reverse("standards:service_detail", args=["A-KTP"])).content.decode()

    assert reverse("standards:service_document_file", args=[public.pk]) in html
    assert reverse("standards:service_document_file", args=[internal.pk]) not in html


def test_public_page_shows_the_last_review(client, service_a):
    Service.objects.filter(pk=service_a.pk).update(reviewed_on=datetime.date(2026, 5, 4))
    html = client.get(reverse("standards:service_detail", args=["A-KTP"])).content.decode()
    assert "4 Mei 2026" in html or "4 May 2026" in html
