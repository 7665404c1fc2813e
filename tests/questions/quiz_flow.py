"""Steps of a quiz in the browser, shared by the learner's browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.servers import manage

SETS = Path(__file__).parent / "fixtures" / "sets"
SIZE = 5  # questions in sync-basics.md


def import_basics(env: dict) -> None:
    manage(env, "import_questions", str(SETS / "sync-basics.md"))


def start(page, server, *, mode: str = "practice") -> None:
    page.goto(server.url("/quiz/sync-basics/"))
    if mode == "exam":
        page.get_by_label("Exam: feedback at the end").check()
    page.get_by_role("button", name="Start the quiz").click()
    confirm_without_javascript(page)
    expect(page.locator("#quiz-card")).to_be_visible()


def confirm_without_javascript(page) -> None:
    """The set's page is shared (cached) and holds no CSRF token: without JavaScript the
    first POST is confirmed once (quizsite.views.csrf_failure); with JavaScript the quiz
    opens at once. Wait for one or the other: the POST's page may not have landed yet."""
    confirm = page.get_by_role("heading", name="One more click")
    expect(confirm.or_(page.locator("#quiz-card"))).to_be_visible()
    if confirm.is_visible():
        page.get_by_role("button", name="Continue").click()


def answer_shown(page, *, right_first: bool = False) -> None:
    """Answer the question on screen: the first option (or type a wrong answer)."""
    card = page.locator("#quiz-card")
    if card.locator("input[type=text]").count():
        card.locator("input[type=text]").fill("sync_to_async" if right_first else "no idea")
    elif card.locator("input[name=choice]").count():
        card.locator("input[name=choice]").first.check()
    card.get_by_role("button", name="Submit answer").click()


def practice_to_results(page, server) -> None:
    """A practice run, answered with the first option each time, to the results page."""
    start(page, server)
    for n in range(1, SIZE + 1):
        expect(page.locator(".quiz-progress")).to_contain_text(f"Question {n} of {SIZE}")
        answer_shown(page, right_first=n % 2 == 0)
        expect(page.locator("[data-feedback-heading]")).to_be_visible()
        if n < SIZE:
            page.get_by_role("link", name="Next question").click()
        else:
            page.get_by_role("button", name="See results").click()
    expect(page.get_by_role("heading", name="Your results", level=1)).to_be_visible()
