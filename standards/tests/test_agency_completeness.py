"""The staff page of what each agency's standards still lack, and "mark as reviewed today"."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from standards.models import Service

pytestmark = pytest.mark.django_db

PAGE = reverse("standards:agency_completeness", args=["OPD-A"])
REVIEW = reverse("standards:service_review", args=["A-KTP"])


@pytest.fixture
def draft_a(agency_a):
    return Service.objects.create(
        agency=agency_a, code="A-KK", name="Kartu Keluarga", requirements="belum ada", is_published=False
    )


def test_page_lists_each_service_with_its_score_and_what_is_missing(client_for, operator_a, service_a, draft_a):
    response = client_for(operator_a).get(PAGE)

    assert response.status_code == 200
    rows = {item["row"].service.code: item for item in response.context["rows"]}
    # service_a has the six delivery components: 6 of 14 = 43 %; the draft has none (its
    # requirements say "belum ada"): 0 %, and it comes first.
    assert [item["row"].service.code for item in response.context["rows"]] == ["A-KK", "A-KTP"]
    assert rows["A-KTP"]["row"].completeness.score == 43
    assert rows["A-KK"]["row"].completeness.score == 0
    with translation.override("id"):  # the default language of every page
        requirements, legal_basis = (
            str(Service._meta.get_field(n).verbose_name) for n in ("requirements", "legal_basis")
        )
    assert (capfirst(requirements), True) in rows["A-KK"]["lacking"]  # too short
    assert (capfirst(legal_basis), False) in rows["A-KTP"]["lacking"]  # empty
    assert len(rows["A-KTP"]["lacking"]) == 8
    html = response.content.decode()
    assert "43%" in html and "0%" in html
    assert "Kartu Keluarga" in html and "draft" in html.lower()


def test_page_shows_the_last_review_date_and_never_before_one(client_for, operator_a, service_a):
    html = client_for(operator_a).get(PAGE).content.decode()
    assert "never" in html or "belum pernah" in html

    Service.objects.filter(pk=service_a.pk).update(reviewed_on=datetime.date(2026, 3, 2))
    response = client_for(operator_a).get(PAGE)
    assert "2 March 2026" in response.content.decode() or "2 Maret 2026" in response.content.decode()


def test_operator_marks_a_standard_reviewed_today_and_it_is_audited(client_for, operator_a, service_a):
    updated_at = Service.objects.get(pk=service_a.pk).updated_at

    response = client_for(operator_a).post(REVIEW, {"next": PAGE})

    assert response.status_code == 302 and response["Location"] == PAGE
    service = Service.objects.get(pk=service_a.pk)
    assert service.reviewed_on == timezone.localdate()  # the injected clock's date in Asia/Jakarta
    assert service.updated_at == updated_at  # a review is not a change of the standard
    entry = LogEntry.objects.get_for_object(service).filter(actor=operator_a).latest("timestamp")
    assert "reviewed_on" in entry.changes_dict


def test_review_without_a_next_goes_back_to_the_agency_page(client_for, super_admin, service_a):
    response = client_for(super_admin).post(REVIEW, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == PAGE


def test_review_is_a_post_only(client_for, operator_a, service_a):
    assert client_for(operator_a).get(REVIEW).status_code == 405
    assert Service.objects.get(pk=service_a.pk).reviewed_on is None


def test_operator_of_another_agency_cannot_mark_a_review(client_for, operator_b, service_a):
    assert client_for(operator_b).post(REVIEW).status_code == 404
    assert Service.objects.get(pk=service_a.pk).reviewed_on is None


def test_leader_sees_the_page_but_cannot_review(client_for, leader, service_a):
    html = client_for(leader).get(PAGE).content.decode()
    assert "Penerbitan KTP-el" in html and REVIEW not in html
    assert client_for(leader).post(REVIEW).status_code == 403


def test_operator_of_another_agency_gets_404(client_for, operator_b, service_a):
    assert client_for(operator_b).get(PAGE).status_code == 404


def test_staff_service_list_links_the_page(client_for, operator_a, service_a):
    html = client_for(operator_a).get(reverse("standards:staff_service_list")).content.decode()
    assert PAGE in html
    assert reverse("standards:service_documents", args=["A-KTP"]) in html


def test_staff_agency_list_links_the_page(client_for, evaluator, service_a):
    html = client_for(evaluator).get(reverse("agencies:staff_agency_list")).content.decode()
    assert PAGE in html
