"""Personal data in suggestions is masked before anyone can read it, and the survey says what
it collects, why, who sees it and for how long."""

import pytest
from django.urls import reverse

from surveys.models import Response
from surveys.privacy import mask_personal_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Hubungi saya di 0812-3456-7890 ya", "Hubungi saya di [nomor telepon disamarkan] ya"),
        ("wa +62 812 3456 7890", "wa [nomor telepon disamarkan]"),
        ("kantor (0712) 321456", "kantor [nomor telepon disamarkan]"),
        ("NIK saya 1602 0312 8501 0004", "NIK saya [NIK disamarkan]"),
        ("NIK 1602031285010004.", "NIK [NIK disamarkan]."),
        ("surel budi.s+skm@mail.co.id terima kasih", "surel [surel disamarkan] terima kasih"),
    ],
)
def test_phone_numbers_nik_and_email_addresses_are_masked(written, stored):
    assert mask_personal_data(written) == stored


def test_ordinary_numbers_stay():
    text = "Antre 45 menit, loket 3 tutup jam 12.30, biaya Rp 50.000 pada 2026"
    assert mask_personal_data(text) == text


def test_a_submitted_suggestion_is_stored_masked_and_staff_never_see_the_original(
    client, submit, service_a, operator_a
):
    response = submit(service_a, suggestion="Petugas ramah. Telp 081234567890, NIK 1602031285010004")
    stored = Response.objects.get(pk=response.pk).suggestion
    assert stored == "Petugas ramah. Telp [nomor telepon disamarkan], NIK [NIK disamarkan]"
    client.force_login(operator_a)
    page = client.get(reverse("results:suggestions", args=["OPD-A"])).content.decode()
    assert "Petugas ramah." in page and "081234567890" not in page and "1602031285010004" not in page


def test_the_survey_explains_its_data_and_hints_at_the_suggestion_box(client, service_a, questionnaire):
    html = client.get(reverse("survey:service_survey", args=["A-KTP"])).content.decode()
    for said in ("Yang dikumpulkan:", "Untuk apa:", "Siapa yang melihat:", "Berapa lama:"):
        assert said in html
    assert "tidak pernah nama, NIK atau alamat internet Anda" in html
    assert f'href="{reverse("standards:privacy")}"' in html
    assert 'aria-describedby="suggestion_helptext"' in html and '<p class="help" id="suggestion_helptext">' in html
    assert "Mohon jangan menulis nama, NIK, nomor telepon atau alamat" in html
