"""A citizen on a cheap 360-px phone finds a service and reads its standard before going."""

from playwright.sync_api import expect

PHONE_WIDTH = 360
TRANSPARENT = "rgba(0, 0, 0, 0)"


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def search_from_home(page, query: str):
    page.goto("/")
    page.locator("form.search input[name=q]").fill(query)
    with page.expect_navigation():
        page.locator("form.search button[type=submit]").click()


def test_citizen_on_phone_finds_service_and_reads_its_standard(phone_page, service_a, service_b, outside_requests):
    page = phone_page

    response = page.goto("/")
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "id")
    header_background = page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_background != TRANSPARENT, "the stylesheet did not load: the header has no background"
    assert page_width(page) <= PHONE_WIDTH

    search_from_home(page, "KTP")
    assert "/cari/?q=KTP" in page.url
    expect(page.get_by_role("status")).to_contain_text("KTP")
    results = page.locator("main ol.results li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Penerbitan KTP-el")
    expect(results.first).to_contain_text(service_a.agency.name)
    expect(page.get_by_text(service_b.name)).to_have_count(0)
    assert page_width(page) <= PHONE_WIDTH

    with page.expect_navigation():
        page.get_by_role("link", name="Penerbitan KTP-el").click()
    assert page.url.endswith("/layanan/A-KTP/")
    expect(page.locator("h1")).to_have_text("Penerbitan KTP-el")
    expect(page.locator("section[aria-labelledby=c-req] ul > li")).to_have_text(
        ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW"]
    )
    steps = page.locator("section[aria-labelledby=c-proc] ol > li")
    expect(steps).to_have_text(["Ambil nomor antrean", "Perekaman biometrik", "Pengambilan KTP-el"])
    numbering = page.locator("section[aria-labelledby=c-proc] ol").evaluate("el => getComputedStyle(el).listStyleType")
    assert numbering == "decimal", "procedure steps are not numbered"
    expect(page.locator("section[aria-labelledby=c-cost]")).to_contain_text("Gratis")
    pledge = page.locator("section[aria-labelledby=pledge-title]")
    expect(pledge).to_contain_text("Kami sanggup melayani sesuai standar.")
    expect(pledge).to_contain_text("Kepala Dinas")
    assert page_width(page) <= PHONE_WIDTH

    assert outside_requests == []


def test_search_works_without_javascript(open_context, service_a, outside_requests):
    page = open_context("phone", java_script_enabled=False).new_page()

    search_from_home(page, "KTP")

    assert "/cari/?q=KTP" in page.url
    expect(page.get_by_role("link", name="Penerbitan KTP-el")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Penerbitan KTP-el").click()
    expect(page.locator("section[aria-labelledby=c-proc] ol > li")).to_have_count(3)
    assert page_width(page) <= PHONE_WIDTH
    assert outside_requests == []
