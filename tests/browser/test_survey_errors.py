"""A keyboard and screen-reader user sends an incomplete survey: the title says "Kesalahan:",
focus lands on the error summary, and each link of it brings its question into view with the
focus on its first answer. A citizen without a mouse completes the whole survey with the keyboard
alone: Tab and Shift+Tab, Space and the arrow keys, typing, and Enter to send."""

from playwright.sync_api import expect

from surveys.models import Response


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
        return r.top >= -1 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_keyboard_user_hears_the_errors_and_reaches_each_question(open_context, service_a, questionnaire):
    page = open_context("phone").new_page()
    codes = [element.code for element in questionnaire.elements.all()]
    page.goto("/survei/layanan/A-KTP/")
    page.locator("#age").fill("34")
    page.locator("#education").select_option("sma")
    page.locator("#occupation").select_option("wirausaha")
    for code in codes:
        if code != "sarana":
            page.locator(f"label[for=q_{code}_3]").tap()
    with page.expect_navigation():
        page.locator("form.survey button[type=submit]").tap()

    assert page.title().startswith("Kesalahan:")
    summary = page.locator(".survey-errors")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    expect(summary.locator("a").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#gender_0")).to_be_focused()
    assert in_view(page, "fieldset:has(#gender_0) legend")

    summary.locator("a[href='#q_sarana_0']").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#q_sarana_0")).to_be_focused()
    assert in_view(page, "fieldset:has(#q_sarana_0) legend")
    assert not Response.objects.exists()


def tab_until(page, selector: str, limit: int = 40) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would (failing if it never
    gets there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} never took the focus after {limit} Tab presses")


def choose_by_keyboard(page, code: str, value: int) -> None:
    """On the focused first answer of a question: Space picks answer 1, each right arrow the
    next one."""
    expect(page.locator(f"#{code}_0")).to_be_focused()
    page.keyboard.press("Space")
    for _ in range(value - 1):
        page.keyboard.press("ArrowRight")
    expect(page.locator(f"#{code}_{value - 1}")).to_be_checked()


def select_by_keyboard(page, field: str, value: str) -> None:
    """On the focused closed drop-down: arrow down until ``value`` is chosen."""
    expect(page.locator(f"#{field}")).to_be_focused()
    values = page.locator(f"#{field} option").evaluate_all("(options) => options.map((o) => o.value)")
    for _ in range(values.index(value) - values.index(page.locator(f"#{field}").input_value())):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{field}")).to_have_value(value)


def test_keyboard_only_citizen_corrects_a_missed_question_and_sends_the_survey(open_context, service_a, questionnaire):
    page = open_context("desktop").new_page()
    codes = [element.code for element in questionnaire.elements.all()]
    answers = {code: 4 if position % 2 else 3 for position, code in enumerate(codes)}
    page.goto("/survei/layanan/A-KTP/")

    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")  # skip the header, straight to the page's content
    assert page.url.endswith("#main")  # the answers must not come back to #main, off the summary
    tab_until(page, "#gender_0")
    page.keyboard.press("Space")  # Laki-laki, then corrected below
    page.keyboard.press("Tab")
    expect(page.locator("#age")).to_be_focused()
    page.keyboard.type("34")
    page.keyboard.press("Shift+Tab")  # back to the chosen gender, to correct it
    expect(page.locator("#gender_0")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#gender_1")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#age")).to_have_value("34")
    page.keyboard.press("Tab")
    select_by_keyboard(page, "education", "sma")
    page.keyboard.press("Tab")
    select_by_keyboard(page, "occupation", "wirausaha")
    for code in codes:
        page.keyboard.press("Tab")
        if code == "sarana":  # passed over without an answer
            expect(page.locator("#q_sarana_0")).to_be_focused()
        else:
            choose_by_keyboard(page, f"q_{code}", answers[code])
    page.keyboard.press("Tab")
    expect(page.locator("#suggestion")).to_be_focused()
    page.keyboard.type("Antrean perlu nomor urut.")
    tab_until(page, "form.survey button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.title().startswith("Kesalahan:")
    summary = page.locator(".survey-errors")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_count(1)  # only the missed question
    page.keyboard.press("Tab")
    expect(summary.locator("a[href='#q_sarana_0']")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#q_sarana_0")).to_be_focused()
    assert in_view(page, "fieldset:has(#q_sarana_0) legend")
    expect(page.locator("#gender_1")).to_be_checked()  # nothing typed before is lost
    expect(page.locator(f"#q_persyaratan_{answers['persyaratan'] - 1}")).to_be_checked()
    choose_by_keyboard(page, "q_sarana", answers["sarana"])
    tab_until(page, "form.survey button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/survei/terima-kasih/" in page.url
    assert not page.title().startswith("Kesalahan:")
    stored = Response.objects.get()
    assert stored.answers == answers
    assert (stored.gender, stored.age, stored.education, stored.occupation) == ("P", 34, "sma", "wirausaha")
    assert stored.suggestion == "Antrean perlu nomor urut."
