"""Pages travel compressed: HTML and SVG gzipped for clients that accept it (with Django's
random pad against BREACH), files that are already compressed untouched, and static files
precompressed with brotli as well as gzip."""

import gzip
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from whitenoise.compress import Compressor


@pytest.mark.django_db
def test_the_survey_page_is_gzipped_for_a_phone_that_accepts_it(client, questionnaire, service_a):
    plain = client.get(f"/survei/layanan/{service_a.code}/")
    packed = client.get(f"/survei/layanan/{service_a.code}/", headers={"accept-encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert service_a.name in page
    assert len(packed.content) < len(plain.content) / 2


@pytest.mark.django_db
def test_two_compressed_copies_of_a_page_differ_in_length_against_breach(client, questionnaire, service_a):
    lengths = {
        len(client.get(f"/survei/layanan/{service_a.code}/", headers={"accept-encoding": "gzip"}).content)
        for _ in range(6)
    }
    assert len(lengths) > 1


@pytest.mark.django_db
def test_a_chart_svg_is_gzipped(client, questionnaire):
    response = client.get(reverse("reports:chart_elements"), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b"<svg" in gzip.decompress(response.content)


def test_static_files_get_brotli_and_gzip_copies(tmp_path):
    css = next(Path(settings.BASE_DIR, "static").rglob("*.css"))
    copy = tmp_path / css.name
    shutil.copy(css, copy)
    written = set(Compressor().compress(str(copy)))
    assert {f"{copy}.br", f"{copy}.gz"} <= written
    assert Path(f"{copy}.br").stat().st_size < copy.stat().st_size


@pytest.mark.django_db
def test_a_pdf_is_sent_as_it_is(client, super_admin, service_a):
    client.force_login(super_admin)
    response = client.get(f"/kelola/poster/layanan/{service_a.code}.pdf", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response.content.startswith(b"%PDF")
