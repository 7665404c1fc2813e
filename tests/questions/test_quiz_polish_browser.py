"""The quiz flow's rough edges from issue 12, each checked as a person meets it in
Chromium: with JavaScript off, by mouse, by keyboard, logged in."""

import re

import pytest
from playwright.sync_api import expect

from tests.questions.quiz_flow import SIZE, answer_shown, import_basics, practice_to_results, start
from tests.questions.teach.conftest import PASSWORD, make_instructor_on_server


@pytest.fixture
def basics(site_server, site_server_env):
    import_basics(site_server_env)
    return site_server


def test_without_javascript_the_key_controls_are_hidden(browser_context_factory, basics):
    page = browser_context_factory(java_script_enabled=False).new_page()
    start(page, basics)
    expect(page.locator("[data-keys-toggle]")).to_be_hidden()
    expect(page.locator(".js-only")).to_be_hidden()
    answer_shown(page)
    expect(page.locator("[data-feedback-heading]")).to_be_visible()
    expect(page.get_by_text("or press")).to_be_hidden()


def test_with_javascript_the_key_controls_show(page, basics):
    start(page, basics)
    expect(page.locator("[data-keys-toggle]")).to_be_visible()
    expect(page.locator(".js-only").first).to_be_visible()


def test_enter_submits_an_ordering_question_from_its_select(page, basics):
    start(page, basics)
    for n in range(1, SIZE):
        expect(page.locator(".quiz-progress")).to_contain_text(f"Question {n} of")
        if page.locator("#quiz-card select").count():
            break
        answer_shown(page)
        page.get_by_role("link", name="Next question").click()
    select = page.locator("#quiz-card select").first
    select.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-feedback-heading]")).to_be_visible()


def test_the_heading_focus_ring_shows_for_keyboard_users_only(page, basics):
    start(page, basics)  # by mouse
    legend = page.locator("[data-legend]")
    expect(legend).to_be_focused()
    assert legend.evaluate("el => getComputedStyle(el).outlineStyle") == "none"
    answer_shown(page)  # a mouse click on Submit
    verdict = page.locator("[data-feedback-heading]")
    expect(verdict).to_be_focused()
    assert verdict.evaluate("el => getComputedStyle(el).outlineStyle") == "none"
    page.keyboard.press("n")  # the keyboard now
    expect(page.locator("[data-legend]")).to_be_focused()
    assert (
        page.locator("[data-legend]").evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    )


def test_logging_in_mid_quiz_returns_to_the_question(page, basics, site_server_env):
    make_instructor_on_server(site_server_env, "midquiz")
    start(page, basics)
    question_url = page.url
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("midquiz")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(question_url)
    expect(page.locator("#quiz-card")).to_be_visible()
    # Logged in, every header link sits on one line (bug 8: 9 px higher before).
    middles = [
        page.get_by_role("link", name=name, exact=True).evaluate(
            "el => { const r = el.getBoundingClientRect(); return r.top + r.height / 2 }"
        )
        for name in ("Learn", "Teaching", "My progress")
    ]
    assert max(middles) - min(middles) <= 1, middles


def test_a_login_link_never_carries_a_foreign_next(page, basics):
    page.goto(basics.url("/accounts/login/?next=https://evil.example/"))
    assert "evil" not in page.locator("input[name=next]").get_attribute("value") or ""


def test_signup_errors_are_summarised_with_links_to_the_fields(page, basics):
    page.goto(basics.url("/accounts/signup/"))
    page.get_by_label("Username").fill("someone")
    page.get_by_label("Password", exact=True).fill("a-long-password-1")
    page.get_by_label("Password confirmation").fill("a-different-one-2")
    page.get_by_role("button", name="Create the account").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link").first
    link.click()
    assert link.get_attribute("href") == "#id_password2"
    expect(page.locator("#id_password2")).to_be_in_viewport()


def exam_without_js(browser_context_factory, server):
    page = browser_context_factory(java_script_enabled=False).new_page()
    start(page, server, mode="exam")
    return page


