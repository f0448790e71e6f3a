import io

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from agencies.logo import MAX_LOGO_BYTES
from agencies.models import RegencyIdentity
from agencies.selectors import regency_identity

pytestmark = pytest.mark.django_db

EDIT = reverse("agencies:regency_identity")
LOGO = reverse("agencies:regency_logo")
FIELDS = {
    "name": "Kabupaten Ogan Komering Ilir",
    "address": "Jalan Letnan Mukhtar Saleh No. 1, Kayuagung 30611",
    "place": "Kayuagung",
    "phone": "(0712) 321001",
    "email": "organisasi@okikab.go.id",
    "website": "https://okikab.go.id",
    "evaluating_office": "Bagian Organisasi Sekretariat Daerah",
    "letter_number_pattern": "700/{seq}/ORG/{year}",
    "letter_nature": "Penting",
}
CLEAN_SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    b'<circle cx="20" cy="20" r="18" fill="#0a5"/></svg>'
)


def png(width=64, height=64) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#126").save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, name, content, **extra):
    return client.post(EDIT, {**FIELDS, **extra, "logo_upload": SimpleUploadedFile(name, content)})


@pytest.fixture
def admin(client_for, super_admin):
    client = client_for(super_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_errors(response, field):
    with translation.override("en"):
        return [str(error) for error in response.context["form"].errors[field]]


def test_until_it_is_set_every_page_gets_a_neutral_identity(client):
    regency = client.get(reverse("standards:home")).context["regency"]
    with translation.override("id"):
        assert regency.display_name == "Pemerintah Daerah"
        assert regency.office == "Unit Evaluator"
    assert regency.logo_url == "" and regency.address == ""


def test_super_admin_sets_the_identity_and_every_page_gets_it(admin, super_admin, client_for):
    response = admin.post(EDIT, FIELDS, follow=True)
    assert "The regency&#x27;s identity was saved." in response.content.decode()
    identity = RegencyIdentity.objects.get()
    assert identity.updated_by == super_admin
    assert LogEntry.objects.get_for_object(identity).filter(actor=super_admin).exists()
    regency = client_for(None).get(reverse("standards:home")).context["regency"]
    assert regency.name == "Kabupaten Ogan Komering Ilir"
    assert regency.evaluating_office == "Bagian Organisasi Sekretariat Daerah"
    with translation.override("id"):
        assert regency.government == "Pemerintah Kabupaten Ogan Komering Ilir"


@pytest.mark.parametrize(
    ("name", "content", "content_type"), [("logo.png", png(), "image/png"), ("logo.svg", CLEAN_SVG, "image/svg+xml")]
)
def test_a_png_or_svg_logo_is_stored_and_served_as_an_image(admin, client_for, name, content, content_type):
    assert upload(admin, name, content).status_code == 302
    identity = regency_identity()
    assert identity.logo_type == content_type
    assert identity.logo_url.startswith(LOGO + "?v=")
    assert f'src="{identity.logo_url}"' in admin.get(EDIT).content.decode()
    served = client_for(None).get(identity.logo_url)
    assert served.status_code == 200 and served.content == content
    assert served["Content-Type"] == content_type
    assert "default-src 'none'" in served["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"GIF89a not a logo", "The logo must be a PNG image or an SVG drawing."),
        ("logo.png", CLEAN_SVG, "The file's name does not match its content (image/svg+xml)."),
        ("logo.png", png()[:40], "The PNG file is damaged."),
        ("logo.png", png(4100, 10), "The logo may be at most 4000 pixels wide and high."),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * MAX_LOGO_BYTES, "The logo is larger than 512 KB."),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "The SVG logo may not contain scripts, events or links to other content.",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5" onclick="x()"/></svg>',
            "The SVG logo may not contain scripts, events or links to other content.",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="https://example.org/a.png" width="5" height="5"/></svg>',
            "The SVG logo may not contain scripts, events or links to other content.",
        ),
        (
            "logo.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>",
            "The SVG file cannot be read as a drawing.",
        ),
        ("logo.svg", b"", "The submitted file is empty."),
    ],
)
def test_a_wrong_or_oversized_logo_is_refused_and_nothing_is_stored(admin, name, content, message):
    response = upload(admin, name, content)
    assert response.status_code == 200
    assert form_errors(response, "logo_upload") == [message]
    assert not RegencyIdentity.objects.exists()


def test_removing_the_logo_leaves_the_pages_without_one(admin, client_for):
    upload(admin, "logo.png", png())
    admin.post(EDIT, {**FIELDS, "remove_logo": "on"})
    assert regency_identity().logo_url == ""
    assert client_for(None).get(LOGO).status_code == 404


def test_there_is_no_logo_to_fetch_before_one_is_set(client):
    assert client.get(LOGO).status_code == 404


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("700/ORG/{year}", "The pattern needs {seq}, the letter's sequence number."),
        (
            "700/{seq}/{unit}/{year}",
            "Unknown placeholders: {unit}. Use {seq}, {year}, {month}, {roman_month} or {agency}.",
        ),
        ("700/{seq/ORG", "The pattern has an unmatched “{” or “}”."),
    ],
)
def test_a_letter_number_pattern_without_its_sequence_or_with_unknown_parts_is_refused(admin, pattern, message):
    response = admin.post(EDIT, {**FIELDS, "letter_number_pattern": pattern})
    assert form_errors(response, "letter_number_pattern") == [message]
    assert not RegencyIdentity.objects.exists()
