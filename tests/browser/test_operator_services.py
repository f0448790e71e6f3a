"""An agency operator keeps their own services' standards up to date, and only their own."""

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

NEW_COST = "Rp0 (gratis); penggantian KTP-el rusak Rp10.000"


def indonesian(message: str, **values) -> str:
    """``message`` as the site shows it to an Indonesian browser."""
    with translation.override("id"):
        return gettext(message) % values if values else gettext(message)


def test_operator_changes_cost_and_sees_it_public_and_in_history(
    desktop_page, sign_in, operator_a, service_a, service_b, outside_requests
):
    page = sign_in(desktop_page, "operator.a")
    assert not page.url.endswith("/login/")

    page.goto("/kelola/layanan/")
    row = page.locator("tbody tr", has_text="A-KTP")
    expect(row).to_contain_text("Penerbitan KTP-el")
    with page.expect_navigation():
        row.get_by_role("link", name=indonesian("Edit")).click()
    assert page.url.endswith("/kelola/layanan/A-KTP/ubah/")

    cost = page.locator("#id_cost")
    expect(cost).to_have_value("Gratis")
    cost.fill(NEW_COST)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    assert page.url.endswith("/kelola/layanan/")
    expect(page.locator(".messages .msg-success")).to_have_text(
        indonesian("Service “%(name)s” saved.", name="Penerbitan KTP-el")
    )

    page.goto("/layanan/A-KTP/")
    expect(page.locator("section[aria-labelledby=c-cost]")).to_contain_text(NEW_COST)

    page.goto("/kelola/layanan/A-KTP/riwayat/")
    change = page.locator("main ol.cards > li", has=page.locator("del", has_text="Gratis"))
    expect(change).to_have_count(1)
    expect(change).to_contain_text("operator.a")
    expect(change.locator("ins", has_text=NEW_COST)).to_have_count(1)
    assert outside_requests == []


def test_operator_gets_404_for_other_agency_service(desktop_page, sign_in, operator_a, service_a, service_b):
    page = sign_in(desktop_page, "operator.a")

    for url in ("/kelola/layanan/B-NIB/ubah/", "/kelola/layanan/B-NIB/riwayat/"):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.locator("h1")).to_have_text(indonesian("Page not found"))
        expect(page.locator("main")).to_contain_text(
            indonesian("The page you asked for does not exist or is not available to you.")
        )
        expect(page.locator("main")).not_to_contain_text(service_b.name)

    page.goto("/kelola/layanan/")
    expect(page.locator("tbody tr", has_text="A-KTP")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("B-NIB")
    expect(page.locator("main")).not_to_contain_text(service_b.name)
