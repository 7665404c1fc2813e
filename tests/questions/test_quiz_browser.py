"""A person takes a quiz in Chromium: by keyboard alone with JavaScript, and with
JavaScript switched off, to the results page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.questions.quiz_flow import confirm_without_javascript
from tests.servers import manage

SETS = Path(__file__).parent / "fixtures" / "sets"
SIZE = 5


@pytest.fixture
def quiz_url(site_server, site_server_env) -> str:
    manage(site_server_env, "import_questions", str(SETS / "sync-basics.md"))
    return site_server.url("/quiz/sync-basics/")


def start_by_keyboard(page) -> None:
    """Tab to the Start button as a keyboard user would, then press Enter."""
    start = page.get_by_role("button", name="Start the quiz")
    for _ in range(30):
        page.keyboard.press("Tab")
        if start.evaluate("button => button === document.activeElement"):
            break
    expect(start).to_be_focused()
    page.keyboard.press("Enter")


def test_a_quiz_by_keyboard_only_reaches_the_results(page, quiz_url, console_errors):
    page.goto(quiz_url)
    start_by_keyboard(page)
    for n in range(1, SIZE + 1):
        expect(page.locator(".quiz-progress")).to_contain_text(f"Question {n} of {SIZE}")
        legend = page.locator("[data-legend]")
        expect(legend).to_be_focused()
        if n == 1:
            page.keyboard.press("?")
            expect(page.get_by_role("dialog")).to_be_visible()
            page.keyboard.press("Escape")
            expect(page.get_by_role("dialog")).to_be_hidden()
        card = page.locator("#quiz-card")
        if card.locator("input[type=text]").count():
            page.keyboard.press("Tab")
            expect(card.locator("input[type=text]")).to_be_focused()
            page.keyboard.type("Sync_To_Async ")
        elif card.locator("input[name=choice]").count():
            page.keyboard.press("1")
            expect(card.locator("input[name=choice]").first).to_be_checked()
        # An ordering question is submitted with the order as shown.
        page.keyboard.press("Enter")
        verdict = page.locator("[data-feedback-heading]")
        expect(verdict).to_be_focused()
        assert verdict.inner_text().strip() in {"✓ Right", "✗ Not quite"}
        # The reveal: the right answer (marked or listed) is shown now, and only now.
        expect(card.locator(".feedback")).to_contain_text(
            re.compile("Correct answer|Accepted|The right order")
        )
        page.keyboard.press("n")
        if n == 1:
            # Back from question 2 shows question 1 as answered, from the server: no
            # form to answer it again.
            expect(page.locator(".quiz-progress")).to_contain_text(f"Question 2 of {SIZE}")
            page.go_back()
            expect(page.locator(".quiz-progress")).to_contain_text(f"Question 1 of {SIZE}")
            expect(page.locator("[data-feedback-heading]")).to_be_visible()
            expect(page.locator("[data-quiz-form]")).to_have_count(0)
            page.keyboard.press("n")
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.locator("[data-score]")).to_contain_text(f"/ {SIZE}")
    # The short answer, typed in another case and with a trailing space, counts as right.
    expect(page.locator(".quiz-review-item.is-correct", has_text="Name the adapter")).to_have_count(
        1
    )
    assert console_errors == []


def test_a_quiz_without_javascript_reaches_the_results(browser_context_factory, quiz_url):
    page = browser_context_factory(java_script_enabled=False).new_page()
    page.goto(quiz_url)
    page.get_by_label("Exam: feedback at the end").check()
    page.get_by_role("button", name="Start the quiz").click()
    confirm_without_javascript(page)
    for n in range(1, SIZE + 1):
        expect(page.locator(".quiz-progress")).to_contain_text(f"Question {n} of {SIZE}")
        card = page.locator("#quiz-card")
        if card.locator("input[type=text]").count():
            card.locator("input[type=text]").fill("async_to_sync")
        elif card.locator("input[name=choice]").count():
            card.locator("input[name=choice]").last.check()
        asked = page.url
        page.get_by_role("button", name="Submit answer").click()
        # Exam mode: the answer is recorded and the next question (or the review) is on
        # screen; reloading after the post neither re-posts nor records twice. (Reloading
        # before that navigation lands would race it.)
        page.wait_for_url(lambda url, asked=asked: url != asked)
        page.reload()
    expect(page.get_by_role("heading", name="Review before finishing")).to_be_visible()
    expect(page.locator("[data-answered]")).to_have_text(f"{SIZE} / {SIZE}")
    page.get_by_role("button", name="Finish and see results").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.locator(".quiz-review-item")).to_have_count(SIZE)
    page.locator(".quiz-review-item", has_text="Name the adapter").locator("summary").click()
    expect(page.get_by_text("Accepted:")).to_be_visible()