def test_an_exam_takes_one_action_per_question_and_reviews_before_finishing(
    browser_context_factory, basics
):
    page = exam_without_js(browser_context_factory, basics)
    expect(page.locator(".quiz-progress")).to_contain_text(f"Question 1 of {SIZE}")
    answer_shown(page)
    # The answer is recorded and the next question is on screen: no "Next" step.
    expect(page.locator(".quiz-progress")).to_contain_text(f"Question 2 of {SIZE}")
    expect(page.locator("[data-quiz-form]")).to_be_visible()
    page.get_by_role("button", name="Flag for review and skip").click()
    expect(page.locator(".quiz-progress")).to_contain_text(f"Question 3 of {SIZE}")
    # Finish now, with 4 unanswered, asks first: the review page, not the results.
    page.get_by_role("link", name="Finish now").click()
    expect(page.get_by_role("heading", name="Review before finishing")).to_be_visible()
    expect(page.locator("[data-answered]")).to_have_text(f"1 / {SIZE}")
    expect(page.locator("[data-unanswered]")).to_have_text(str(SIZE - 1))
    expect(page.locator("[data-flagged]")).to_have_text("1")
    # The flagged question can still be answered, and then it is no longer flagged.
    page.locator("h2:has-text('Flagged') + ul").get_by_role("link", name="Question 2").click()
    expect(page.locator(".quiz-progress")).to_contain_text(f"Question 2 of {SIZE}")
    answer_shown(page)
    # Recorded: the next unanswered question is on screen. (Clicking "Finish now" before
    # then would leave the answer's POST behind, on a busy machine: that page's link.)
    expect(page.locator(".quiz-progress")).to_contain_text(f"Question 3 of {SIZE}")
    page.get_by_role("link", name="Finish now").click()
    expect(page.locator("[data-flagged]")).to_have_text("0")
    page.get_by_role("button", name=f"Finish with {SIZE - 2} unanswered").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.locator("[data-score]")).to_contain_text(f"/ {SIZE}")


def test_finish_now_asks_in_a_dialog_with_javascript(page, basics):
    start(page, basics, mode="exam")
    page.get_by_role("link", name="Finish now").click()
    dialog = page.get_by_role("dialog", name="Finish the exam?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"{SIZE} of {SIZE} questions are unanswered")
    dialog.get_by_role("button", name="Keep going").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", name="Your results")).to_have_count(0)
    page.get_by_role("link", name="Finish now").click()
    dialog.get_by_role("button", name="Finish now").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()


def test_the_results_are_folded_missed_first_with_a_jump_list_and_a_filter(page, basics):
    practice_to_results(page, basics)
    items = page.locator(".quiz-review-item")
    expect(items).to_have_count(SIZE)
    expect(page.locator(".quiz-review details[open]")).to_have_count(0)
    classes = items.evaluate_all("els => els.map(el => el.classList.contains('is-correct'))")
    assert classes == sorted(classes), "missed questions come first"
    missed = classes.count(False)
    page.locator(".quiz-jump a").first.click()
    assert page.url.endswith("#" + items.first.get_attribute("id"))
    items.first.locator("summary").click()
    expect(items.first.get_by_role("link", name="Report a problem")).to_be_visible()
    page.locator(".quiz-filter").get_by_role("link", name=re.compile("^Missed")).click()  # htmx
    expect(page).to_have_url(re.compile(r"\?show=missed$"))
    expect(page.locator(".quiz-review-item")).to_have_count(missed)
    expect(page.locator(".quiz-review-item.is-correct")).to_have_count(0)


def test_the_results_filter_works_without_javascript(browser_context_factory, basics):
    page = browser_context_factory(java_script_enabled=False).new_page()
    practice_to_results(page, basics)
    page.locator(".quiz-filter").get_by_role("link", name=re.compile("^Right")).click()
    expect(page).to_have_url(re.compile(r"\?show=right$"))
    expect(page.locator(".quiz-review-item.is-incorrect")).to_have_count(0)


def test_a_retry_is_labelled_as_one(page, basics):
    practice_to_results(page, basics)
    missed = page.locator(".quiz-review-item.is-incorrect").count()
    assert missed
    page.get_by_role("button", name=f"Retry the {missed} I missed").click()
    label = f"Retry: {missed} missed from Sync vs async"
    expect(page.locator("h1.quiz-crumb")).to_contain_text(label)
    assert label in page.title()
