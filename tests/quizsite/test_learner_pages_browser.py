"""Every learner page on a 390 px phone: nothing wider than the screen, and axe-core
reports no serious or critical problem (issue 12: bugs 1 and 10, the "done when")."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_checks import PHONE, axe_problems, overflow
from tests.questions.quiz_flow import answer_shown, import_basics, practice_to_results, start

EXPLAINERS = sorted(
    p.stem
    for p in (Path(__file__).parents[2] / "content" / "explainers").glob("*.md")
    if p.stem != "README"
)


@pytest.fixture
def phone(browser_context_factory):
    return browser_context_factory(viewport=PHONE, bypass_csp=True).new_page()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/learn/",
        "/quiz/",
        "/quiz/sync-vs-async/",
        "/accounts/login/",
        "/accounts/signup/",
        "/quiz/progress/",
    ]
    + [f"/learn/{slug}/" for slug in EXPLAINERS],
)
def test_a_learner_page_fits_a_phone_and_passes_axe(phone, site_server, path):
    phone.goto(site_server.url(path))
    assert overflow(phone) == 0, f"{path} is {overflow(phone)} px wider than the phone"
    assert axe_problems(phone) == []


def test_the_quiz_pages_fit_a_phone_and_pass_axe(phone, site_server, site_server_env):
    import_basics(site_server_env)
    start(phone, site_server)
    problems, wide = axe_problems(phone), {phone.url: overflow(phone)}
    answer_shown(phone)
    expect(phone.locator("[data-feedback-heading]")).to_be_visible()
    problems += axe_problems(phone)
    practice_to_results(phone, site_server)
    phone.locator(".quiz-review details").first.locator("summary").click()
    problems += axe_problems(phone)
    wide[phone.url] = overflow(phone)
    phone.goto(site_server.url("/quiz/progress/"))
    problems += axe_problems(phone)
    wide[phone.url] = overflow(phone)
    assert problems == []
    assert set(wide.values()) == {0}, wide


def test_a_wide_code_block_scrolls_with_a_cue_and_takes_the_focus(phone, site_server):
    phone.goto(site_server.url("/learn/deploying-async-django/"))
    scrollers = phone.evaluate(
        """() => [...document.querySelectorAll('.explainer-body pre, .explainer-body table')]
            .filter(el => el.scrollWidth > el.clientWidth)
            .map(el => [el.tabIndex, getComputedStyle(el).backgroundImage])"""
    )
    assert scrollers, "expected at least one block wider than a phone"
    for tab_index, background in scrollers:
        assert tab_index == 0
        assert background.count("radial-gradient") == 2  # the two edge shadows
