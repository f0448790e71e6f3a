"""Browser tests: Playwright drives the system Chromium against pytest-django's live server.

One Chromium runs for the whole session; every test gets fresh contexts (cookies, storage) from
it. Each context lets requests reach the live server only: anything else is aborted and written
to ``outside_requests``, so a test can assert the site never asks another host (no CDN, fonts or
trackers) -- the pages must work on a regency intranet and on a cheap phone with a poor signal.

Without Chromium the tests are skipped, unless ``REQUIRE_BROWSER=1`` (CI), where they fail.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "Correct-Horse-9"  # what the root conftest's ``_user`` sets for every actor
TIMEOUT_MS = 10_000

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "id-ID",
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "id-ID"}
DEVICES = {"phone": PHONE, "desktop": DESKTOP}

HERE = Path(__file__).resolve().parent


def _chromium_missing_message() -> str:
    return f"Chromium not found at {CHROMIUM_PATH}: browser tests skipped (apt-get install chromium)"


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder ``browser``; skip them when there is no Chromium."""
    skip = None
    if not Path(CHROMIUM_PATH).is_file() and not _browser_required():
        skip = pytest.mark.skip(reason=_chromium_missing_message())
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if skip is not None:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM_PATH).is_file():
        if _browser_required():
            pytest.fail(
                f"REQUIRE_BROWSER=1 but Chromium not found at {CHROMIUM_PATH}: "
                "install it (apt-get install chromium) or point CHROMIUM_PATH at it",
                pytrace=False,
            )
        pytest.skip(_chromium_missing_message())
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread, which makes Django
    # refuse ORM calls from that thread (fixtures creating actors, assertions reading the
    # database). Set only while the browser lives, so the rest of the suite keeps the check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def outside_requests():
    """URLs the pages tried to fetch from any host but the live server (all were aborted)."""
    return []


@pytest.fixture
def open_context(browser, live_server, outside_requests):
    """``open_context(device="phone"|"desktop", **options)``: a new browser context on the live
    server; ``options`` (e.g. ``java_script_enabled=False``) go to ``browser.new_context``."""
    origin = urlsplit(live_server.url)[:2]
    contexts = []

    def guard(route, request):
        if urlsplit(request.url)[:2] == origin:
            route.continue_()
        else:
            outside_requests.append(request.url)
            route.abort("blockedbyclient")

    def open_(device="phone", **options):
        context = browser.new_context(base_url=live_server.url, **{**DEVICES[device], **options})
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", guard)
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(open_context):
    """A 360-px Android-like phone with an Indonesian browser."""
    return open_context("phone").new_page()


@pytest.fixture
def desktop_page(open_context):
    """An office desktop (1280x800) with an Indonesian browser."""
    return open_context("desktop").new_page()


@pytest.fixture
def sign_in():
    """``sign_in(page, username, password=...)``: fill the real /login/ form and submit it."""

    def sign_in_(page, username, password=PASSWORD):
        page.goto("/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        return page

    return sign_in_
