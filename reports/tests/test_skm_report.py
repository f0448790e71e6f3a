"""The SKM report PDF (Laporan Hasil SKM) of one agency and period, and its download.

The PDF's text is read with poppler's ``pdftotext``; without poppler-utils those checks are
skipped.
"""

import datetime
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import GOOD_PROFILE
from evaluations.models import Recommendation, RecommendationAction
from reports.issue import skm_report_issue
from surveys import periods, selectors
from surveys.index import round_half_up
from surveys.services import population_set, response_submit, suggestion_set_hidden

PERIOD = periods.parse("2026-S1")
A4_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+595\.2756\s+841\.8898\s*\]")
VISIBLE = "Antrean perekaman perlu dipercepat"
HIDDEN = "Saran ini disembunyikan operator"
OTHER_AGENCY = "Saran untuk dinas penanaman modal"
EARLIER = "Saran dari semester lalu"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftotext) is not installed: cannot read the PDF's text",
)


def pdf_text(content: bytes) -> str:
    """The PDF's text with runs of whitespace made one space."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return " ".join(text.split())


def url(code="OPD-A", **query):
    address = reverse("reports:skm_report", args=[code])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture(autouse=True)
def _language_back_to_default():
    yield
    translation.deactivate()


def answers(questionnaire, value=4, **special):
    return {**{e.code: value for e in questionnaire.elements.all()}, **special}


@pytest.fixture
def surveyed(questionnaire, service_a, service_b, submit, operator_a, evaluator, oki_identity):
    """Agency A in 2026-S1: three responses in March (waktu answered 2, 2 and 3), a visible and a
    hidden suggestion, a population of 100 (minimum 80); one response in 2025-S2; agency B one
    response with a suggestion. Recommendations: one open for A (2025-S2) with a planned action,
    one verified (2025-S1), one for B."""
    submit(service_a, answers(questionnaire, waktu=2), day=datetime.date(2026, 3, 3), suggestion=VISIBLE)
    hidden = submit(service_a, answers(questionnaire, waktu=2), day=datetime.date(2026, 3, 5), suggestion=HIDDEN)
    suggestion_set_hidden(response=hidden, hidden=True, actor=operator_a)
    submit(
        service_a,
        answers(questionnaire, 3),
        day=datetime.date(2026, 3, 9),
        gender="L",
        age=52,
        education="s1",
        occupation="pns",
    )
    submit(service_a, answers(questionnaire, 2), day=datetime.date(2025, 11, 20), suggestion=EARLIER)
    submit(service_b, answers(questionnaire, 1), day=datetime.date(2026, 3, 4), suggestion=OTHER_AGENCY)
    population_set(
        agency=service_a.agency, service=None, start=PERIOD.start, end=PERIOD.end, population=100, actor=operator_a
    )
    open_one = _recommendation(service_a.agency, "2025-S2", "Percepat waktu layanan", "in_progress", evaluator)
    RecommendationAction.objects.create(
        recommendation=open_one,
        element_code="waktu",
        text="Tambah loket perekaman",
        status="planned",
        plan_activity="Membuka loket kedua",
        plan_responsible="Kepala Bidang Dafduk",
        plan_target_date=datetime.date(2026, 5, 31),
    )
    done = _recommendation(service_a.agency, "2025-S1", "Perbaiki papan informasi", "verified", evaluator)
    RecommendationAction.objects.create(recommendation=done, text="Pasang papan baru", status="verified")
    other = _recommendation(service_b.agency, "2025-S2", "Rekomendasi dinas lain", "issued", evaluator)
    RecommendationAction.objects.create(recommendation=other, text="Tindakan dinas lain")
    return service_a.agency


def _recommendation(agency, key, title, status, evaluator):
    period = periods.parse(key)
    return Recommendation.objects.create(
        agency=agency,
        period_key=key,
        period_start=period.start,
        period_end=period.end,
        title=title,
        findings="Temuan",
        due_date=period.end + datetime.timedelta(days=180),
        status=status,
        snapshot={},
        issued_by=evaluator,
    )


@pytest.fixture
def report_text(surveyed):
    return pdf_text(skm_report_issue(agency=surveyed, period=PERIOD, actor=None)[1])


def test_report_is_an_a4_pdf(surveyed):
    content = skm_report_issue(agency=surveyed, period=PERIOD, actor=None)[1]

    assert content.startswith(b"%PDF")
    assert len(A4_MEDIABOX.findall(content)) > 5  # a cover, five chapters and annexes, all A4


@needs_poppler
def test_report_names_the_agency_the_period_and_has_the_five_chapters(report_text):
    assert "Dinas Kependudukan dan Pencatatan Sipil" in report_text
    assert "Semester I 2026" in report_text
    assert "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT" in report_text
    positions = [report_text.index(f"BAB {number} ") for number in ("I", "II", "III", "IV", "V")]
    assert positions == sorted(positions)
    for basis in ("Nomor 25 Tahun 2009", "Nomor 14 Tahun 2017", "Nomor 91 Tahun 2021"):
        assert basis in report_text


@needs_poppler
def test_report_score_and_grade_equal_the_index_of_the_same_period(surveyed, report_text):
    index = selectors.results(scope=selectors.Scope(agency=surveyed), start=PERIOD.start, end=PERIOD.end).index
    shown = str(round_half_up(index.score)).replace(".", ",")

    assert re.search(r"^\d{2},\d{2}$", shown)
    assert f"Nilai IKM {surveyed.name} pada periode Semester I 2026 adalah {shown}" in report_text
    assert f"mutu pelayanan {index.grade} dan kinerja" in report_text
    assert f"{index.respondents} responden" in report_text


@needs_poppler
def test_report_lists_visible_suggestions_of_the_agency_and_period_only(report_text):
    assert VISIBLE in report_text
    assert HIDDEN not in report_text
    assert OTHER_AGENCY not in report_text
    assert EARLIER not in report_text


@needs_poppler
def test_report_shows_the_sample_against_the_krejcie_morgan_minimum(report_text):
    assert "Populasi pengguna layanan pada periode ini adalah 100 orang" in report_text
    assert "belum memenuhi sampel minimal 80 responden (kurang 77" in report_text


@needs_poppler
def test_report_names_the_weakest_element_to_improve(report_text):
    conclusion = report_text[report_text.rindex("BAB V ") :]
    weakest = conclusion[conclusion.index("perlu diperbaiki") :][:200]

    assert weakest.startswith("perlu diperbaiki terutama: Waktu Penyelesaian")
    assert "NRR 2,333" in weakest  # waktu: (2 + 2 + 3) / 3


@needs_poppler
def test_report_carries_the_open_follow_up_plan_and_the_previous_period(report_text):
    plan = report_text[
        report_text.rindex("4.2 Rencana Tindak Lanjut") : report_text.rindex("4.3 Perkembangan Nilai IKM")
    ]
    assert "Percepat waktu layanan" in plan
    assert "Tambah loket perekaman" in plan
    assert "Membuka loket kedua" in plan
    assert "Kepala Bidang Dafduk" in plan
    assert "31 Mei 2026" in plan
    assert "Perbaiki papan informasi" not in plan  # verified: no longer open
    assert "Tindakan dinas lain" not in report_text
    annex = report_text[report_text.rindex("LAMPIRAN 3") :]
    assert "Semester II 2025" in annex and "Tambah loket perekaman" in annex
    assert "Pasang papan baru" not in annex  # 2025-S1 is not the most recent earlier period


@needs_poppler
def test_report_compares_with_earlier_semesters(report_text):
    trend = report_text[report_text.rindex("4.3 Perkembangan Nilai IKM") : report_text.rindex("BAB V ")]

    assert "Semester II 2025" in trend and "Semester I 2024" in trend
    assert "50,00" in trend  # 2025-S2: every answer 2


@needs_poppler
def test_report_annexes_the_questionnaire_with_its_answer_labels(report_text):
    annex = report_text[report_text.rindex("LAMPIRAN 1") : report_text.rindex("LAMPIRAN 2")]

    assert "persyaratan" in annex and "sarana" in annex
    assert "Sangat sesuai" in annex


@needs_poppler
def test_report_is_indonesian_by_default(report_text):
    assert "BAB I PENDAHULUAN" in report_text
    assert "Perempuan" in report_text and "Laki-laki" in report_text
    assert "1 Januari 2026 sampai dengan 30 Juni 2026" in report_text
    assert "Halaman 2 dari" in report_text
    assert "CHAPTER" not in report_text


@needs_poppler
def test_report_in_english_when_asked(surveyed):
    text = pdf_text(skm_report_issue(agency=surveyed, period=PERIOD, language="en", actor=None)[1])

    assert "COMMUNITY SATISFACTION SURVEY RESULTS REPORT" in text
    positions = [text.index(f"CHAPTER {number} ") for number in ("I", "II", "III", "IV", "V")]
    assert positions == sorted(positions)
    assert "CHAPTER I INTRODUCTION" in text and "ANNEX 3" in text
    assert "1 January 2026 to 30 June 2026" in text
    assert "Female" in text and "Male" in text
    assert "The elements most in need of improvement: Completion time" in text
    assert "NRR 2.333" in text  # English number format
    assert "Page 2 of" in text
    assert "Nomor 14 Tahun 2017" in text  # the regulation is cited as enacted
    assert "BAB " not in text and "LAMPIRAN" not in text and "Belum" not in text


@needs_poppler
def test_report_gives_the_assisted_share_after_the_respondents_by_channel(questionnaire, service_a, oki_identity):
    for channel, assisted in (("web", False), ("paper", True), ("paper", True), ("paper", False)):
        response_submit(
            service=service_a,
            answers=answers(questionnaire),
            profile=GOOD_PROFILE,
            channel=channel,
            assisted=assisted,
            day=datetime.date(2026, 3, 3),
        )

    text = pdf_text(skm_report_issue(agency=service_a.agency, period=PERIOD, language="en", actor=None)[1])

    channels = text.index("Respondents by channel: Web form (1), Paper (3).")
    assisted = text.index("Respondents helped by staff to fill in the questionnaire: 2 of 4 (50.0%).")
    assert channels < assisted


@needs_poppler
def test_report_without_assisted_respondents_says_none_were_helped(surveyed):
    text = pdf_text(skm_report_issue(agency=surveyed, period=PERIOD, language="en", actor=None)[1])

    assert "Respondents helped by staff to fill in the questionnaire: 0 of 3 (0.0%)." in text


@needs_poppler
def test_report_follows_the_active_language_unless_one_is_given(surveyed):
    with translation.override("en"):
        english = pdf_text(skm_report_issue(agency=surveyed, period=PERIOD, actor=None)[1])
        indonesian = pdf_text(skm_report_issue(agency=surveyed, period=PERIOD, language="id", actor=None)[1])

    assert "CHAPTER I INTRODUCTION" in english
    assert "BAB I PENDAHULUAN" in indonesian and "CHAPTER" not in indonesian


@needs_poppler
def test_report_of_a_period_without_responses_says_so(agency_a, questionnaire):
    text = pdf_text(skm_report_issue(agency=agency_a, period=periods.parse("2024-S1"), actor=None)[1])

    assert "Belum ada responden pada periode Semester I 2024" in text
    assert "belum dimasukkan" in text  # no population for the period
    assert "Tidak ada saran pada periode ini" in text
    assert "Tidak ada rekomendasi evaluator yang masih terbuka" in text


# --- The download ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["super_admin", "evaluator", "leader", "operator_a"])
def test_staff_who_may_see_the_agency_download_the_report(client_for, actors, role, surveyed):
    response = client_for(actors[role]).get(url(periode="2026-S1"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporan-skm-OPD-A-2026-S1.pdf"'
    assert response.content.startswith(b"%PDF")


@needs_poppler
def test_staff_reading_in_english_download_an_english_report(client_for, operator_a, surveyed):
    client = client_for(operator_a)
    indonesian = pdf_text(client.get(url(periode="2026-S1")).content)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    english = pdf_text(client.get(url(periode="2026-S1")).content)

    assert "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT" in indonesian
    assert "COMMUNITY SATISFACTION SURVEY RESULTS REPORT" in english and "CHAPTER V CONCLUSION" in english


def test_operator_of_another_agency_gets_not_found(client_for, operator_b, surveyed):
    assert client_for(operator_b).get(url(periode="2026-S1")).status_code == 404


def test_unknown_agency_is_not_found(client_for, super_admin):
    assert client_for(super_admin).get(url("NOPE")).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, agency_a):
    response = client.get(url(periode="2026-S1"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_default_period_is_the_current_semester(client_for, super_admin, agency_a, questionnaire):
    response = client_for(super_admin).get(url())

    key = periods.current_semester().key
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="laporan-skm-OPD-A-{key}.pdf"'


@pytest.mark.parametrize(
    ("key", "message"),
    [("2026-S3", "A year has two semesters."), ("0001-01-01..0001-06-30", "The year must be between 2000 and 2100.")],
)
def test_bad_period_explains_itself_with_a_bad_request(client_for, super_admin, agency_a, key, message):
    client = client_for(super_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(url(periode=key))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert reverse("results:agency", args=["OPD-A"]) in response.content.decode()


def test_operator_of_another_agency_gets_not_found_even_with_a_bad_period(client_for, operator_b, agency_a):
    assert client_for(operator_b).get(url(periode="2026-S3")).status_code == 404


@needs_poppler
def test_report_carries_the_regency_identity_set_by_the_super_admin(surveyed, super_admin):
    from agencies.services import regency_identity_update

    regency_identity_update(actor=super_admin, data={"name": "Kota Palembang"})
    text = pdf_text(skm_report_issue(agency=surveyed, period=PERIOD, actor=None)[1])
    assert "PEMERINTAH KOTA PALEMBANG" in text and "SI-PUTRI · Kota Palembang" in text
    assert "OGAN KOMERING ILIR" not in text.split("BAB I")[0]


# --- The regulation's structure ------------------------------------------------------------------


@pytest.fixture
def signed_report(surveyed):
    surveyed.head_name, surveyed.head_nip = "Drs. H. Ahmad Rizal, M.Si.", "197205121998031004"
    surveyed.head_title = "Kepala Dinas Kependudukan dan Pencatatan Sipil"
    surveyed.save()
    return skm_report_issue(agency=surveyed, period=PERIOD, actor=None)[1]


@pytest.fixture
def signed_report_text(signed_report):
    return pdf_text(signed_report)


def page_texts(content: bytes) -> list[str]:
    """Each page's text (pdftotext ends every page with a form feed)."""
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return [" ".join(page.split()) for page in text.split("\f")]


