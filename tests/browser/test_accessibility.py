"""axe-core (from npm, installed by `make install`) on every page of the URL matrix, public and
staff, at 360 px and 1280 px: no WCAG 2.1 A/AA violation, and no page wider than the screen."""

import os
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.test_access_matrix import MATRIX, _agency_a_objects

AXE = Path(__file__).resolve().parents[2] / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": 360, "desktop": 1280}


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.is_file():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"axe-core not found at {AXE}: run `make install`", pytrace=False)
        pytest.skip("axe-core not installed: run `make install`")
    return AXE.read_text()


def _pages(client, role, objects):
    """(url name, path) of every HTML page of the matrix that ``role`` gets with status 200
    (PDFs, spreadsheets, images and JSON are left out)."""
    for name, (method, kwargs, expected) in sorted(MATRIX.items()):
        if method != "get" or expected[role] != 200:
            continue
        kwargs = {key: objects[value].pk if value in objects else value for key, value in kwargs.items()}
        path = reverse(name, kwargs=kwargs)
        if client.get(path).get("Content-Type", "").startswith("text/html"):
            yield name, path


def _audit(page, axe_source, path, width):
    """What is wrong with the page at ``path``: axe's violations and any sideways scroll."""
    page.goto(path)
    # Evaluated through the DevTools protocol, so the site's CSP (no inline script) still holds.
    page.evaluate(axe_source)
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map("
        "v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
        WCAG_AA,
    )
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        found.append(f"page scrolls sideways: {scroll} px wide")
    return found


def _signed_in(context, client, url):
    """A page of ``context`` sharing ``client``'s session (signed in or not)."""
    if "sessionid" in client.cookies:
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}])
    return context.new_page()


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("role", ["anonymous", "super_admin", "operator_a"])
def test_every_page_has_no_wcag_aa_violation_and_fits_the_screen(
    device, role, open_context, live_server, axe_source, actors, service_a, service_b, submit
):
    objects = {**actors, **_agency_a_objects(actors, service_a, submit)}
    client = Client()
    if role in objects:
        client.force_login(objects[role], backend="django.contrib.auth.backends.ModelBackend")
    page = _signed_in(open_context(device), client, live_server.url)
    problems, audited = {}, []
    for name, path in _pages(client, role, objects):
        audited.append(name)
        found = _audit(page, axe_source, path, WIDTHS[device])
        if found:
            problems[name] = found
    assert "standards:home" in audited and len(audited) >= 10
    assert problems == {}
