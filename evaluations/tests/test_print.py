"""The printed recommendation: a real A4 PDF whose text is read back with poppler's
``pdftotext`` (those checks are skipped where poppler-utils is missing), served to every staff
member who may see the recommendation and to no one else."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from evaluations import services
from evaluations.pdf import letter_issue
from evaluations.tests.images import PNG
from surveys.periods import parse

PERIOD = parse("2025-S2")
SURVEY_DAY = datetime.date(2025, 8, 14)
A4_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+595\.2756\s+841\.8898\s*\]")

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed: cannot read the PDF"
)


def pdf_text(content: bytes) -> str:
    """The PDF's text with runs of whitespace (wrapped lines, table cells) made one space."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return " ".join(text.split())


def page_count(content: bytes) -> int:
    return len(A4_MEDIABOX.findall(content))


def indonesian(message: str, context: str | None = None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return pgettext(context, message) if context else gettext(message)


@pytest.fixture
def recommendation(evaluator, operator_a, service_a, submit, oki_identity):
    """A recommendation to agency A for Semester II 2025 (three responses: score 91,67), with a
    plan for its first action and a progress report with an evidence photo, issued under OKI's
    identity by an evaluator with a NIP and a position."""
    evaluator.first_name, evaluator.last_name = "Siti", "Rahmawati"
    evaluator.nip, evaluator.position = "198506122004122001", "Kepala Bagian Organisasi Sekretariat Daerah"
    evaluator.save()
    for answer in (4, 4, 3):
        submit(service_a, answers=answer, day=SURVEY_DAY)
    recommendation = services.recommendation_issue(
        agency=service_a.agency,
        period=PERIOD,
        title="Percepat penerbitan KTP-el",
        findings="Waktu tunggu perekaman biometrik dikeluhkan responden.",
        actions=[
            {"element_code": "waktu", "text": "Tambah loket perekaman pada hari Senin"},
            {"element_code": "sarana", "text": "Perbaiki ruang tunggu"},
        ],
        due_date=timezone.localdate() + datetime.timedelta(days=60),
        actor=evaluator,
    )
    services.recommendation_acknowledge(recommendation=recommendation, actor=operator_a)
    first = recommendation.actions.get(position=1)
    services.action_plan(
        action=first,
        activity="Membuka loket tambahan di Mal Pelayanan Publik",
        responsible="Kepala Bidang Pelayanan",
        target_date=timezone.localdate() + datetime.timedelta(days=30),
        actor=operator_a,
    )
    services.action_progress(
        action=first,
        note="Loket tambahan sudah dibuka",
        evidence=SimpleUploadedFile("foto-loket.png", PNG, content_type="image/png"),
        actor=operator_a,
    )
    recommendation.refresh_from_db()
    return recommendation


def url(recommendation) -> str:
    return reverse("evaluation_print:recommendation_pdf", args=[recommendation.pk])


# --- Who may print it ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["super_admin", "evaluator", "leader", "operator_a"])
def test_overseers_and_the_agencys_operator_get_the_pdf_inline(role, actors, client_for, recommendation):
    response = client_for(actors[role]).get(url(recommendation))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="rekomendasi-OPD-A-{recommendation.pk}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_operator_of_another_agency_gets_404(client_for, operator_b, recommendation):
    assert client_for(operator_b).get(url(recommendation)).status_code == 404


def test_anonymous_visitor_is_sent_to_the_login_page(client_for, recommendation):
    response = client_for(None).get(url(recommendation))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_recommendation_is_404(client_for, super_admin, recommendation):
    missing = reverse("evaluation_print:recommendation_pdf", args=[recommendation.pk + 1000])

    assert client_for(super_admin).get(missing).status_code == 404


# --- What it says ---------------------------------------------------------------------------------


@needs_poppler
def test_pdf_is_an_a4_letter_to_the_agency_with_the_results_actions_and_signature(
    client_for, operator_a, recommendation
):
    content = client_for(operator_a).get(url(recommendation)).content
    text = pdf_text(content)

    assert page_count(content) >= 1
    assert "PEMERINTAH KABUPATEN OGAN KOMERING ILIR" in text
    assert indonesian("RECOMMENDATION ON THE COMMUNITY SATISFACTION SURVEY RESULTS") in text
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text
    with translation.override(settings.LANGUAGE_CODE):
        assert PERIOD.label in text
    assert "Percepat penerbitan KTP-el" in text
    assert "91,67" in text  # the IKM score, Indonesian decimal comma
    assert "3,667" in text  # an element's NRR
    assert "Waktu tunggu perekaman biometrik dikeluhkan responden." in text
    assert "Tambah loket perekaman pada hari Senin" in text
    assert "Membuka loket tambahan di Mal Pelayanan Publik" in text
    assert "Kepala Bidang Pelayanan" in text
    assert "Perbaiki ruang tunggu" in text
    assert "Kayuagung," in text
    assert "Siti Rahmawati" in text


@needs_poppler
def test_the_letter_has_a_letterhead_number_nature_attachment_and_signer(client_for, operator_a, recommendation):
    text = pdf_text(client_for(operator_a).get(url(recommendation)).content)
    year = timezone.localdate().year

    assert recommendation.letter_number == f"700/1/ORG/{year}"
    assert "PEMERINTAH KABUPATEN OGAN KOMERING ILIR" in text
    assert "BAGIAN ORGANISASI SEKRETARIAT DAERAH" in text
    assert "Jalan Letnan Mukhtar Saleh No. 1, Kayuagung" in text and "(0712) 321001" in text
    assert f"Nomor : 700/1/ORG/{year}" in text
    assert "Sifat : Penting" in text and "Lampiran : —" in text
    assert "Kepala Bagian Organisasi Sekretariat Daerah" in text
    assert "Siti Rahmawati NIP. 198506122004122001" in text


def test_letter_numbers_follow_the_pattern_and_count_per_year(evaluator, service_a, oki_identity, clock):
    from agencies.services import regency_identity_update

    regency_identity_update(actor=evaluator, data={"letter_number_pattern": "800/{seq}/{agency}/{roman_month}/{year}"})

    def issue():
        return services.recommendation_issue(
            agency=service_a.agency,
            period=PERIOD,
            title="Percepat",
            findings="Lambat",
            actions=[{"element_code": "waktu", "text": "Tambah loket"}],
            due_date=timezone.localdate() + datetime.timedelta(days=60),
            actor=evaluator,
        )

    year = timezone.localdate().year
    month = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")[timezone.localdate().month - 1]
    first, second = issue(), issue()
    assert [first.letter_number, second.letter_number] == [
        f"800/1/OPD-A/{month}/{year}",
        f"800/2/OPD-A/{month}/{year}",
    ]
    clock.move_to(datetime.datetime(year + 1, 1, 5, 9, 0, tzinfo=datetime.UTC))
    assert issue().letter_number == f"800/1/OPD-A/I/{year + 1}"


@needs_poppler
def test_pdf_names_elements_as_the_regulation_words_them(client_for, operator_a, recommendation):
    text = pdf_text(client_for(operator_a).get(url(recommendation)).content)

    assert "Waktu Penyelesaian" in text  # the action's element and its row in the results
    assert "Sistem, Mekanisme, dan Prosedur" in text


@needs_poppler
def test_pdf_prints_the_history_with_evidence_file_names_only(client_for, evaluator, recommendation):
    text = pdf_text(client_for(evaluator).get(url(recommendation)).content)

    assert "Loket tambahan sudah dibuka" in text
    assert "foto-loket.png" in text
    assert "evidence/" not in text  # the stored path on the server is never printed
    assert "operator.a" in text  # who reported it
    for kind in ("Issued", "Acknowledged", "Plan set", "Progress reported"):
        assert indonesian(kind) in text


@needs_poppler
def test_registered_letter_stays_in_indonesian_for_a_reader_using_english(client_for, leader, recommendation):
    """The letter is the regency's official document, registered by the hash of its bytes: it
    reads the same, in Indonesian, whoever prints it (the staff pages follow the reader)."""
    client = client_for(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = client.get(url(recommendation)).content
    text = pdf_text(content)

    assert indonesian("RECOMMENDATION ON THE COMMUNITY SATISFACTION SURVEY RESULTS") in text
    assert "Waktu Penyelesaian" in text
    assert "Completion time" not in text
    assert "91,67" in text
    assert "91.67" not in text
    assert indonesian("Page %(page)d of %(pages)d") % {"page": 1, "pages": page_count(content)} in text


@needs_poppler
def test_letter_issued_by_an_evaluator_browsing_in_english_is_still_worded_in_indonesian(
    client_for, evaluator, operator_a, service_a, submit, questionnaire, oki_identity
):
    quarter = parse("2025-T3")
    submit(service_a, answers=3, day=SURVEY_DAY)
    with translation.override("en"):
        recommendation = services.recommendation_issue(
            agency=service_a.agency,
            period=quarter,
            title="Percepat penerbitan KTP-el",
            findings="Waktu tunggu dikeluhkan.",
            actions=[{"element_code": "waktu", "text": "Tambah loket"}],
            due_date=timezone.localdate() + datetime.timedelta(days=30),
            actor=evaluator,
        )
    waktu = questionnaire.elements.get(code="waktu")

    text = pdf_text(client_for(operator_a).get(url(recommendation)).content)

    assert "Triwulan III 2025" in text
    assert "Quarter III 2025" not in text
    assert waktu.name_id in text
    assert " ".join(waktu.question_id.split()) in text
    assert waktu.name_en not in text
    assert " ".join(waktu.question_en.split()) not in text


@needs_poppler
def test_every_page_is_numbered_page_x_of_y(recommendation):
    recommendation.findings = "\n".join(f"Temuan nomor {n}: antrean panjang pada loket." for n in range(1, 120))
    recommendation.save()

    content = letter_issue(recommendation=recommendation, actor=None)[1]
    text = pdf_text(content)
    pages = page_count(content)

    assert pages >= 2
    for page in range(1, pages + 1):
        assert indonesian("Page %(page)d of %(pages)d") % {"page": page, "pages": pages} in text


@needs_poppler
def test_overdue_recommendation_is_marked_overdue(recommendation):
    type(recommendation).objects.filter(pk=recommendation.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    recommendation.refresh_from_db()

    text = pdf_text(letter_issue(recommendation=recommendation, actor=None)[1])

    assert indonesian("OVERDUE") in text


@needs_poppler
def test_recommendation_due_later_is_not_marked_overdue(recommendation):
    text = pdf_text(letter_issue(recommendation=recommendation, actor=None)[1])

    assert indonesian("OVERDUE") not in text


@needs_poppler
def test_returned_action_prints_the_reason_and_a_verified_one_its_status(operator_a, evaluator, recommendation):
    first, second = recommendation.actions.order_by("position")
    services.action_complete(action=first, note="Selesai", evidence=None, actor=operator_a)
    services.action_verify(action=first, actor=evaluator)
    services.action_plan(
        action=second,
        activity="Renovasi ruang tunggu",
        responsible="Sekretaris Dinas",
        target_date=timezone.localdate() + datetime.timedelta(days=20),
        actor=operator_a,
    )
    services.action_complete(action=second, note="Selesai", evidence=None, actor=operator_a)
    services.action_return(action=second, reason="Foto ruang tunggu belum dilampirkan", actor=evaluator)

    text = pdf_text(letter_issue(recommendation=recommendation, actor=None)[1])

    assert "Foto ruang tunggu belum dilampirkan" in text
    for label in ("Verified", "Returned", "Completion reported"):
        assert indonesian(label) in text


@needs_poppler
def test_text_the_staff_typed_is_printed_as_text_not_markup(recommendation):
    recommendation.findings = "Nilai <b>rendah</b> & perlu <font size=40>perhatian</font>"
    recommendation.save()

    text = pdf_text(letter_issue(recommendation=recommendation, actor=None)[1])

    assert "Nilai <b>rendah</b> & perlu <font size=40>perhatian</font>" in text


@needs_poppler
def test_a_very_long_plan_flows_onto_the_next_page_whole(operator_a, recommendation):
    action = recommendation.actions.get(position=2)
    activity = " ".join(f"langkah-{n}" for n in range(400))  # about 4,400 characters
    services.action_plan(
        action=action,
        activity=activity,
        responsible="Sekretaris Dinas",
        target_date=timezone.localdate() + datetime.timedelta(days=20),
        actor=operator_a,
    )

    content = letter_issue(recommendation=recommendation, actor=None)[1]
    text = pdf_text(content)

    assert page_count(content) >= 2
    assert "langkah-0" in text
    assert "langkah-399" in text


@needs_poppler
def test_a_recommendation_without_responses_prints_dashes_not_numbers(evaluator, agency_a, questionnaire):
    recommendation = services.recommendation_issue(
        agency=agency_a,
        period=PERIOD,
        title="Mulai survei kepuasan",
        findings="Belum ada responden pada periode ini.",
        actions=[{"element_code": "", "text": "Pasang poster QR di loket"}],
        due_date=timezone.localdate() + datetime.timedelta(days=10),
        actor=evaluator,
    )

    text = pdf_text(letter_issue(recommendation=recommendation, actor=None)[1])

    assert indonesian("No answers in this period yet.") in text
    assert "Pasang poster QR di loket" in text
    assert "evaluator" in text  # no full name: the username signs
