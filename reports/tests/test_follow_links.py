"""A super admin reaches a real PDF and a real XLSX by following links from the dashboard,
as a person would: every step is an href found on the page before."""

import html
import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from surveys.periods import current_semester
from surveys.selectors import Scope, results

pytestmark = pytest.mark.django_db


def _link(page: str, pattern: str) -> str:
    """The first href on the page matching ``pattern`` (a regular expression)."""
    for href in re.findall(r'href="([^"]+)"', page):
        href = html.unescape(href)
        if re.search(pattern, href):
            return href
    raise AssertionError(f"no link matching {pattern!r}")


def test_super_admin_follows_links_to_the_skm_report_and_an_xlsx_export(client_for, super_admin, service_a, submit):
    for answers in (4, 3, 3):
        submit(service_a, answers=answers)
    client = client_for(super_admin)

    dashboard = client.get("/dasbor/").content.decode()
    regency = client.get(_link(dashboard, r"^/kelola/hasil/$")).content.decode()
    agency_page = client.get(_link(regency, r"^/kelola/hasil/opd/OPD-A/")).content.decode()

    pdf = client.get(_link(agency_page, r"^/kelola/laporan/skm/OPD-A/\?"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert body.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
        period = current_semester()
        score = results(scope=Scope(agency=service_a.agency), start=period.start, end=period.end).index.score
        assert service_a.agency.name in text.replace("\n", " ")
        assert str(score).replace(".", ",") in text

    exports = client.get(_link(agency_page, r"^/kelola/ekspor/")).content.decode()
    xlsx = client.get(_link(exports, r"\.xlsx"))
    assert xlsx.status_code == 200
    content = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) >= 2  # a header and at least one row of data
