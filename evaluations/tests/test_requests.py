"""Operators send the super admin requests (a feature, a fix, a correction), with an optional
attachment; the super admin replies and sets the status; the operator sees the replies on
their own agency's requests only. Evaluators and leaders have no part in it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from evaluations import services
from evaluations.models import OperatorRequest, RequestComment, RequestStatus
from evaluations.tests.images import PNG

LIST = reverse("coordination:request_list")
CREATE = reverse("coordination:request_create")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _language_back_to_default():
    """An English request activates English for the thread; keep it out of the next test."""
    yield
    translation.deactivate()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def pdf(name="tangkapan-layar.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files() -> set[Path]:
    return {path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()}


@pytest.fixture
def request_a(operator_a):
    """A request of agency A with a PDF attachment."""
    return services.request_create(
        actor=operator_a,
        category="fix",
        subject="Grafik IKM tidak tampil",
        description="Di halaman hasil, grafik per unsur kosong.",
        attachment=pdf(),
    )


def detail(item) -> str:
    return reverse("coordination:request_detail", args=[item.pk])


def attachment(item) -> str:
    return reverse("coordination:request_attachment", args=[item.pk])


# --- Who may open what -------------------------------------------------------------------------

LOGIN = "login"
EXPECTED = {
    # url: anonymous, super_admin, evaluator, leader, operator_a, operator_b
    "list": (LOGIN, 200, 403, 403, 200, 200),
    "create": (LOGIN, 403, 403, 403, 200, 200),
    "detail": (LOGIN, 200, 403, 403, 200, 404),
    "attachment": (LOGIN, 200, 403, 403, 200, 404),
}
ROLES = ("anonymous", "super_admin", "evaluator", "leader", "operator_a", "operator_b")


@pytest.mark.parametrize("page", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_request_pages(page, role, client_for, actors, request_a):
    url = {"list": LIST, "create": CREATE, "detail": detail(request_a), "attachment": attachment(request_a)}[page]
    expected = EXPECTED[page][ROLES.index(role)]

    response = client_for(actors.get(role)).get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


# --- Sending a request ------------------------------------------------------------------------


def test_operator_sends_a_request_without_attachment_and_lands_on_it(client_for, operator_a):
    client = client_for(operator_a)

    response = client.post(
        CREATE,
        {"category": "feature", "subject": "Ekspor ke Excel", "description": "Mohon tombol ekspor hasil."},
        follow=True,
    )

    item = OperatorRequest.objects.get()
    assert response.redirect_chain == [(detail(item), 302)]
    assert (item.agency, item.created_by, item.category, item.status) == (
        operator_a.agency,
        operator_a,
        "feature",
        RequestStatus.NEW,
    )
    assert not item.attachment
    assert "Ekspor ke Excel" in response.text
    assert "Mohon tombol ekspor hasil." in response.text


def test_operator_sends_a_request_with_a_screenshot_and_can_download_it(client_for, operator_a):
    client = client_for(operator_a)

    client.post(
        CREATE,
        {
            "category": "fix",
            "subject": "Tombol simpan tidak berfungsi",
            "description": "Lihat tangkapan layar.",
            "attachment": SimpleUploadedFile("layar.png", PNG, content_type="image/png"),
        },
    )
    item = OperatorRequest.objects.get()
    page = client.get(detail(item))
    download = client.get(attachment(item))

    assert attachment(item) in page.text
    assert "layar.png" in page.text
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="layar.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("catatan.pdf", b"just some text, not a PDF"), "Only PDF, PNG or JPEG files are accepted."),
        (pdf("laporan.docx"), "The file's name does not match its content (application/pdf)."),
        (pdf("besar.pdf", PDF + b"0" * (5 * 1024 * 1024)), "The file is larger than 5 MB."),
    ],
    ids=["not-a-pdf", "wrong-name", "too-large"],
)
def test_bad_attachment_is_refused_under_its_field_and_nothing_is_stored(client_for, operator_a, upload, message):
    client = english(client_for(operator_a))
    files_before = stored_files()

    response = client.post(
        CREATE, {"category": "fix", "subject": "Lampiran", "description": "Ada lampiran.", "attachment": upload}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"attachment": [message]}
    assert message.replace("'", "&#x27;") in response.text
    assert OperatorRequest.objects.count() == 0
    assert stored_files() == files_before


def test_missing_subject_and_description_are_refused_by_field(client_for, operator_a):
    client = english(client_for(operator_a))

    response = client.post(CREATE, {"category": "other", "subject": " ", "description": ""})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"subject", "description"}
    assert "This field is required." in response.text
    assert OperatorRequest.objects.count() == 0


def test_overlong_description_is_refused_by_the_service_under_its_field(client_for, operator_a):
    response = english(client_for(operator_a)).post(
        CREATE, {"category": "other", "subject": "Panjang", "description": "x" * 5001}
    )

    assert response.context["form"].errors == {"description": ["At most 5000 characters."]}
    assert OperatorRequest.objects.count() == 0


def test_unknown_category_is_refused(client_for, operator_a):
    response = client_for(operator_a).post(CREATE, {"category": "bonus", "subject": "x", "description": "y"})

    assert list(response.context["form"].errors) == ["category"]
    assert OperatorRequest.objects.count() == 0


def test_super_admin_is_emailed_about_a_new_request(
    client_for, operator_a, super_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(operator_a).post(
            CREATE, {"category": "data", "subject": "Nama layanan salah", "description": "KTP-el tertulis KTP."}
        )

    assert [message.to for message in mail.outbox] == [[super_admin.email]]
    assert "Nama layanan salah" in mail.outbox[0].subject
    assert operator_a.agency.name in mail.outbox[0].subject
    assert "KTP-el tertulis KTP." in mail.outbox[0].body


# --- Replies and status -----------------------------------------------------------------------


def test_super_admin_replies_and_marks_done_and_the_operator_sees_it(
    client_for, super_admin, operator_a, request_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(super_admin).post(
            detail(request_a), {"text": "Sudah diperbaiki, silakan coba lagi.", "status": "done"}
        )

    assert response.status_code == 302
    request_a.refresh_from_db()
    assert request_a.status == RequestStatus.DONE
    assert RequestComment.objects.get().author == super_admin
    assert [message.to for message in mail.outbox] == [[operator_a.email]]
    assert "Grafik IKM tidak tampil" in mail.outbox[0].subject
    assert "Sudah diperbaiki, silakan coba lagi." in mail.outbox[0].body

    page = english(client_for(operator_a)).get(detail(request_a))
    assert "Sudah diperbaiki, silakan coba lagi." in page.text
    assert '<span class="badge request-done">Done</span>' in page.text
    listing = english(client_for(operator_a)).get(LIST)
    assert "Grafik IKM tidak tampil" in listing.text
    assert "request-done" in listing.text


def test_super_admin_changes_only_the_status(client_for, super_admin, request_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(super_admin).post(detail(request_a), {"text": "", "status": "in_progress"})

    request_a.refresh_from_db()
    assert request_a.status == RequestStatus.IN_PROGRESS
    assert RequestComment.objects.count() == 0
    assert len(mail.outbox) == 1


def test_empty_reply_with_unchanged_status_asks_for_a_comment_and_sends_nothing(
    client_for, super_admin, request_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = english(client_for(super_admin)).post(detail(request_a), {"text": "  ", "status": "new"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"text": ["Please write something here."]}
    assert RequestComment.objects.count() == 0
    assert mail.outbox == []


def test_operator_comments_on_their_request_but_cannot_set_its_status(client_for, operator_a, request_a):
    client = client_for(operator_a)
    form = client.get(detail(request_a)).context["form"]

    client.post(detail(request_a), {"text": "Masih terjadi di ponsel.", "status": "done"})

    assert "status" not in form.fields
    request_a.refresh_from_db()
    assert request_a.status == RequestStatus.NEW
    assert RequestComment.objects.get().text == "Masih terjadi di ponsel."


def test_super_admin_sees_a_status_select_with_the_current_status(client_for, super_admin, request_a):
    response = client_for(super_admin).get(detail(request_a))

    assert '<option value="new" selected>' in response.text
    assert 'value="declined"' in response.text


def test_comments_are_shown_in_the_order_they_were_written(client_for, super_admin, operator_a, request_a):
    services.request_comment(request=request_a, actor=super_admin, text="Pertama dari admin")
    services.request_comment(request=request_a, actor=operator_a, text="Kedua dari operator")

    text = client_for(operator_a).get(detail(request_a)).text

    assert text.index("Pertama dari admin") < text.index("Kedua dari operator")


# --- Scope ------------------------------------------------------------------------------------


def test_operator_of_another_agency_gets_404_on_the_request_and_its_attachment(client_for, operator_b, request_a):
    client = client_for(operator_b)

    assert client.get(detail(request_a)).status_code == 404
    assert client.get(attachment(request_a)).status_code == 404
    assert client.post(detail(request_a), {"text": "Halo"}).status_code == 404
    assert RequestComment.objects.count() == 0


def test_operators_list_only_their_agencys_requests(client_for, operator_a, operator_b, request_a):
    services.request_create(actor=operator_b, category="other", subject="Permintaan OPD B", description="B")

    listing_b = client_for(operator_b).get(LIST)

    assert "Permintaan OPD B" in listing_b.text
    assert "Grafik IKM tidak tampil" not in listing_b.text


def test_super_admin_lists_every_request_and_filters_by_status_and_agency(
    client_for, super_admin, operator_b, request_a
):
    services.request_create(actor=operator_b, category="other", subject="Permintaan OPD B", description="B")
    services.request_comment(request=request_a, actor=super_admin, text="", status="done")
    client = client_for(super_admin)

    everything = client.get(LIST).text
    done = client.get(LIST, {"status": "done"}).text
    of_b = client.get(LIST, {"opd": "OPD-B"}).text

    assert "Grafik IKM tidak tampil" in everything
    assert "Permintaan OPD B" in everything
    assert "Grafik IKM tidak tampil" in done
    assert "Permintaan OPD B" not in done
    assert "Permintaan OPD B" in of_b
    assert "Grafik IKM tidak tampil" not in of_b


def test_request_without_attachment_has_no_download(client_for, operator_a):
    item = services.request_create(actor=operator_a, category="other", subject="Tanpa lampiran", description="x")

    assert client_for(operator_a).get(attachment(item)).status_code == 404
