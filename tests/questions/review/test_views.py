"""A review session is the quiz flow over due cards (plain form posts here; the browser
tests drive it with the keyboard and with JavaScript off), plus the deck's small pages."""

import io
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions.models import Attempt, QuestionSet, Response
from questions.review.models import Bookmark
from tests.questions.factories import SECRET_FEEDBACK, make_set, right_answer, wrong_answer
from tests.questions.test_views import post_answer, start, version_at

pytestmark = pytest.mark.django_db
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def missed_two(client, monkeypatch):
    """Two questions missed on day 0; the clock then stands on day 1."""
    monkeypatch.setattr(timezone, "now", lambda: DAY0)
    make_set(n=3)
    attempt = start(client)
    post_answer(client, attempt, 1, wrong_answer)
    post_answer(client, attempt, 2, wrong_answer)
    post_answer(client, attempt, 3)
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    monkeypatch.setattr(timezone, "now", lambda: DAY0 + timedelta(days=1))
    return attempt


def test_a_review_session_asks_the_due_cards_with_confidence_and_no_early_answers(
    client, missed_two
):
    deck = client.get("/review/").content.decode()
    assert "Review (2 due)" in deck and "Review 2 due" in deck
    response = client.post("/review/start/")
    review = Attempt.objects.order_by("-pk").first()
    assert review.mode == Attempt.REVIEW and review.question_set is None
    assert response["Location"] == f"/quiz/attempts/{review.pk}/q/1/"
    assert review.version_ids == missed_two.version_ids[:2]
    page = client.get(response["Location"]).content.decode()
    assert "SECRET" not in page and "Correct answer" not in page
    assert 'name="confidence" value="3"' in page and "Submit answer" not in page
    # No confidence: refused, nothing recorded.
    version = version_at(review, 1)
    refused = client.post(
        f"/quiz/attempts/{review.pk}/q/1/answer/", right_answer(version, review.seed), follow=True
    )
    assert "Say how sure you are" in refused.content.decode()
    assert not Response.objects.filter(attempt=review).exists()
    answered = client.post(
        f"/quiz/attempts/{review.pk}/q/1/answer/",
        {**right_answer(version, review.seed), "confidence": "3"},
        follow=True,
    ).content.decode()
    assert SECRET_FEEDBACK in answered and "Right" in answered
    assert "Bookmark this question" in answered
    post_answer(client, review, 2, lambda v, s: {**wrong_answer(v, s), "confidence": "3"})
    client.post(f"/quiz/attempts/{review.pk}/finish/")
    results = client.get(f"/quiz/attempts/{review.pk}/results/").content.decode()
    assert "Review deck" in results
    assert "When you said <strong>sure</strong>, you were right 50% of the time (1 of 2)" in results


def test_a_practice_answer_may_say_how_sure_and_an_exam_hides_the_reveal(client):
    make_set(n=2)
    attempt = start(client)
    page = client.get(f"/quiz/attempts/{attempt.pk}/q/1/").content.decode()
    assert "Submit answer" in page and "Or submit saying how sure you are" in page
    post_answer(client, attempt, 1, lambda v, s: {**right_answer(v, s), "confidence": "2"})
    assert Response.objects.get().confidence == 2
    bad = post_answer(client, attempt, 2, lambda v, s: {**right_answer(v, s), "confidence": "9"})
    assert bad.status_code == 302 and Response.objects.count() == 1


def test_the_nav_count_costs_no_query_for_a_visitor_without_a_deck(client, missed_two):
    from django.test import Client

    stranger = Client()
    with CaptureQueriesContext(connection) as captured:
        page = stranger.get("/").content.decode()
    assert "Review (" not in page
    assert not [q for q in captured if "review" in q["sql"]]
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    assert "Review (2 due)" in page
    assert len([q for q in captured if "review_reviewcard" in q["sql"]]) == 1


def test_nothing_due_says_so(client):
    response = client.post("/review/start/", follow=True)
    assert "Nothing is due" in response.content.decode()
    assert not Attempt.objects.exists()


def test_bookmarks_filter_the_review_and_move_with_the_account(client, missed_two):
    version = version_at(missed_two, 3)
    url = f"/review/bookmarks/{version.pk}/"
    assert client.post(url, {"bookmark": "1", "next": "/review/"}).status_code == 302
    client.post(url, {"bookmark": "1"})  # twice is harmless
    assert Bookmark.objects.count() == 1
    fragment = client.post(url, {"bookmark": "0"}, HTTP_HX_REQUEST="true")
    assert "Bookmark this question" in fragment.content.decode()  # removed
    assert not Bookmark.objects.exists()
    refused = client.post(url, {"bookmark": "maybe"})
    assert refused.status_code == 400 and "bookmark=1" in refused.content.decode()
    client.post(url, {"bookmark": "1"})
    client.post("/review/start/", {"filter": "bookmarked"})
    review = Attempt.objects.order_by("-pk").first()
    assert review.version_ids == [version.question.current_version_id]
    assert client.post("/review/bookmarks/999999/", {"bookmark": "1"}).status_code == 404
    client.post(
        "/accounts/signup/",
        {
            "username": "ada",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    mark = Bookmark.objects.get()
    assert mark.user.username == "ada" and mark.owner_token == ""
    assert "Review (2 due)" in client.get("/review/").content.decode()


def test_search_finds_published_titles_and_text_and_shows_no_answers(client):
    make_set("demo", n=3)
    draft = make_set("draft", n=3)
    QuestionSet.objects.filter(pk=draft.pk).update(published=False)
    page = client.get("/review/search/", {"q": "prompt of question 1"}).content.decode()
    assert "1 question found" in page and "Question 1" in page and "/quiz/demo/" in page
    assert "/quiz/draft/" not in page
    assert "the right answer" not in page and "SECRET" not in page
    fragment = client.get("/review/search/", {"q": "question"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html and "3 questions found" in html


def read_apkg(data: bytes, tmp_path) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {"collection.anki2", "media"} <= set(archive.namelist())
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        assert db.execute("select count(*) from col").fetchone() == (1,)
        cards = db.execute("select count(*) from cards").fetchone()[0]
        notes = [row[0] for row in db.execute("select flds from notes")]
    finally:
        db.close()
    assert cards == len(notes)
    return notes


def test_my_mistakes_export_as_a_valid_anki_deck(client, missed_two, tmp_path):
    response = client.get("/review/export/mistakes.apkg")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-mistakes.apkg"'
    notes = read_apkg(response.content, tmp_path)
    titles = {version_at(missed_two, n).title for n in (1, 2)}
    assert len(notes) == 2
    assert all(any(title in note for title in titles) for note in notes)
    assert all("the right answer" in note for note in notes)  # the back of the card


def test_a_set_exports_only_after_the_learner_finished_it(client, tmp_path):
    make_set(n=2)
    refused = client.get("/review/export/demo.apkg", follow=True)
    assert "Finish this set once" in refused.content.decode()
    attempt = start(client)
    post_answer(client, attempt, 1)
    assert client.get("/review/export/demo.apkg").status_code == 302
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    response = client.get("/review/export/demo.apkg")
    assert len(read_apkg(response.content, tmp_path)) == 2
