import pytest
from django.urls import reverse
from django.utils import timezone

from standards.models import Service, ServiceViewCount, Synonym

pytestmark = pytest.mark.django_db


def _search(client, query):
    return client.get(reverse("standards:search"), {"q": query}).content.decode()


def test_a_match_in_the_service_name_comes_before_one_in_the_requirements(client, agency_a, service_a):
    Service.objects.create(agency=agency_a, code="A-KK", name="Penerbitan Kartu Keluarga", requirements="KTP-el asli")
    html = _search(client, "ktp")
    assert html.index("Penerbitan <mark>KTP-el</mark>") < html.index("Penerbitan Kartu Keluarga")
    assert "<mark>KTP-el</mark> asli" in html  # the matching requirement, shown under the name
    assert "Dinas Kependudukan dan Pencatatan Sipil" in html


def test_a_default_synonym_finds_the_name_services_carry(client, service_a):
    html = _search(client, "e-KTP")
    assert "1 layanan ditemukan" in html and "Penerbitan <mark>KTP-el</mark>" in html


def test_search_words_are_escaped_not_run(client, agency_a):
    Service.objects.create(agency=agency_a, code="A-X", name="Layanan <b>tebal</b> & tipis")
    html = _search(client, "tebal <script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "Layanan &lt;b&gt;<mark>tebal</mark>&lt;/b&gt; &amp; tipis" in html


def test_nothing_found_offers_a_spelling_and_the_most_used_services(client, service_a, service_b):
    ServiceViewCount.objects.create(service=service_b, month=timezone.localdate().replace(day=1), count=5)
    html = _search(client, "nomr indk")
    assert "Tidak ada layanan ditemukan untuk “nomr indk”" in html
    assert 'Mungkin maksud Anda <a href="/cari/?q=nomor%20induk">nomor induk</a>' in html
    assert "Layanan yang paling banyak digunakan" in html and "Nomor Induk Berusaha" in html


def test_visits_to_a_service_page_put_it_on_the_home_page(client, service_a, service_b):
    assert "Layanan yang paling banyak digunakan" not in client.get(reverse("standards:home")).content.decode()
    for _ in range(2):
        client.get(reverse("standards:service_detail", args=["B-NIB"]))
    client.get(reverse("standards:service_detail", args=["A-KTP"]))
    assert ServiceViewCount.objects.get(service=service_b).count == 2
    html = client.get(reverse("standards:home")).content.decode()
    popular = html[html.index("Layanan yang paling banyak digunakan") :]
    assert popular.index("Nomor Induk Berusaha") < popular.index("Penerbitan KTP-el")


def test_surveys_count_towards_the_most_used_services(client, service_a, service_b, submit):
    submit(service_a)
    html = client.get(reverse("standards:home")).content.decode()
    popular = html[html.index("Layanan yang paling banyak digunakan") :]
    assert "Penerbitan KTP-el" in popular and "Nomor Induk Berusaha" not in popular


def test_super_admin_edits_the_synonyms_and_search_follows(client, super_admin, service_b):
    client.force_login(super_admin)
    page = client.get(reverse("standards:synonyms_edit")).content.decode()
    assert "e-KTP, eKTP, KTP elektronik" in page
    response = client.post(reverse("standards:synonyms_edit"), {"text": "surat usaha, izin dagang = NIB\n"})
    assert response.status_code == 302
    assert set(Synonym.objects.values_list("term", "replacement")) == {("surat usaha", "NIB"), ("izin dagang", "NIB")}
    client.logout()
    assert "Nomor Induk Berusaha" in _search(client, "surat usaha")


def test_a_bad_synonym_line_is_refused_and_nothing_changes(client, super_admin):
    client.force_login(super_admin)
    before = Synonym.objects.count()
    html = client.post(reverse("standards:synonyms_edit"), {"text": "akte = akta\nIMB PBG\n"}).content.decode()
    assert "Baris 2" in html
    assert Synonym.objects.count() == before
