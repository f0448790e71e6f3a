import pytest
from django.urls import reverse

from agencies.models import Agency
from standards.models import Service

pytestmark = pytest.mark.django_db


def test_home_lists_agencies_by_kind_with_service_counts(client, service_a, service_b):
    Agency.objects.create(code="KEC-X", name="Kecamatan Jejawi", kind="kecamatan")
    html = client.get(reverse("standards:home")).content.decode()
    assert '<html lang="id">' in html
    assert "Dinas Kependudukan dan Pencatatan Sipil" in html
    assert "Kecamatan Jejawi" in html
    assert reverse("standards:agency_detail", args=["OPD-A"]) in html


def test_search_finds_services_by_name_and_requirement(client, service_a, service_b):
    by_name = client.get(reverse("standards:search"), {"q": "ktp"}).content.decode()
    assert "Penerbitan <mark>KTP-el</mark>" in by_name and "Nomor Induk Berusaha" not in by_name
    by_requirement = client.get(reverse("standards:search"), {"q": "NPWP"}).content.decode()
    assert "Nomor Induk Berusaha" in by_requirement and "Penerbitan KTP-el" not in by_requirement


def test_search_without_a_service_matching_every_word_says_so(client, service_a, service_b):
    html = client.get(reverse("standards:search"), {"q": "KTP NPWP"}).content.decode()
    assert "Tidak ada layanan yang cocok dengan semua kata" in html
    assert "Penerbitan <mark>KTP-el</mark>" in html and "Nomor Induk Berusaha" in html


def test_search_hides_drafts_and_inactive_agencies(client, service_a, agency_b):
    Service.objects.create(agency=service_a.agency, code="A-DRAFT", name="KTP konsep", is_published=False)
    agency_b.is_active = False
    agency_b.save()
    Service.objects.create(agency=agency_b, code="B-KTP", name="KTP lama")
    html = client.get(reverse("standards:search"), {"q": "KTP"}).content.decode()
    assert "Penerbitan <mark>KTP-el</mark>" in html
    assert "KTP konsep" not in html and "KTP lama" not in html
    assert client.get(reverse("standards:service_detail", args=["A-DRAFT"])).status_code == 404
    assert client.get(reverse("standards:agency_detail", args=["OPD-B"])).status_code == 404


def test_an_overlong_query_is_cut_not_refused(client, service_a):
    response = client.get(reverse("standards:search"), {"q": "KTP " + "x" * 5000})
    assert response.status_code == 200
    assert response.context["query"] == "KTP " + "x" * 96  # kept to MAX_QUERY_LENGTH (100) characters
    assert 'value="KTP ' + "x" * 96 + '"' in response.content.decode()


def test_service_page_shows_requirements_as_list_and_procedure_as_steps(client, service_a):
    html = client.get(reverse("standards:service_detail", args=["A-KTP"])).content.decode()
    assert "<li>Fotokopi Kartu Keluarga</li>" in html
    assert '<ol class="steps"><li>Ambil nomor antrean</li><li>Perekaman biometrik</li>' in html
    assert "Gratis" in html
    assert "Kami sanggup melayani sesuai standar." in html  # the agency's pledge


def test_service_page_links_the_online_service(client, service_b):
    html = client.get(reverse("standards:service_detail", args=["B-NIB"])).content.decode()
    assert 'href="https://oss.go.id"' in html


def test_typed_bullets_and_numbers_are_not_doubled(client, service_a):
    service_a.requirements = "- KTP asli\n• Kartu Keluarga\n1. Akta nikah"
    service_a.procedure = "1. Datang ke loket\n2) Serahkan berkas"
    service_a.save()
    html = client.get(reverse("standards:service_detail", args=["A-KTP"])).content.decode()
    assert "<li>KTP asli</li>" in html and "<li>Kartu Keluarga</li>" in html and "<li>Akta nikah</li>" in html
    assert "<li>Datang ke loket</li><li>Serahkan berkas</li>" in html


def test_agency_page_lists_its_published_services_and_pledge(client, service_a):
    html = client.get(reverse("standards:agency_detail", args=["OPD-A"])).content.decode()
    assert "Penerbitan KTP-el" in html
    assert "Kami sanggup melayani sesuai standar." in html


def test_english_is_available_through_the_language_switch(client, service_a):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Browse by agency" in html


def test_unknown_codes_are_404(client):
    assert client.get(reverse("standards:service_detail", args=["NOPE"])).status_code == 404
    assert client.get(reverse("standards:agency_detail", args=["NOPE"])).status_code == 404


def test_indonesian_even_when_the_phone_asks_for_english(client, service_a):
    html = client.get(reverse("standards:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html


def test_agencies_are_grouped_dinas_before_kecamatan(client, agency_a):
    Agency.objects.create(code="KEC-X", name="Kecamatan Jejawi", kind="kecamatan")
    Agency.objects.create(code="BDN", name="Badan Pendapatan Daerah", kind="badan")
    html = client.get(reverse("standards:home")).content.decode()
    assert html.index(agency_a.name) < html.index("Badan Pendapatan Daerah") < html.index("Kecamatan Jejawi")
