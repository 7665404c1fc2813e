"""A person answers a numerical, a matching, an essay and a missing-word question in
Chromium, with JavaScript (htmx) and without it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.questions.quiz_flow import confirm_without_javascript
from tests.servers import manage

NEW_KINDS = Path(__file__).parent / "fixtures" / "sets" / "new-kinds.gift"
MATCHES = {"uvicorn": "ASGI", "gunicorn": "WSGI"}


@pytest.fixture
def kinds_url(site_server, site_server_env) -> str:
    manage(site_server_env, "import_questions", str(NEW_KINDS))
    return site_server.url("/quiz/new-kinds/")


def answer(page, card) -> str:
    """Answer whatever kind the card asks, rightly; return which kind it was."""
    if card.locator("textarea").count():
        card.locator("textarea").fill("The loop has one thread, so a blocking call stops it.")
        kind = "essay"
    elif card.locator("select").count():
        for item, match in MATCHES.items():
            card.get_by_label(item).select_option(label=match)
        kind = "matching"
    elif card.locator("input[inputmode=decimal]").count():
        card.locator("input[inputmode=decimal]").fill("4")
        kind = "numerical"
    else:
        assert card.locator(".quiz-prompt").inner_text().count("_____") == 1
        card.get_by_label("blocks").check()
        kind = "missing word"
    page.get_by_role("button", name="Submit answer").click()
    return kind


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_new_kinds_in_the_browser(browser_context_factory, kinds_url, javascript):
    page = browser_context_factory(java_script_enabled=javascript).new_page()
    page.goto(kinds_url)
    page.get_by_role("button", name="Start the quiz").click()
    confirm_without_javascript(page)
    seen = []
    for n in range(1, 5):
        expect(page.locator(".quiz-progress")).to_contain_text(f"Question {n} of 4")
        card = page.locator("#quiz-card")
        # Before answering, the page holds no key: no model answer, no right match.
        assert "One thread runs the event loop" not in page.content()
        seen.append(answer(page, card))
        verdict = page.locator("[data-feedback-heading]")
        if seen[-1] == "essay":
            expect(verdict).to_contain_text("Compare with the model answer")
            expect(card).to_contain_text("One thread runs the event loop")
            page.get_by_role("button", name="I got it").click()
            expect(card).to_contain_text("You rated your answer: right")
        else:
            expect(verdict).to_contain_text("Right")
        if n < 4:
            page.get_by_role("link", name="Next question").click()
        else:
            page.get_by_role("button", name="See results").click()
    assert sorted(seen) == ["essay", "matching", "missing word", "numerical"]
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    # Three graded questions, all right; the essay is self-rated, outside the score.
    expect(page.locator("[data-score]")).to_contain_text("3 / 3 (100%)")
