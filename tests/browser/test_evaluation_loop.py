"""The evaluation loop in a browser: an evaluator issues a recommendation from an agency's
results, the agency's operator acknowledges it, plans, reports completion with an evidence file
and prints it, and the evaluator verifies the follow-up."""

import datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from evaluations.models import ActionStatus, EventKind, Recommendation, RecommendationStatus
from surveys import periods

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def indonesian(message: str) -> str:
    """``message`` as the site shows it to an Indonesian browser."""
    with translation.override("id"):
        return gettext(message)


def print_url(recommendation) -> str | None:
    try:
        return reverse("evaluation_print:recommendation_pdf", args=[recommendation.pk])
    except NoReverseMatch:
        return None


def test_recommendation_goes_from_issue_to_verified_in_the_browser(
    desktop_page, open_context, sign_in, evaluator, operator_a, service_a, submit, questionnaire, outside_requests
):
    submit(service_a, answers=4)
    submit(service_a, answers={e.code: 1 if e.code == "waktu" else 4 for e in questionnaire.elements.all()})
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()

    # The evaluator issues it from agency A's results.
    page = sign_in(desktop_page, "evaluator")
    page.goto("/kelola/hasil/opd/OPD-A/")
    with page.expect_navigation():
        page.locator("#issue-recommendation").click()
    with translation.override("id"):
        expect(page.locator("#rec-period")).to_contain_text(periods.current_semester().label)
    expect(page.locator("#id_actions-0-element_code")).to_have_value("waktu")  # the weakest element first
    page.locator("#id_title").fill("Percepat perekaman KTP-el")
    page.locator("#id_findings").fill("Unsur waktu mendapat nilai terendah.")
    page.locator("#id_due_date").fill(due)
    page.locator("#id_actions-0-text").fill("Buka loket perekaman sore hari")
    with page.expect_navigation():
        page.locator("#issue-submit").click()
    expect(page.locator(".messages .msg-success")).to_be_visible()
    recommendation = Recommendation.objects.get()
    action = recommendation.actions.get()
    assert page.url.endswith(reverse("evaluations:recommendation_detail", args=[recommendation.pk]))
    assert (action.element_code, action.text) == ("waktu", "Buka loket perekaman sore hari")
    expect(page.locator("#snapshot-respondents")).to_have_text("2")

    # The operator finds it in the list and follows it up.
    operator = sign_in(open_context("desktop").new_page(), "operator.a")
    operator.goto("/kelola/rekomendasi/")
    row = operator.locator(f"#recommendation-{recommendation.pk}")
    expect(row).to_contain_text("Percepat perekaman KTP-el")
    with operator.expect_navigation():
        row.get_by_role("link").click()
    with operator.expect_navigation():
        operator.locator("#rec-acknowledge").click()
    expect(operator.locator("#rec-status")).to_have_text(indonesian("Acknowledged"))

    plan = operator.locator(f"#a{action.pk}-plan")
    plan.locator(f"#id_a{action.pk}-plan-activity").fill("Loket sore Senin sampai Jumat")
    plan.locator(f"#id_a{action.pk}-plan-responsible").fill("Kepala Bidang Pendaftaran Penduduk")
    plan.locator(f"#id_a{action.pk}-plan-target_date").fill(due)
    with operator.expect_navigation():
        plan.locator("button[type=submit]").click()
    expect(operator.locator(f"#action-{action.pk}-status")).to_have_text(indonesian("Planned"))

    complete = operator.locator(f"#a{action.pk}-complete")
    complete.locator(f"#id_a{action.pk}-complete-note").fill("Loket sore sudah berjalan sejak bulan ini.")
    complete.locator(f"#id_a{action.pk}-complete-evidence").set_input_files(
        files=[{"name": "surat-tugas.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    with operator.expect_navigation():
        complete.locator("button[type=submit]").click()
    expect(operator.locator(f"#action-{action.pk}-status")).to_have_text(indonesian("Reported complete"))
    evidence = operator.locator("#history").locator("xpath=following-sibling::div[1]").get_by_role("link")
    expect(evidence).to_have_text("surat-tugas.pdf")
    with operator.expect_download() as download:
        evidence.click()
    assert download.value.suggested_filename == "surat-tugas.pdf"

    if (url := print_url(recommendation)) is not None:
        expect(operator.locator("#rec-print")).to_have_attribute("href", url)
        printed = operator.request.get(url)
        assert printed.status == 200
        assert printed.body()[:4] == b"%PDF"

    # The evaluator verifies it.
    page.goto(reverse("evaluations:recommendation_detail", args=[recommendation.pk]))
    verify = page.locator(f"#a{action.pk}-verify")
    verify.locator(f"#id_a{action.pk}-verify-note").fill("Bukti lengkap.")
    with page.expect_navigation():
        verify.locator("button[type=submit]").click()
    expect(page.locator("#rec-status")).to_have_text(indonesian("Verified"))
    expect(page.locator(f"#action-{action.pk}-status")).to_have_text(indonesian("Verified"))
    expect(page.locator(".rec-history tbody tr")).to_have_count(5)

    recommendation.refresh_from_db()
    action.refresh_from_db()
    assert (recommendation.status, action.status) == (RecommendationStatus.VERIFIED, ActionStatus.VERIFIED)
    assert list(recommendation.events.values_list("kind", "actor__username")) == [
        (EventKind.ISSUED, "evaluator"),
        (EventKind.ACKNOWLEDGED, "operator.a"),
        (EventKind.PLANNED, "operator.a"),
        (EventKind.COMPLETED, "operator.a"),
        (EventKind.VERIFIED, "evaluator"),
    ]
    assert outside_requests == []
