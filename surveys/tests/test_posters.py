"""Printable A4 QR posters for an agency's and a service's survey.

The PDF text is read with poppler's ``pdftotext`` and the page is rasterised with
``pdftoppm`` to check, module by module, that the printed QR code is the one for the survey
address. Without poppler-utils on the machine those checks are skipped.
"""

import io
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from surveys import posters

AGENCY_URL = reverse("paper:agency_poster", args=["OPD-A"])
SERVICE_URL = reverse("paper:service_poster", args=["A-KTP"])
SITE_URL = "https://skm.okikab.go.id"
AGENCY_SURVEY = f"{SITE_URL}/survei/opd/OPD-A/"
SERVICE_SURVEY = f"{SITE_URL}/survei/layanan/A-KTP/"
A4_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+595\.2756\s+841\.8898\s*\]")

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is not installed: cannot read the PDF's text or render it",
)


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Posters carry the configured public address, never the host of the request."""
    settings.SITE_URL = SITE_URL


@pytest.fixture(autouse=True)
def _language_back_to_default():
    yield
    translation.deactivate()


def pdf_text(content: bytes) -> str:
    """The poster's text with runs of whitespace (line breaks of wrapped names) made one space."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return " ".join(text.split())


def rendered(content: bytes, dpi: int) -> Image.Image:
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-"],
        input=content,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def assert_is_an_a4_pdf(response, code):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="poster-{code}.pdf"'
    assert response.content.startswith(b"%PDF")
    assert len(A4_MEDIABOX.findall(response.content)) == 1  # one page, A4 portrait


# --- The posters -------------------------------------------------------------------------------


def test_agency_poster_is_an_a4_pdf(client_for, super_admin, agency_a):
    response = client_for(super_admin).get(AGENCY_URL)

    assert_is_an_a4_pdf(response, "OPD-A")


def test_service_poster_is_an_a4_pdf(client_for, operator_a, service_a):
    response = client_for(operator_a).get(SERVICE_URL)

    assert_is_an_a4_pdf(response, "A-KTP")


@needs_poppler
def test_agency_poster_names_the_agency_and_prints_its_survey_address(client_for, super_admin, agency_a):
    text = pdf_text(client_for(super_admin).get(AGENCY_URL).content)

    assert "Dinas Kependudukan dan Pencatatan Sipil" in text
    assert AGENCY_SURVEY in text


@needs_poppler
def test_the_poster_carries_the_regency_named_by_its_identity(client_for, super_admin, agency_a):
    from agencies.services import regency_identity_update

    regency_identity_update(actor=super_admin, data={"name": "Kabupaten Uji Coba"}, logo=None)
    text = pdf_text(client_for(super_admin).get(AGENCY_URL).content)

    assert "KABUPATEN UJI COBA" in text and "SI-PUTRI · Kabupaten Uji Coba" in text
    assert "Ogan Komering" not in text


@needs_poppler
def test_a_poster_printed_through_another_host_still_carries_site_url(client_for, operator_a, service_a):
    text = pdf_text(client_for(operator_a).get(SERVICE_URL, HTTP_HOST="localhost").content)

    assert SERVICE_SURVEY in text
    assert "localhost" not in text


@needs_poppler
def test_service_poster_names_the_service_and_its_agency_and_prints_its_survey_address(
    client_for, operator_a, service_a
):
    text = pdf_text(client_for(operator_a).get(SERVICE_URL).content)

    assert "Penerbitan KTP-el" in text
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text
    assert SERVICE_SURVEY in text
    assert AGENCY_SURVEY not in text


