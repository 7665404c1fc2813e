"""A person goes through a mock interview in Chromium, by keyboard with JavaScript and
with JavaScript off; the model answer appears only after they wrote theirs."""

import re

import pytest
from playwright.sync_api import expect

from tests.questions.review.test_review_browser import SETS, shot
from tests.servers import manage


def tab_to(page, locator, presses: int = 40) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"never reached {locator}")


def press_button(page, javascript: bool, name: str, exact: bool = True) -> None:
    button = page.get_by_role("button", name=name, exact=exact)
    if javascript:
        tab_to(page, button)
        page.keyboard.press("Enter")
    else:
        button.click()


@pytest.mark.parametrize("javascript", [True, False], ids=["keyboard", "no-javascript"])
def test_a_mock_interview_by_keyboard_and_without_javascript(
    browser_context_factory, site_server, site_server_env, javascript
):
    manage(site_server_env, "import_questions", str(SETS / "sync-basics.md"))
    page = browser_context_factory(java_script_enabled=javascript).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_server.url("/interview/"))
    press_button(page, javascript, "Start the interview")
    if page.get_by_role("heading", name="One more click").count():
        page.get_by_role("button", name="Continue").click()
    for n in (1, 2):
        expect(page.locator(".quiz-crumb")).to_contain_text(f"open question {n} of 2")
        expect(page.get_by_role("heading", name="The model answer")).to_have_count(0)
        expect(page.locator(".interview-model")).to_have_count(0)
        box = page.get_by_label("Your answer, as you would say it")
        if javascript:
            tab_to(page, box)
            page.keyboard.type("It depends on the server and the view.")
        else:
            box.fill("It depends on the server and the view.")
        press_button(page, javascript, "Show the model answer")
        expect(page.get_by_role("heading", name="The model answer")).to_be_visible()
        expect(page.locator(".interview-model")).not_to_be_empty()
        if javascript and n == 1:
            shot(page, "interview-model-answer")
        press_button(page, javascript, "I got part of it")
    expect(page.get_by_role("heading", name="Interview summary")).to_be_visible()
    press_button(page, javascript, "Start the quick-fire round", exact=False)
    expect(page.locator(".quiz-crumb")).to_contain_text("Mixed questions · Exam mode")
    expect(page.locator(".quiz-countdown")).to_be_visible()
    for n in range(1, 7):
        # Exam mode: each answer is recorded and the next question comes on screen.
        expect(page.locator(".quiz-progress")).to_contain_text(f"Question {n} of 6")
        card = page.locator("#quiz-card")
        if card.locator("input[type=text]").count():
            card.locator("input[type=text]").fill("async_to_sync")
        elif card.locator("input[name=choice]").count():
            card.locator("input[name=choice]").first.check()
        card.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_role("heading", name="Review before finishing")).to_be_visible()
    page.get_by_role("button", name="Finish and see results").click()
    page.get_by_role("link", name="Back to the interview summary").click()
    expect(page.locator("[data-quickfire-score]")).to_be_visible()
    expect(page.locator("[data-weak-topics] a").first).to_have_attribute(
        "href", re.compile(r"/learn/.+#")
    )
    if javascript:
        shot(page, "interview-summary")
    page.goto(site_server.url("/interview/cheat-sheet/"))
    expect(page.locator(".cheat-sheet section")).to_have_count(9)
    if javascript:
        shot(page, "cheat-sheet")
    assert errors == []
