"""The completeness of a standard against the 14 components (standards/completeness.py), with
every expected figure worked out by hand."""

from types import SimpleNamespace

import pytest

from standards.completeness import (
    COMPONENTS,
    EMPTY,
    FILLED,
    TOO_SHORT,
    component_status,
    score,
    standard_completeness,
)
from standards.models import INTERNAL_COMPONENTS, PUBLIC_COMPONENTS

FULL = {
    "requirements": "Fotokopi Kartu Keluarga\nSurat pengantar RT/RW",
    "procedure": "Ambil nomor antrean\nPerekaman biometrik",
    "duration": "1 hari kerja",
    "cost": "Gratis",
    "product": "KTP-el",
    "complaints": "Loket pengaduan, SMS 0812",
    "legal_basis": "UU 24/2013 tentang Administrasi Kependudukan",
    "facilities": "Ruang tunggu, alat perekaman",
    "competence": "Menguasai aplikasi SIAK",
    "supervision": "Kepala Bidang",
    "staff_count": "5",
    "service_guarantee": "Sertifikat jaminan pelayanan",
    "safety_guarantee": "Data pemohon dijaga kerahasiaannya",
    "performance_evaluation": "Evaluasi tiap semester",
}


def test_the_fourteen_components_are_the_regulations_public_then_internal():
    assert len(COMPONENTS) == 14
    assert (*PUBLIC_COMPONENTS, *INTERNAL_COMPONENTS) == COMPONENTS
    assert set(FULL) == set(COMPONENTS)


@pytest.mark.parametrize(
    ("text", "component", "status"),
    [
        ("", "cost", EMPTY),
        ("   \n\t", "cost", EMPTY),
        (None, "cost", EMPTY),
        ("-", "cost", TOO_SHORT),
        (" — ", "cost", TOO_SHORT),
        ("...", "product", TOO_SHORT),
        ("Belum ada", "legal_basis", TOO_SHORT),
        ("TIDAK ADA.", "supervision", TOO_SHORT),
        ("tidak  ada", "supervision", TOO_SHORT),
        ("N/A", "facilities", TOO_SHORT),
        ("menyusul", "safety_guarantee", TOO_SHORT),
        ("ok", "product", TOO_SHORT),  # two letters
        ("ok!", "product", TOO_SHORT),  # punctuation is not a letter
        ("KTP", "product", FILLED),  # three letters
        ("Gratis", "cost", FILLED),
        ("Tidak dipungut biaya", "cost", FILLED),
        ("5", "staff_count", FILLED),  # a bare figure fills the number of staff
        ("5", "duration", TOO_SHORT),  # … and nothing else
        ("0", "staff_count", TOO_SHORT),
        ("-", "staff_count", TOO_SHORT),
    ],
)
def test_component_status_follows_the_rule(text, component, status):
    assert component_status(text, component=component) == status


@pytest.mark.parametrize(("filled", "expected"), [(0, 0), (1, 7), (6, 43), (7, 50), (13, 93), (14, 100)])
def test_score_is_whole_per_cent_rounded_half_up(filled, expected):
    # 1/14 = 7.14 → 7; 6/14 = 42.86 → 43; 13/14 = 92.86 → 93
    assert score(filled) == expected


def test_score_rounds_an_exact_half_up():
    assert score(1, total=8) == 13  # 12.5 → 13


def test_a_full_standard_is_complete():
    completeness = standard_completeness(SimpleNamespace(**FULL))
    assert completeness.filled == COMPONENTS
    assert completeness.missing == completeness.too_short == completeness.lacking == ()
    assert completeness.score == 100 and completeness.is_complete and completeness.total == 14


def test_a_standard_with_only_the_delivery_components_scores_43():
    service = SimpleNamespace(**{name: (FULL[name] if name in PUBLIC_COMPONENTS else "") for name in COMPONENTS})
    completeness = standard_completeness(service)
    assert completeness.filled == PUBLIC_COMPONENTS
    assert completeness.missing == INTERNAL_COMPONENTS
    assert completeness.too_short == ()
    assert completeness.score == 43  # 6 / 14
    assert not completeness.is_complete


def test_empty_and_too_short_components_are_told_apart_in_the_regulations_order():
    service = SimpleNamespace(
        **{**FULL, "cost": "-", "legal_basis": "", "product": "belum ada", "staff_count": "0", "supervision": " "}
    )
    completeness = standard_completeness(service)
    assert completeness.missing == ("legal_basis", "supervision")
    assert completeness.too_short == ("cost", "product", "staff_count")
    assert completeness.lacking == ("cost", "product", "legal_basis", "supervision", "staff_count")
    assert len(completeness.filled) == 9
    assert completeness.score == 64  # 9 / 14 = 64.29
