"""No signed-in response may be kept by a shared cache: every page, PDF, export and evidence file
a signed-in person gets says ``Cache-Control: private, no-store``; public pages stay cacheable."""

from django.urls import reverse

from accounts.tests.test_access_matrix import MATRIX, _agency_a_objects, _request

# Public API endpoints that never sign anyone in (no session, no CSRF): they answer everyone the
# same, so a shared cache may keep them (open data says so itself).
SAME_FOR_EVERYONE = {"api:opendata", "api:responses"}


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_every_url_answers_a_signed_in_person_private_and_not_stored(client_for, actors, service_a, submit):
    objects = {**actors, **_agency_a_objects(actors, service_a, submit)}
    kept = {}
    for name in sorted(set(MATRIX) - SAME_FOR_EVERYONE):
        for role in ("super_admin", "operator_a"):
            response = _request(name, role, client_for, objects)
            directives = _directives(response)
            if not {"private", "no-store"} <= directives or "public" in directives:
                kept[f"{name} as {role}"] = response.get("Cache-Control")

    assert kept == {}


def test_a_public_chart_stays_cacheable_for_citizens_and_turns_private_for_staff(client_for, actors, service_a):
    url = reverse("reports:chart_elements")

    public = _directives(client_for(None).get(url))
    private = _directives(client_for(actors["super_admin"]).get(url))

    assert "public" in public and "no-store" not in public
    assert {"private", "no-store"} <= private and "public" not in private
