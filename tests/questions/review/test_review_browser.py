"""A person reviews their due cards in Chromium: by keyboard with JavaScript (Enter, then
1-3 for how sure), and with JavaScript off (the confidence buttons). Nothing is revealed
before the answer. Screenshots go to REVIEW_SHOTS when it is set."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.servers import manage

SETS = Path(__file__).parents[1] / "fixtures" / "sets"
SIZE = 5
SHOTS = os.environ.get("REVIEW_SHOTS", "")
# The cards of the learner who finished the latest attempt become due now (a browser test
# cannot wait a day; browser tests run one at a time, so the latest attempt is this test's).
MAKE_DUE = (
    "from datetime import timedelta; from django.utils import timezone; "
    "from questions.models import Attempt; from questions.review.models import ReviewCard; "
    "token = Attempt.objects.latest('pk').owner_token; assert token; "
    "ReviewCard.objects.filter(owner_token=token).update(due=timezone.now() - timedelta(days=1))"
)


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def take_quiz(page, site_server) -> None:
    """The whole set, without JavaScript needed: the last option every time."""
    page.goto(site_server.url("/quiz/sync-basics/"))
    page.get_by_role("button", name="Start the quiz").click()
    # Without JavaScript the cached set page has no CSRF token: the site asks once more.
    if page.get_by_role("heading", name="One more click").count():
        page.get_by_role("button", name="Continue").click()
    for n in range(1, SIZE + 1):
        card = page.locator("#quiz-card")
        expect(page.locator(".quiz-progress")).to_contain_text(f"Question {n} of {SIZE}")
        if card.locator("input[type=text]").count():
            card.locator("input[type=text]").fill("async_to_sync")
        elif card.locator("input[name=choice]").count():
            card.locator("input[name=choice]").last.check()
        page.get_by_role("button", name="Submit answer").click()
        if n < SIZE:
            page.get_by_role("link", name="Next question").click()
        else:
            page.get_by_role("button", name="See results").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()


def make_due(site_server_env) -> None:
    manage(site_server_env, "shell", "-c", MAKE_DUE)


@pytest.fixture
def quiz_imported(site_server, site_server_env):
    manage(site_server_env, "import_questions", str(SETS / "sync-basics.md"))
    return site_server


@pytest.mark.parametrize("javascript", [True, False], ids=["keyboard", "no-javascript"])
def test_a_review_session_by_keyboard_and_without_javascript(
    browser_context_factory, quiz_imported, site_server_env, javascript
):
    context = browser_context_factory(java_script_enabled=javascript)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    take_quiz(page, quiz_imported)
    make_due(site_server_env)
    page.goto(quiz_imported.url("/review/"))
    expect(page.get_by_role("link", name=re.compile(r"Review \(\d+ due\)"))).to_be_visible()
    if javascript:
        shot(page, "review-deck")
    page.get_by_role("button", name=re.compile(r"^Review \d+ due")).click()
    card = page.locator("#quiz-card")
    expect(page.locator(".quiz-crumb")).to_contain_text("Review deck · Review mode")
    # Before the answer: no verdict, no reveal, and the confidence is asked.
    expect(card.locator(".feedback")).to_have_count(0)
    expect(card).not_to_contain_text("Correct answer")
    expect(card.get_by_role("button", name="Submit answer")).to_have_count(0)
    if javascript:
        expect(page.locator("[data-legend]")).to_be_focused()
        if card.locator("input[type=text]").count():
            page.keyboard.press("Tab")
            page.keyboard.type("sync_to_async")
        elif card.locator("input[name=choice]").count():
            page.keyboard.press("1")
        page.keyboard.press("Enter")
        asking = card.locator("[data-confidence-required]")
        expect(asking).to_have_class(re.compile("is-asking"))
        expect(asking).to_be_focused()
        shot(page, "review-confidence")
        expect(card.locator(".feedback")).to_have_count(0)  # Enter alone answered nothing
        page.keyboard.press("3")
        expect(page.locator("[data-feedback-heading]")).to_be_focused()
        shot(page, "review-answered")
    else:
        if card.locator("input[type=text]").count():
            card.locator("input[type=text]").fill("sync_to_async")
        elif card.locator("input[name=choice]").count():
            card.locator("input[name=choice]").first.check()
        card.get_by_role("button", name="Sure", exact=True).click()
    expect(card.locator(".feedback")).to_contain_text(
        re.compile("Correct answer|Accepted|The right order")
    )
    expect(card.get_by_role("button", name=re.compile("Bookmark"))).to_be_visible()
    assert errors == []


def test_the_progress_page_shows_mastery_and_next_steps(page, quiz_imported):
    take_quiz(page, quiz_imported)
    page.goto(quiz_imported.url("/quiz/progress/"))
    expect(page.get_by_role("heading", name="Mastery by topic")).to_be_visible()
    expect(page.locator("table.mastery")).to_contain_text("Learning")
    shot(page, "progress")
    page.goto(quiz_imported.url("/review/search/?q=thread"))
    expect(page.locator("#search-results")).to_contain_text("found")
    expect(page.locator("#search-results .quiz-reveal, #search-results input")).to_have_count(0)
    shot(page, "search")
