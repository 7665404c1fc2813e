"""A whole live session in real browsers against a real uvicorn: the host, a learner
on WebSockets, and a learner with JavaScript off on plain forms and page refreshes,
from joining to the final ranking."""

from playwright.sync_api import expect

from tests.questions.teach.conftest import log_in, make_instructor_on_server
from tests.servers import manage

SET = """---
slug: browser-live
title: Live in a browser
---

## Which server runs ASGI apps? {#server}

kind: single

- [x] uvicorn
  > It speaks ASGI.
- [ ] gunicorn's sync worker
  > A WSGI worker: one request at a time.

## Does time.sleep block the event loop? {#sleep}

kind: true_false

- [x] True
- [ ] False
"""


def open_phone(context, url: str, errors: list):
    phone = context.new_page()
    phone.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    phone.goto(url)
    return phone


def test_a_live_session_with_a_socket_learner_and_a_no_javascript_learner(
    page, browser_context_factory, site_server, site_server_env, tmp_path, console_errors
):
    path = tmp_path / "browser-live.md"
    path.write_text(SET)
    manage(site_server_env, "import_questions", str(path))
    make_instructor_on_server(site_server_env, "livehost")
    log_in(page, site_server, "livehost", "/teach/sets/browser-live/")
    page.get_by_role("button", name="Run live").click()
    code = page.locator("[data-join-code]").inner_text()
    join_url = page.locator("[data-join-url]").get_attribute("href")
    assert join_url == site_server.url(f"/live/{code}/")
    expect(page.locator("svg.live-qr")).to_be_visible()

    phone_errors: list[str] = []
    phone_context = browser_context_factory()
    phone = open_phone(phone_context, join_url, phone_errors)
    phone.get_by_label("Your name").fill("Ada Async")
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("#live-stage")).to_contain_text("You are in")

    # JavaScript on, but the WebSocket never gets through (a proxy that drops it):
    # live.js falls back to htmx polling.
    polled_context = browser_context_factory()
    polled_context.route_web_socket("**/live/ws/**", lambda ws: ws.close())
    polled = open_phone(polled_context, join_url, phone_errors)
    polled.get_by_label("Your name").fill("Pat Polling")
    polled.get_by_role("button", name="Join").click()
    expect(polled.locator("[data-live-mode]")).to_have_text("(polling)")

    plain = browser_context_factory(java_script_enabled=False).new_page()
    plain.goto(join_url)
    plain.get_by_label("Your name").fill("Ned Noscript")
    plain.get_by_role("button", name="Join").click()
    expect(plain.locator("#live-stage")).to_contain_text("You are in")

    # The lobby fills by itself (WebSocket), no reload.
    lobby = page.locator("[data-live-lobby]")
    expect(lobby).to_contain_text("Ada Async")
    expect(lobby).to_contain_text("Ned Noscript")
    expect(lobby).to_contain_text("Pat Polling")

    page.get_by_role("button", name="Start the first question").click()
    # Pushed: the phone shows the question without a reload, over its socket.
    expect(phone.locator("#live-stage")).to_contain_text("Which server runs ASGI apps?")
    expect(phone.locator("[data-live-mode]")).to_have_text("")
    expect(polled.locator("#live-stage")).to_contain_text("Which server runs ASGI apps?")
    polled.locator("#live-stage").get_by_role("button", name="uvicorn").click()
    expect(polled.locator("[data-live-recorded]")).to_be_visible()
    # Killed and reopened mid-question: the same question, still open.
    phone.close()
    phone = open_phone(phone_context, join_url, phone_errors)
    expect(phone.locator("#live-stage")).to_contain_text("Which server runs ASGI apps?")
    phone.locator("#live-stage").get_by_role("button", name="uvicorn").click()
    # Reopened, its socket may still be connecting: the answer then goes by htmx POST,
    # which on a busy 2-core machine once took longer than the default 5 s wait.
    expect(phone.locator("[data-live-recorded]")).to_be_visible(timeout=15_000)

    # Without JavaScript: the waiting page refreshes itself until the question is there.
    expect(plain.locator("#live-stage")).to_contain_text("Which server", timeout=15_000)
    plain.locator("#live-stage").get_by_role("button", name="gunicorn").click()
    expect(plain.locator("[data-live-recorded]")).to_be_visible()
    expect(page.locator("[data-live-answered]")).to_have_text("3")

    page.get_by_role("button", name="Reveal the answer").click()
    expect(phone.locator("[data-live-verdict]")).to_contain_text("Right")
    expect(phone.locator("#live-stage")).to_contain_text("It speaks ASGI.")
    expect(plain.locator("[data-live-verdict]")).to_contain_text("Not quite", timeout=15_000)
    expect(plain.locator("#live-stage")).to_contain_text("one request at a time")
    expect(polled.locator("[data-live-verdict]")).to_contain_text("Right")

    page.get_by_role("button", name="Show the ranking").click()
    # Ada and Pat are both right: which of them answered faster is only the tie-break.
    expect(phone.locator("[data-live-mine]")).to_contain_text("with 1 right")
    expect(plain.locator("[data-live-mine]")).to_contain_text("3rd", timeout=15_000)

    page.get_by_role("button", name="Next question").click()
    expect(phone.locator("#live-stage")).to_contain_text("Does time.sleep block")
    phone.locator("#live-stage").focus()
    phone.keyboard.press("a")  # True is first: true/false is never shuffled
    expect(phone.locator("[data-live-recorded]")).to_be_visible()
    expect(plain.locator("#live-stage")).to_contain_text("Does time.sleep", timeout=15_000)
    plain.locator("#live-stage").get_by_role("button", name="False").click()
    expect(plain.locator("[data-live-recorded]")).to_be_visible()

    page.get_by_role("button", name="Reveal the answer").click()
    page.get_by_role("button", name="End the session").click()
    ranking = page.locator("[data-live-ranking]")
    expect(ranking.locator("li").nth(0)).to_contain_text("Ada Async")
    expect(ranking.locator("li").nth(0)).to_contain_text("2 right")
    expect(ranking.locator("li").nth(2)).to_contain_text("Ned Noscript")
    expect(phone.locator("[data-live-mine]")).to_contain_text("1st")
    expect(polled.locator("[data-live-mine]")).to_contain_text("2nd")  # 1 right
    expect(plain.locator("[data-live-mine]")).to_contain_text("3rd", timeout=15_000)  # none

    # Afterwards the session is an assignment: its results page lists both learners.
    page.get_by_role("link", name="Results").click()
    for name in ("Ada Async", "Pat Polling", "Ned Noscript"):
        expect(page.locator("#results table").get_by_role("row", name=name)).to_contain_text(
            "Finished"
        )
    assert console_errors == [] and phone_errors == []