@needs_poppler
def test_report_has_an_approval_page_signed_by_the_head_of_agency(signed_report_text):
    approval = signed_report_text[signed_report_text.index("LEMBAR PENGESAHAN") :][:900]
    assert "Kepala Dinas Kependudukan dan Pencatatan Sipil" in approval
    assert "Drs. H. Ahmad Rizal, M.Si. NIP. 197205121998031004" in approval
    assert "Kayuagung," in approval


@needs_poppler
def test_report_has_a_foreword_and_contents_with_page_numbers(signed_report, signed_report_text):
    assert "KATA PENGANTAR" in signed_report_text
    contents = signed_report_text[signed_report_text.index("DAFTAR ISI") :]
    assert re.search(r"BAB I PENDAHULUAN[ .]+\d+", contents)
    assert re.search(r"BAB V KESIMPULAN[ .]+\d+", contents)
    assert re.search(r"DAFTAR TABEL .*Tabel 3\.1 Pengolahan data survei per unsur[ .]+\d+", contents)
    assert re.search(r"DAFTAR GAMBAR .*Gambar 3\.2[^.]*[ .]+\d+", contents)
    # The page a chapter is listed on is the page it is on.
    listed = int(re.search(r"BAB III HASIL SURVEI[ .]+?(\d+)", contents).group(1))
    pages = page_texts(signed_report)
    assert "BAB III HASIL SURVEI 3.1" in pages[listed - 1]


