"""An agency operator reads their survey results, enters the number of service users to see
whether enough people answered, hides an abusive suggestion, and prints the results."""

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from surveys.models import Response, SamplePopulation


def indonesian(message: str) -> str:
    """``message`` as the site shows it to an Indonesian browser."""
    with translation.override("id"):
        return gettext(message)


def test_operator_reads_results_enters_population_and_prints(
    desktop_page, sign_in, operator_a, service_a, service_b, submit, outside_requests
):
    submit(service_a, answers=4)
    submit(service_a, answers=3)
    submit(service_b, answers=1)  # another agency: never on operator A's pages
    page = sign_in(desktop_page, "operator.a")

    page.goto("/dasbor/")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=indonesian("Survey results")).click()
    assert page.url.split("?")[0].endswith("/kelola/hasil/opd/OPD-A/")
    expect(page.locator("#result-respondents")).to_have_text("2")
    expect(page.locator("#result-score")).to_have_text("87,50")
    expect(page.locator("#result-grade")).to_have_text("B")
    expect(page.locator("#rank-A-KTP")).to_contain_text("87,50")

    with page.expect_navigation():
        page.locator("#sample-none a").click()
    page.locator("#id_population").fill("100")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert SamplePopulation.objects.get().population == 100
    expect(page.locator("#sample-count")).to_contain_text("80")
    expect(page.locator("#sample-missing")).to_be_visible()
    expect(page.locator("#sample-missing")).to_contain_text("78")

    page.emulate_media(media="print")
    expect(page.locator(".period-chooser")).to_be_hidden()
    expect(page.locator(".main-nav")).to_be_hidden()
    expect(page.locator("#result-score")).to_be_visible()
    expect(page.locator("#elements")).to_be_visible()
    assert page.pdf(format="A4")[:4] == b"%PDF"
    assert outside_requests == []


def test_operator_hides_a_suggestion_on_a_phone_without_javascript(
    open_context, sign_in, operator_a, service_a, submit, outside_requests
):
    abusive = submit(service_a, suggestion="Kata-kata kasar sekali")
    submit(service_a, suggestion="Petugasnya ramah")
    page = sign_in(open_context("phone", java_script_enabled=False).new_page(), "operator.a")

    page.goto("/kelola/hasil/opd/OPD-A/saran/")
    row = page.locator(f"#suggestion-{abusive.pk}")
    expect(row).to_contain_text("Kata-kata kasar sekali")
    with page.expect_navigation():
        row.get_by_role("button").click()

    assert Response.objects.get(pk=abusive.pk).suggestion_hidden
    expect(page.locator(".messages .msg-success")).to_be_visible()
    row = page.locator(f"#suggestion-{abusive.pk}")
    expect(row.locator("details")).to_have_count(1)
    expect(row.locator(".suggestion-text")).to_be_hidden()  # collapsed until asked for
    expect(page.locator("tbody")).to_contain_text("Petugasnya ramah")
    assert outside_requests == []
