import pytest
from django.urls import reverse

from agencies.models import Agency
from standards.models import Service

pytestmark = pytest.mark.django_db


def test_agencies_lists_active_agencies_with_code_name_kind(client, agency_a, agency_b):
    Agency.objects.create(code="OLD", name="Dinas Lama", is_active=False)
    response = client.get("/api/v1/agencies")
    assert response.status_code == 200
    assert response.json() == [
        {"code": "OPD-A", "name": agency_a.name, "kind": "dinas"},
        {"code": "OPD-B", "name": agency_b.name, "kind": "dinas"},
    ]


def test_services_list_published_services_with_their_agency_code(client, service_a, service_b):
    Service.objects.create(agency=service_a.agency, code="A-DRAFT", name="Konsep", is_published=False)
    data = client.get("/api/v1/services").json()
    assert data == [
        {"code": "A-KTP", "name": "Penerbitan KTP-el", "agency": "OPD-A", "online_url": ""},
        {"code": "B-NIB", "name": "Nomor Induk Berusaha", "agency": "OPD-B", "online_url": "https://oss.go.id"},
    ]


def test_services_filter_by_agency(client, service_a, service_b):
    data = client.get("/api/v1/services", {"agency": "OPD-B"}).json()
    assert [s["code"] for s in data] == ["B-NIB"]
    assert client.get("/api/v1/services", {"agency": "NOPE"}).json() == []


def test_an_overlong_agency_filter_is_a_400_with_field_errors(client):
    response = client.get("/api/v1/services", {"agency": "X" * 41})
    assert response.status_code == 400
    assert list(response.json()) == ["errors"]  # the documented shape, as every other refusal
    assert "agency" in response.json()["errors"]


def test_openapi_schema_documents_both_endpoints(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/agencies" in schema["paths"]
    assert "/api/v1/services" in schema["paths"]
    params = schema["paths"]["/api/v1/services"]["get"]["parameters"]
    assert any(p["name"] == "agency" for p in params)