@needs_poppler
def test_report_has_the_processing_table_and_the_spread_of_answers(signed_report_text):
    processing = signed_report_text[signed_report_text.index("Tabel 3.1 Pengolahan data survei per unsur No") :]
    # Hand-computed: nine elements answered 4, 4, 3 (total 11, NRR 3,667, weighted 0,367) and
    # Waktu Penyelesaian 2, 2, 3 (total 7, NRR 2,333, weighted 0,233); IKM 3,5333 → 88,33.
    assert "Waktu Penyelesaian 7 3 2,333 0,233" in processing
    assert "Persyaratan 11 3 3,667 0,367" in processing
    assert "Jumlah NRR tertimbang (IKM) 3,5333" in processing
    assert "Bobot setiap unsur = 1/10. Nilai IKM = 3,5333 × 25 = 88,33 (mutu A)." in processing
    spread = signed_report_text[signed_report_text.index("Tabel 3.2 Sebaran jawaban 1–4 per unsur No") :]
    assert "Waktu Penyelesaian 0 2 1 0 3" in spread
    assert "Persyaratan 0 0 1 2 3" in spread


@needs_poppler
def test_report_states_the_aggregation_rule_the_team_and_schedule_and_recommendations(signed_report_text):
    assert "2.7 Cara Penggabungan Angka" in signed_report_text
    assert "menggabungkan jawaban dari semua layanannya" in signed_report_text
    assert "2.8 Tim dan Jadwal Survei" in signed_report_text
    assert "Penanggung jawab: Drs. H. Ahmad Rizal, M.Si." in signed_report_text
    assert "Jawaban diterima 3 Maret 2026 – 9 Maret 2026" in signed_report_text
    conclusion = signed_report_text[signed_report_text.index("BAB V KESIMPULAN 5.1 Kesimpulan") :]
    assert "5.2 Saran dan Rekomendasi" in conclusion
    assert "Perbaiki terlebih dahulu unsur Waktu Penyelesaian (NRR 2,333)" in conclusion


@needs_poppler
def test_report_cites_no_regional_regulation_when_the_identity_names_none(surveyed):
    from agencies.models import RegencyIdentity

    RegencyIdentity.objects.filter(pk=1).update(survey_regulation="")
    report_text = pdf_text(skm_report_issue(agency=surveyed, period=PERIOD, actor=None)[1])

    assert "Nomor 14 Tahun 2017" in report_text
    assert "Peraturan Bupati" not in report_text
    assert "Kabupaten Ogan Komering Ilir, survei kepuasan masyarakat" in " ".join(report_text.split())