@needs_poppler
def test_poster_wording_is_in_english_when_english_is_active(client_for, evaluator, service_a):
    client = client_for(evaluator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = pdf_text(client.get(SERVICE_URL).content)

    assert "Community Satisfaction Survey" in text
    assert "Scan this QR code to fill in the survey (± 1 minute)" in text
    assert "No name, no NIK" in text


@needs_poppler
def test_poster_wording_follows_the_default_language(client_for, leader, service_a):
    text = pdf_text(client_for(leader).get(SERVICE_URL).content)

    with translation.override(settings.LANGUAGE_CODE):
        for phrase in (
            "Community Satisfaction Survey",
            "Scan this QR code to fill in the survey (± 1 minute)",
            "No name, no NIK",
        ):
            assert gettext(phrase) in text


@needs_poppler
def test_a_very_long_service_name_is_printed_whole(client_for, super_admin, service_a):
    service_a.name = (
        "Penerbitan Kartu Identitas Anak bagi anak usia 0 sampai 17 tahun yang belum menikah, "
        "termasuk anak yang pindah datang dari luar Kabupaten Ogan Komering Ilir"
    )
    service_a.save()

    response = client_for(super_admin).get(SERVICE_URL)

    assert_is_an_a4_pdf(response, "A-KTP")
    text = pdf_text(response.content)
    assert service_a.name in text
    assert SERVICE_SURVEY in text


@needs_poppler
def test_the_printed_qr_code_is_the_code_of_the_survey_address(client_for, super_admin, service_a):
    content = client_for(super_admin).get(SERVICE_URL).content
    matrix = posters.qr_code(SERVICE_SURVEY).matrix
    size = len(matrix)
    module = posters.QR_SIZE / size
    scale = 144 / 72
    page = rendered(content, dpi=144)

    def dark(row, column):
        x = (posters.QR_LEFT + (column + 0.5) * module) * scale
        y = (posters.QR_TOP + (row + 0.5) * module) * scale
        return page.getpixel((round(x), round(y))) < 128

    printed = [[dark(r, c) for c in range(size)] for r in range(size)]
    assert printed == [[bool(value) for value in line] for line in matrix]
    # The quiet zone around the symbol is left blank, so phones can find the code.
    ring = range(-posters.QUIET_MODULES, size + posters.QUIET_MODULES)
    quiet = [(r, c) for r in ring for c in ring if not (0 <= r < size and 0 <= c < size)]
    assert not any(dark(r, c) for r, c in quiet)


def test_qr_data_is_the_survey_address_on_site_url(settings):
    settings.SITE_URL = "https://skm.okikab.go.id/"

    assert posters.survey_url("agency", "OPD-A") == "https://skm.okikab.go.id/survei/opd/OPD-A/"
    assert posters.survey_url("service", "A-KTP") == "https://skm.okikab.go.id/survei/layanan/A-KTP/"
    # A QR code of the same address is the same symbol; another address is another symbol.
    code = posters.qr_code("http://localhost/survei/layanan/A-KTP/")
    assert code.matrix == posters.qr_code("http://localhost/survei/layanan/A-KTP/").matrix
    assert code.matrix != posters.qr_code("http://localhost/survei/layanan/A-KK/").matrix


# --- Who may print which poster --------------------------------------------------------------


@pytest.mark.parametrize("role", ["super_admin", "evaluator", "leader", "operator_a"])
def test_staff_who_see_agency_a_may_print_its_posters(client_for, actors, service_a, role):
    client = client_for(actors[role])

    assert client.get(AGENCY_URL).status_code == 200
    assert client.get(SERVICE_URL).status_code == 200


def test_operator_of_another_agency_gets_404(client_for, operator_b, service_a):
    client = client_for(operator_b)

    assert client.get(AGENCY_URL).status_code == 404
    assert client.get(SERVICE_URL).status_code == 404


def test_unknown_codes_get_404(client_for, super_admin, service_a):
    client = client_for(super_admin)

    assert client.get(reverse("paper:agency_poster", args=["TIDAK-ADA"])).status_code == 404
    assert client.get(reverse("paper:service_poster", args=["TIDAK-ADA"])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, service_a):
    response = client.get(SERVICE_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
