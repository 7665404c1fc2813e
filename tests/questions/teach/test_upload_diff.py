"""The upload preview shows what learners read after answering (feedback, explanation),
and a re-upload shows, per changed question, the lines that change."""

import re

import pytest

from tests.questions.teach.test_upload import preview

pytestmark = pytest.mark.django_db

FILE = """---
slug: diffed
title: Diffed set
tags: [asyncio]
---

## What does await do? {#await}

kind: single

- [x] Suspends the coroutine
  > Right: the loop runs something else meanwhile.
- [ ] Starts a thread
  > No thread is involved.

### Explanation

await hands control back to the event loop.

## Which call? {#call}

kind: short

- [x] sync_to_async
  > Yes, it runs the function in a thread.
- [ ] async_to_sync
  > The other way round.
"""


def test_the_preview_shows_each_options_feedback_and_the_explanation(instructor_client):
    _, html = preview(instructor_client, FILE)
    assert "Right: the loop runs something else meanwhile." in html
    assert "No thread is involved." in html
    assert "Feedback on B: " in html
    assert '<div class="teach-explanation"><h4>Explanation</h4>' in html
    assert "await hands control back to the event loop." in html
    # Short answers: the anticipated wrong answer's feedback, named by its text.
    assert "Anticipated “async_to_sync”:" in html and "The other way round." in html


def test_a_re_upload_shows_a_line_diff_per_changed_question_and_the_changed_fields(
    instructor_client,
):
    url, _ = preview(instructor_client, FILE)
    instructor_client.post(url + "confirm/")
    edited = (
        FILE.replace("title: Diffed set", "title: Diffed set <b>2</b>")
        .replace("tags: [asyncio]", "tags: [asyncio, loop]")
        .replace("- [ ] Starts a thread", "- [ ] Starts a <script>thread</script>")
    )
    _, html = preview(instructor_client, edited)
    fields = html[html.index('class="teach-field-changes"') :]
    assert (
        "<strong>title</strong>: <del>Diffed set</del> → <ins>Diffed set &lt;b&gt;2&lt;/b&gt;</ins>"
        in fields
    )
    assert "<strong>tags</strong>" in fields and "<strong>difficulty</strong>" not in fields
    block = re.search(r'<details class="teach-qdiff" id="diff-await".*?</details>', html, re.S)
    assert block, "no diff for the changed question"
    lines = re.findall(r'<li class="diff-(\w+)">(.*?)</li>', block.group(0))
    removed = [text for kind, text in lines if kind == "del"]
    added = [text for kind, text in lines if kind == "add"]
    assert any(text.endswith("- [ ] Starts a thread") for text in removed)
    # The file's text is shown, escaped: never markup.
    assert any(
        text.endswith("- [ ] Starts a &lt;script&gt;thread&lt;/script&gt;") for text in added
    )
    assert "<script>thread" not in html
    assert 'id="diff-call"' not in html  # unchanged questions have no diff
