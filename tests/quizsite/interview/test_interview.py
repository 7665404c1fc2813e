"""The mock interview through plain form posts: open questions (no model answer before
the learner writes one), self-rating, the timed quick-fire round in the quiz engine, and
a summary of weak topics linked to the explainer sections."""

import random
import re
from datetime import UTC, datetime

import pytest

from questions.models import Attempt
from questions.review.mastery import mastery_of
from quizsite.interview.models import InterviewSession, OpenAnswer
from quizsite.interview.services import TIME_LIMIT, _weighted_pick, topic_weight
from tests.questions.factories import make_set, wrong_answer
from tests.questions.test_views import post_answer

pytestmark = pytest.mark.django_db
MODEL_ANSWER_BIT = "per-interpreter lock"  # from the-gil.md's "In an interview, say this"


def start(client) -> InterviewSession:
    response = client.post("/interview/start/")
    session = InterviewSession.objects.get()
    assert response["Location"] == f"/interview/{session.pk}/open/1/"
    return session


def test_an_interview_from_open_questions_to_the_summary(client):
    make_set("the-gil", n=4)
    make_set("sync-vs-async", n=4)
    session = start(client)
    assert len(session.explainers) == 2 and len(session.version_ids) == 6
    assert session.time_limit == TIME_LIMIT
    page = client.get(f"/interview/{session.pk}/open/1/").content.decode()
    assert "<textarea" in page and "The model answer" not in page
    assert "In an interview" not in page
    blank = client.post(f"/interview/{session.pk}/open/1/answer/", {"text": "  "}, follow=True)
    assert "Write your answer first" in blank.content.decode()
    assert not OpenAnswer.objects.exists()
    client.post(f"/interview/{session.pk}/open/1/answer/", {"text": "A lock, I think."})
    page = client.get(f"/interview/{session.pk}/open/1/").content.decode()
    assert "A lock, I think." in page and "The model answer" in page
    assert "#in-an-interview-say-this" in page and "I nailed it" in page
    rated = client.post(f"/interview/{session.pk}/open/1/rate/", {"rating": "1"})
    assert rated["Location"] == f"/interview/{session.pk}/open/2/"
    client.post(f"/interview/{session.pk}/open/2/answer/", {"text": "Something."})
    rated = client.post(f"/interview/{session.pk}/open/2/rate/", {"rating": "3"})
    assert rated["Location"] == f"/interview/{session.pk}/"
    summary = client.get(f"/interview/{session.pk}/").content.decode()
    assert "Start the quick-fire round (6 questions)" in summary
    quick = client.post(f"/interview/{session.pk}/quick-fire/")
    attempt = Attempt.objects.get()
    assert attempt.mode == Attempt.EXAM and attempt.question_set is None
    assert attempt.version_ids == session.version_ids
    assert 60 <= attempt.time_limit <= TIME_LIMIT
    assert quick["Location"] == f"/quiz/attempts/{attempt.pk}/"
    for n in range(1, 7):
        post_answer(client, attempt, n, wrong_answer)
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    results = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert f"/interview/after/{attempt.pk}/" in results and "Mixed questions" in results
    back = client.get(f"/interview/after/{attempt.pk}/")
    assert back["Location"] == f"/interview/{session.pk}/"
    summary = client.get(f"/interview/{session.pk}/").content.decode()
    assert "0% right" in summary
    first = session.explainers[0]
    assert f'href="/learn/{first}/#in-an-interview-say-this"' in summary  # rated "missed"
    second = session.explainers[1]
    assert f"/learn/{second}/#in-an-interview-say-this" not in summary  # "nailed"


def test_someone_else_cannot_see_or_answer_an_interview(client):
    from django.test import Client

    make_set("the-gil", n=2)
    session = start(client)
    other = Client()
    assert other.get(f"/interview/{session.pk}/open/1/").status_code == 404
    assert other.post(f"/interview/{session.pk}/open/1/answer/", {"text": "x"}).status_code == 404


def test_weak_topics_weigh_more_and_picks_never_repeat():
    now = datetime(2026, 3, 2, tzinfo=UTC)
    weak = mastery_of(topic="gil", answers=[(now, False)] * 8 + [(now, True)] * 2)
    strong = mastery_of(topic="asgi", answers=[(now, True)] * 10)
    assert topic_weight(weak) > topic_weight(None) > topic_weight(strong) == 1.0
    weights = {"gil": topic_weight(weak), "asgi": topic_weight(strong)}
    pools = {"gil": list(range(100)), "asgi": list(range(100, 200))}
    picks = _weighted_pick(random.Random(7), pools, weights, 60)
    assert len(picks) == len(set(picks)) == 60
    from_weak = sum(1 for p in picks if p < 100)
    assert from_weak > 2 * (60 - from_weak)
    assert sorted(_weighted_pick(random.Random(1), {"a": [1, 2]}, {}, 5)) == [1, 2]


def test_the_cheat_sheet_has_every_model_answer(client):
    page = client.get("/interview/cheat-sheet/").content.decode()
    assert MODEL_ANSWER_BIT in page
    assert page.count('href="/learn/') >= 9


def test_interviews_move_to_the_account_at_signup(client, django_user_model):
    make_set("the-gil", n=2)
    session = start(client)
    client.post(
        "/accounts/signup/",
        {
            "username": "ada",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    session.refresh_from_db()
    assert session.user.username == "ada" and session.owner_token == ""
    assert client.get(f"/interview/{session.pk}/open/1/").status_code == 200


def test_mark_an_explainer_read_and_unmark_it(client, django_user_model):
    explainer = client.get("/learn/the-gil/").content.decode()
    assert 'action="/interview/read/the-gil/"' in explainer
    assert "csrfmiddlewaretoken" not in explainer  # the page stays shareable (page cache)
    response = client.post("/interview/read/the-gil/", {"read": "1"})
    assert response["Location"] == "/learn/the-gil/"
    client.post("/interview/read/the-gil/", {"read": "1"})  # twice is harmless
    index = client.get("/interview/").content.decode()
    assert re.search(r"\b1 of \d+ explainers marked as read", index)
    assert client.post("/interview/read/no-such-thing/", {"read": "1"}).status_code == 404
    client.post(
        "/accounts/signup/",
        {
            "username": "ada",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert re.search(r"\b1 of \d+ explainers", client.get("/interview/").content.decode())
    client.post("/interview/read/the-gil/", {"read": "0"})
    assert re.search(r"\b0 of \d+ explainers", client.get("/interview/").content.decode())
