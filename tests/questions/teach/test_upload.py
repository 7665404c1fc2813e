"""Upload, preview with problems beside their lines, confirm: all or nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from questions.models import Question, QuestionSet
from questions.teach.models import PendingUpload

pytestmark = pytest.mark.django_db

GOOD = """---
slug: uploaded
title: Uploaded set
---

## First question {#first}

kind: single

Which one?

- [x] This one
- [ ] That one

## Second question {#second}

kind: single

And now?

- [ ] Left
- [x] Right
"""
# Line 8 claims a kind that does not exist; the second question marks nothing correct.
BAD = GOOD.replace("kind: single\n\nWhich", "kind: singel\n\nWhich").replace(
    "- [x] Right", "- [ ] Right"
)


def upload(client, text: str, name: str = "uploaded.md", **extra):
    data = {"file": SimpleUploadedFile(name, text.encode()), **extra}
    return client.post("/teach/upload/", data)


def preview(client, text, **extra):
    response = upload(client, text, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"], client.get(response["Location"]).content.decode()


def test_problems_are_listed_as_line_message_and_marked_beside_the_source(instructor_client):
    url, html = preview(instructor_client, BAD)
    assert "unknown kind &#x27;singel&#x27;" in html
    items = re.findall(r'<a href="#line-(\d+)">(\d+): ([^<]+)</a>', html)
    assert [(a, b) for a, b, _ in items] == [(b, b) for _, b, _ in items]
    lines = {int(b) for _, b, _ in items}
    assert lines == {8, 15}
    # The source line is shown, numbered and marked, with its message beside it.
    marked = re.search(r'<li id="line-8" value="8" class="has-problem">(.*?)</li>', html, re.S)
    assert marked and "kind: singel" in marked.group(1) and "unknown kind" in marked.group(1)
    assert 'id="line-9" value="9">' in html  # unmarked lines are there too
    assert "Import" not in html.split("<h2>Upload the fixed file")[0].split("problems")[-1]
    # Nothing was written, and confirming a file with problems still writes nothing.
    token = url.rstrip("/").rsplit("/", 1)[-1]
    instructor_client.post(f"/teach/upload/{token}/confirm/")
    assert not QuestionSet.objects.exists()


def test_a_good_file_previews_every_question_then_imports_on_confirm(instructor_client):
    url, html = preview(instructor_client, GOOD)
    assert "A new set: Uploaded set" in html
    assert "First question" in html and "Second question" in html
    assert "<p>Which one?</p>" in html and "<p>This one</p>" in html  # rendered Markdown
    assert not QuestionSet.objects.exists()
    token = url.rstrip("/").rsplit("/", 1)[-1]
    response = instructor_client.post(f"/teach/upload/{token}/confirm/")
    assert response.status_code == 302 and response["Location"] == "/teach/sets/uploaded/"
    question_set = QuestionSet.objects.get(slug="uploaded")
    assert question_set.published
    assert question_set.questions.count() == 2
    assert not PendingUpload.objects.exists()
    assert instructor_client.post(f"/teach/upload/{token}/confirm/").status_code == 404


def test_an_update_previews_added_changed_and_removed(instructor_client):
    url, _ = preview(instructor_client, GOOD)
    instructor_client.post(url + "confirm/")
    updated = GOOD.replace("And now?", "And now, really?").replace(
        "## First question {#first}\n\nkind: single\n\nWhich one?\n\n- [x] This one\n- [ ] That one\n",
        "## Third question {#third}\n\nkind: single\n\nWhat else?\n\n- [x] Yes\n- [ ] No\n",
    )
    url, html = preview(instructor_client, updated)
    assert "Updates “Uploaded set”" in html
    assert re.search(r"<strong>Added</strong> <code>third</code>", html)
    assert re.search(r'<strong>Changed</strong> <a href="#diff-second"><code>second</code>', html)
    assert re.search(r"<strong>Removed</strong> <code>first</code>", html)
    instructor_client.post(url + "confirm/")
    assert Question.objects.get(stable_id="first").retired
    assert Question.objects.get(stable_id="second").versions.count() == 2


def test_confirm_imports_what_was_previewed_whatever_the_browser_sends(instructor_client):
    url, _ = preview(instructor_client, GOOD)
    # A tampered form cannot swap the file: confirm takes no file and reads the stored text.
    instructor_client.post(
        url + "confirm/", {"file": SimpleUploadedFile("x.md", BAD.encode()), "text": BAD}
    )
    assert QuestionSet.objects.get(slug="uploaded").questions.count() == 2


def test_a_changed_stored_upload_is_refused(instructor_client):
    url, _ = preview(instructor_client, GOOD)
    PendingUpload.objects.update(text=GOOD.replace("This one", "Evil one"))
    instructor_client.post(url + "confirm/")
    assert not QuestionSet.objects.exists()


def test_draft_uploads_are_hidden_from_learners(instructor_client, client):
    url, _ = preview(instructor_client, GOOD, draft="on")
    instructor_client.post(url + "confirm/")
    assert not QuestionSet.objects.get(slug="uploaded").published


def test_files_over_1_mb_and_other_types_are_refused_with_a_clear_message(instructor_client):
    big = GOOD + "x" * (1024 * 1024)
    response = upload(instructor_client, big)
    assert response.status_code == 400
    assert "at most 1 MB" in response.content.decode()
    response = upload(instructor_client, GOOD, name="set.docx")
    assert (
        response.status_code == 400 and "ending in .md, .gift or .txt" in response.content.decode()
    )
    response = instructor_client.post(
        "/teach/upload/", {"file": SimpleUploadedFile("set.md", b"ok\n\xff bad")}
    )
    assert response.status_code == 400
    assert "Line 2: the file is not UTF-8 text" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_gift_files_preview_too(instructor_client):
    gift = "// slug: gifted\n// title: Gifted\n\n::q1:: Two plus two? {=four ~five}\n"
    url, html = preview(instructor_client, gift, name="gifted.gift")
    assert "A new set" in html, html[:3000]
    instructor_client.post(url + "confirm/")
    assert QuestionSet.objects.filter(source_format="gift").count() == 1


def test_someone_elses_upload_cannot_be_seen_or_confirmed(instructor_client, client):
    from tests.questions.teach.conftest import make_user

    url, _ = preview(instructor_client, GOOD)
    client.force_login(make_user("grace", instructor=True))
    assert client.get(url).status_code == 404
    assert client.post(url + "confirm/").status_code == 404


def test_a_change_to_the_sets_details_is_shown_and_short_answers_list_their_texts(
    instructor_client,
):
    url, _ = preview(instructor_client, GOOD)
    instructor_client.post(url + "confirm/")
    retitled = GOOD.replace("title: Uploaded set", "title: Uploaded set, again").replace(
        "kind: single\n\nAnd now?\n\n- [ ] Left\n- [x] Right",
        "kind: short\n\nAnd now?\n\n- [x] Right\n- [x] right side",
    )
    _, html = preview(instructor_client, retitled)
    assert "<del>Uploaded set</del> → <ins>Uploaded set, again</ins>" in html
    assert "<strong>Answer:</strong> Right / right side" in html


HALF_GOOD = GOOD.replace("- [x] Right", "- [ ] Right")  # the second marks nothing correct


def test_the_preview_offers_to_import_the_good_questions_and_imports_only_those(
    instructor_client,
):
    url, html = preview(instructor_client, HALF_GOOD)
    assert "no correct answer" in html
    assert "Import the 1 good question</button>" in html
    token = url.rstrip("/").rsplit("/", 1)[-1]
    # A plain confirm is still all or nothing.
    instructor_client.post(f"/teach/upload/{token}/confirm/")
    assert not QuestionSet.objects.exists()
    response = instructor_client.post(f"/teach/upload/{token}/confirm/", {"partial": "1"})
    assert response.status_code == 302
    stored = QuestionSet.objects.get(slug="uploaded")
    assert list(stored.questions.values_list("stable_id", flat=True)) == ["first"]


def test_a_broken_set_offers_no_partial_import(instructor_client):
    url, html = preview(instructor_client, GOOD.replace("slug: uploaded", "slug: Not A Slug"))
    assert "good question" not in html
    token = url.rstrip("/").rsplit("/", 1)[-1]
    instructor_client.post(f"/teach/upload/{token}/confirm/", {"partial": "1"})
    assert not QuestionSet.objects.exists()


def test_every_moodle_kind_previews_and_imports(instructor_client):
    from pathlib import Path

    path = Path(__file__).parents[1] / "fixtures" / "corpus" / "moodle-every-kind.gift"
    url, html = preview(instructor_client, path.read_text(encoding="utf-8"), name=path.name)
    assert html.count('class="quiz-card teach-question"') == 12
    assert "4 / 5 (50%)" in html  # numerical answers, weights shown
    assert "A → ASGI; B → WSGI; C → ASGI" in html
    token = url.rstrip("/").rsplit("/", 1)[-1]
    instructor_client.post(f"/teach/upload/{token}/confirm/")
    assert QuestionSet.objects.get(slug="every-kind").questions.count() == 12
