"""Exports of any size: above the direct-download limit, a task writes the file while the page
shows its progress; the requester alone downloads it, for a limited time, and gets an email."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from reports import exports
from reports.models import ExportJob, ExportStatus

DAY = datetime.date(2026, 3, 10)
QUERY = "?periode=2026"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def large(settings, submit, service_a):
    """Three responses of agency A in 2026, where the direct limit is two rows."""
    settings.EXPORT_DIRECT_CSV_ROWS = 2
    settings.EXPORT_DIRECT_XLSX_ROWS = 2
    return [submit(service_a, day=DAY + datetime.timedelta(days=n), suggestion=f"saran {n}") for n in range(3)]


def prepare(client, fmt="csv", query=QUERY):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("exports:job_create") + query, {"export": "respons", "fmt": fmt})


def test_a_large_export_offers_to_prepare_a_file_instead_of_a_link(large, operator_a, client_for):
    page = text(english(client_for(operator_a)).get(reverse("exports:index") + QUERY))

    assert "Prepare CSV file" in page
    assert "Prepare XLSX file" in page
    assert 'href="/kelola/ekspor/respons.csv' not in page
    assert 'href="/kelola/ekspor/rekap-unsur.csv' in page  # the recap is always small


def test_a_large_direct_download_is_turned_back_to_the_page_with_a_message(large, operator_a, client_for):
    client = english(client_for(operator_a))
    response = client.get(reverse("exports:download", args=["respons", "csv"]) + QUERY)

    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "too large to download at once" in page


def test_the_requester_gets_the_file_with_every_row_and_an_email_with_its_link(large, operator_a, client_for):
    client = english(client_for(operator_a))
    response = prepare(client)
    assert response.status_code == 302

    job = ExportJob.objects.get()
    assert (job.status, job.rows_done, job.percent) == ("done", 3, 100)
    page = text(client.get(response["Location"]))
    assert "The file is being prepared." in page
    link = reverse("exports:job_file", args=[job.pk])
    assert f'href="{link}"' in page
    assert 'http-equiv="refresh"' not in page  # nothing is being written any more

    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="respons-OPD-A-2026.csv"'
    assert "no-store" in download["Cache-Control"]
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [row[-1] for row in rows[1:]] == ["saran 0", "saran 1", "saran 2"]

    [message] = mail.outbox
    assert message.to == [operator_a.email]
    assert f"{settings.SITE_URL}{link}" in message.body


def test_an_xlsx_file_is_a_workbook_with_every_row(large, operator_a, client_for):
    client = client_for(operator_a)
    prepare(client, fmt="xlsx")

    job = ExportJob.objects.get()
    download = client.get(reverse("exports:job_file", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 4
    assert [sheet.cell(row=n, column=sheet.max_column).value for n in (2, 3, 4)] == ["saran 0", "saran 1", "saran 2"]


def test_nobody_but_the_requester_gets_the_file(large, operator_a, actors, client_for):
    prepare(client_for(operator_a))
    link = reverse("exports:job_file", args=[ExportJob.objects.get().pk])

    for role in ("super_admin", "evaluator", "leader", "operator_b"):
        assert client_for(actors[role]).get(link).status_code == 404, role
    page = client_for(actors["super_admin"]).get(reverse("exports:index")).content.decode()
    assert link not in page


def test_the_file_is_gone_when_its_time_is_up(large, operator_a, client_for):
    client = client_for(operator_a)
    prepare(client)
    job = ExportJob.objects.get()
    link = reverse("exports:job_file", args=[job.pk])
    assert job.expires_at == job.finished_at + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(link).status_code == 404
    assert exports.exports_purge() == 1
    assert not job.path.exists()
    assert not ExportJob.objects.exists()


def test_the_page_shows_the_progress_of_a_file_being_written_and_refreshes(large, operator_a, client_for):
    ExportJob.objects.create(
        requested_by=operator_a,
        identifier="respons",
        fmt="xlsx",
        agency=operator_a.agency,
        period_key="2026",
        filename="respons-OPD-A-2026.xlsx",
        status=ExportStatus.RUNNING,
        rows_total=8000,
        rows_done=2000,
    )

    page = text(english(client_for(operator_a)).get(reverse("exports:index")))
    assert '<progress max="100" value="25"' in page
    assert "2000 of 8000 rows" in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_an_export_that_fails_says_why_and_leaves_no_file(large, operator_a, client_for, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "csv_chunks", broken)
    client = english(client_for(operator_a))
    prepare(client)

    job = ExportJob.objects.get()
    assert job.status == "failed"
    assert "No space left on device" in text(client.get(reverse("exports:index")))
    assert not job.path.exists()
    assert not job.path.with_suffix(".csv.part").exists()
    assert mail.outbox == []


def test_an_operator_cannot_prepare_another_agencys_export(large, operator_b, client_for):
    response = prepare(client_for(operator_b), query=QUERY + "&opd=OPD-A")

    assert response.status_code == 404
    assert not ExportJob.objects.exists()


def test_an_overseer_prepares_the_whole_regency(large, evaluator, client_for, submit, service_b):
    submit(service_b, day=DAY)
    prepare(client_for(evaluator))

    job = ExportJob.objects.get()
    assert (job.agency, job.filename, job.rows_done) == (None, "respons-semua-opd-2026.csv", 4)


def test_an_unknown_export_or_format_is_refused_with_a_message(large, operator_a, client_for):
    client = english(client_for(operator_a))
    response = client.post(reverse("exports:job_create") + QUERY, {"export": "respons", "fmt": "pdf"})

    assert response.status_code == 400
    assert "Choose one of the exports listed." in text(response)
    assert not ExportJob.objects.exists()
