"""The instructor's pages on a 390 px phone: nothing wider than the screen, the re-upload
diff included. Screenshots go to $TEACH_SHOTS (a directory) when it is set."""

import os

from playwright.sync_api import expect

from tests.questions.teach.conftest import log_in, make_instructor_on_server
from tests.questions.teach.test_upload_diff import FILE

EDITED = FILE.replace("title: Diffed set", "title: Diffed set, second edition").replace(
    "- [ ] Starts a thread",
    "- [ ] Starts a thread, which Django's sync_to_async(thread_sensitive=True) would reuse",
)


def upload(page, text: str) -> None:
    page.get_by_label("Question-set file").set_input_files(
        {"name": "diffed-phone.md", "mimeType": "text/markdown", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview of diffed-phone.md")).to_be_visible()


def fits(page, name: str) -> None:
    page.wait_for_load_state()
    if shots := os.environ.get("TEACH_SHOTS"):
        page.screenshot(path=f"{shots}/teach-phone-{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (name, width)


def test_teach_pages_and_the_re_upload_diff_fit_a_phone(
    browser_context_factory, site_server, site_server_env
):
    make_instructor_on_server(site_server_env, "phoneteacher")
    page = browser_context_factory(
        viewport={"width": 390, "height": 800}, timezone_id="Europe/Paris"
    ).new_page()
    log_in(page, site_server, "phoneteacher")
    fits(page, "dashboard")
    text = FILE.replace("slug: diffed", "slug: diffed-phone")
    page.goto(site_server.url("/teach/upload/"))
    upload(page, text)
    fits(page, "upload-preview")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diffed set")
    fits(page, "set")
    page.goto(site_server.url("/teach/upload/"))
    upload(page, EDITED.replace("slug: diffed", "slug: diffed-phone"))
    diff = page.locator("#diff-await")
    expect(diff).to_be_visible()
    expect(diff.locator("li.diff-add")).to_contain_text("thread_sensitive=True")
    fits(page, "re-upload-diff")
    page.goto(site_server.url("/teach/sets/diffed-phone/analysis/"))
    fits(page, "analysis")

    page.goto(site_server.url("/teach/sets/diffed-phone/assign/"))
    page.get_by_label("Exam", exact=True).check()
    page.get_by_label("Closes at (UTC)").fill("2030-01-02T10:00")
    page.get_by_role("button", name="Create the assignment").click()
    # The UTC time stays; the viewer's own time is added beside it by local-time.js.
    closes = page.locator("time[datetime^='2030-01-02T10:00']")
    expect(closes).to_have_text("2030-01-02 10:00 UTC")
    expect(page.locator(".local-time")).to_contain_text("11:00")  # Paris, in winter
    fits(page, "assignment")
