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


TAP_TARGET = 44  # px, WCAG 2.5.5 (AAA) and the issue's own bar for a phone


def test_on_a_phone_every_header_control_footer_link_and_card_is_a_44_px_tap_target(phone_page, service_a):
    page = phone_page
    for path in ("/", f"/opd/{service_a.agency.code}/"):
        page.goto(path)
        targets = page.locator(
            ".site-header a, .site-header button, .site-header select, .main-nav a, .main-nav button, "
            ".footer-links a, .cards a.card"
        )
        assert targets.count() >= 5, f"too few tap targets found on {path}"
        heights = targets.evaluate_all(
            "els => els.filter(e => e.offsetParent !== null)"
            ".map(e => [e.textContent.trim().slice(0, 40), e.getBoundingClientRect().height])"
        )
        small = [(label, height) for label, height in heights if height < TAP_TARGET]
        assert small == [], f"tap targets under {TAP_TARGET} px on {path}: {small}"

    # A card is a link as a whole: a tap anywhere on the box, not only on its title, opens it.
    page.goto("/")
    card = page.locator(".cards a.card").first
    card.scroll_into_view_if_needed()
    box = card.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] - 12, box["y"] + box["height"] / 2)
    assert "/opd/" in page.url
