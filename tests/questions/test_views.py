"""The learner's flow through plain form posts (no JavaScript) and through htmx, what
the page does not give away, and what each page costs in queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.formats.base import ASKED_KINDS
from questions.models import Attempt, QuestionVersion, Response
from tests.questions.factories import SECRET_FEEDBACK, make_set, right_answer, wrong_answer

pytestmark = pytest.mark.django_db


def start(client, slug="demo", **extra) -> Attempt:
    response = client.post(f"/quiz/{slug}/start/", {"mode": "practice", **extra})
    assert response.status_code == 302
    attempt = Attempt.objects.order_by("-pk").first()
    assert response["Location"] == f"/quiz/attempts/{attempt.pk}/q/1/"
    return attempt


def version_at(attempt, n) -> QuestionVersion:
    return QuestionVersion.objects.get(pk=attempt.version_ids[n - 1])


def post_answer(client, attempt, n, data_fn=right_answer, **headers):
    data = data_fn(version_at(attempt, n), attempt.seed)
    return client.post(f"/quiz/attempts/{attempt.pk}/q/{n}/answer/", data, **headers)


def test_starting_a_set_that_is_not_there_or_in_no_mode_keeps_no_owner(client):
    make_set("demo", n=2)
    assert client.post("/quiz/nothing/start/", {"mode": "practice"}).status_code == 404
    refused = client.post("/quiz/demo/start/", {"mode": "homework"})
    assert refused.status_code == 400 and "Choose practice or exam mode." in refused.text
    assert not Attempt.objects.exists()
    assert "questions_owner" not in client.session  # no token minted for nothing
    attempt = start(client)
    assert client.session["questions_owner"] == attempt.owner_token != ""
    # The same learner starting again keeps the same token.
    assert start(client).owner_token == attempt.owner_token


def test_index_lists_sets_with_difficulty_size_and_best_score(client):
    make_set("demo", n=4)
    html = client.get("/quiz/").content.decode()
    assert "Demo" in html and "4 questions" in html and "Intermediate" in html
    assert "Not taken yet" in html
    attempt = start(client)
    for n in range(1, 5):
        post_answer(client, attempt, n, right_answer if n <= 3 else wrong_answer)
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    assert "Your best: <strong>75%</strong>" in client.get("/quiz/").content.decode()


def test_drafts_are_hidden_from_learners(client):
    make_set("draft", n=2).__class__.objects.filter(slug="draft").update(published=False)
    assert "Draft" not in client.get("/quiz/").content.decode()
    assert client.get("/quiz/draft/").status_code == 404


@pytest.mark.parametrize("kind", ASKED_KINDS)
def test_nothing_in_a_question_page_reveals_the_answer(client, kind):
    make_set(n=1, kinds=(kind,))
    attempt = start(client)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = client.get(f"/quiz/attempts/{attempt.pk}/q/1/", **headers).content.decode()
        assert SECRET_FEEDBACK not in html
        assert "SECRET-explanation" not in html
        for marker in ("is-right", "Correct answer", "data-correct", "checked", "correct"):
            assert marker not in html.replace("csrf", "")
        # Option values are display indices, not ids or positions.
        values = re.findall(r'name="(?:choice|rank-\d+)" value="([^"]+)"', html)
        assert all(v.isdigit() and int(v) < 3 for v in values)


def test_the_flow_without_javascript_posts_and_redirects(client):
    make_set(n=2)
    attempt = start(client)
    response = post_answer(client, attempt, 1)
    assert response.status_code == 302
    assert response["Location"] == f"/quiz/attempts/{attempt.pk}/q/1/"
    page = client.get(response["Location"]).content.decode()
    assert "Right" in page and SECRET_FEEDBACK in page and "SECRET-explanation" in page
    assert f'href="/quiz/attempts/{attempt.pk}/q/2/"' in page
    assert 'href="/learn/sync-vs-async/#gather"' in page
    # The back button and a re-post: refused, clearly, and still one answer.
    again = post_answer(client, attempt, 1, wrong_answer)
    assert again.status_code == 302
    page = client.get(again["Location"]).content.decode()
    assert "You have already answered this question." in page
    assert Response.objects.filter(attempt=attempt).count() == 1
    assert Response.objects.get(attempt=attempt).correct is True
    post_answer(client, attempt, 2, wrong_answer)
    finish = client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    assert finish["Location"] == f"/quiz/attempts/{attempt.pk}/results/"
    results = client.get(finish["Location"]).content.decode()
    assert "1 / 2 (50%)" in results
    assert "SECRET-explanation 0" in results and "SECRET-explanation 1" in results
    assert "Retry the 1 I missed" in results


def test_answering_through_htmx_returns_the_card_with_the_feedback(client):
    make_set(n=2)
    attempt = start(client)
    response = post_answer(client, attempt, 1, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section class="quiz-card"')
    assert "data-feedback-heading" in html and SECRET_FEEDBACK in html
    assert f'hx-get="/quiz/attempts/{attempt.pk}/q/2/"' in html
    twice = post_answer(client, attempt, 1, HTTP_HX_REQUEST="true").content.decode()
    assert "You have already answered this question." in twice


def test_exam_mode_keeps_the_feedback_for_the_end(client):
    make_set(n=2)
    attempt = start(client, mode="exam")
    post_answer(client, attempt, 1)
    page = client.get(f"/quiz/attempts/{attempt.pk}/q/1/").content.decode()
    assert "Answer recorded" in page and SECRET_FEEDBACK not in page


def test_out_of_order_and_someone_elses_attempt_are_refused(client):
    from django.test import Client

    make_set(n=3)
    attempt = start(client)
    skip = client.get(f"/quiz/attempts/{attempt.pk}/q/3/")
    assert skip["Location"] == f"/quiz/attempts/{attempt.pk}/q/1/"
    assert "Answer question 1 first." in client.get(skip["Location"]).content.decode()
    out_of_order = post_answer(client, attempt, 2)
    assert out_of_order["Location"] == f"/quiz/attempts/{attempt.pk}/"
    page = client.get(out_of_order["Location"], follow=True).content.decode()
    assert page.count("Answer question 1 first.") == 1
    stranger = Client()
    for response in (
        stranger.get(f"/quiz/attempts/{attempt.pk}/q/1/"),
        post_answer(stranger, attempt, 1),
        stranger.get(f"/quiz/attempts/{attempt.pk}/results/"),
    ):
        assert response.status_code == 403
        assert "This attempt belongs to someone else." in response.content.decode()
    assert not Response.objects.exists()


def test_retry_the_missed_ones_asks_only_those(client):
    make_set(n=4)
    attempt = start(client)
    for n in range(1, 5):
        post_answer(client, attempt, n, wrong_answer if n % 2 else right_answer)
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    missed = {version_at(attempt, n).pk for n in (1, 3)}
    response = client.post(f"/quiz/attempts/{attempt.pk}/retry/")
    retry = Attempt.objects.order_by("-pk").first()
    assert response["Location"] == f"/quiz/attempts/{retry.pk}/q/1/"
    assert set(retry.version_ids) == missed


def test_progress_shows_mastery_and_carries_over_on_signup(client, django_user_model):
    make_set(n=2)
    attempt = start(client)
    post_answer(client, attempt, 1)
    post_answer(client, attempt, 2, wrong_answer)
    page = client.get("/quiz/progress/").content.decode()
    assert "Asyncio" in page and "1 / 2" in page
    signup = client.post(
        "/accounts/signup/",
        {
            "username": "ada",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert signup.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user == django_user_model.objects.get(username="ada")
    page = client.get("/quiz/progress/").content.decode()
    assert "1 / 2" in page and "Log out" in page
    # Logout is a POST only.
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert "1 / 2" not in client.get("/quiz/progress/").content.decode()
    client.post("/accounts/login/", {"username": "ada", "password": "a-long-pass-phrase-9"})
    assert "1 / 2" in client.get("/quiz/progress/").content.decode()


def queries(client, method, url, data=None, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {}, **headers)
    assert response.status_code in (200, 302), response
    return len(captured)


def count_pages(client, slug, size) -> list[int]:
    make_set(slug, n=size)
    attempt = start(client, slug)
    counts = [queries(client, "get", "/quiz/"), queries(client, "get", f"/quiz/{slug}/")]
    counts.append(queries(client, "get", f"/quiz/attempts/{attempt.pk}/q/1/"))
    data = right_answer(version_at(attempt, 1), attempt.seed)
    counts.append(queries(client, "post", f"/quiz/attempts/{attempt.pk}/q/1/answer/", data))
    counts.append(queries(client, "get", f"/quiz/attempts/{attempt.pk}/q/1/"))
    counts.append(
        queries(client, "get", f"/quiz/attempts/{attempt.pk}/q/2/", HTTP_HX_REQUEST="true")
    )
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    counts.append(queries(client, "get", f"/quiz/attempts/{attempt.pk}/results/"))
    counts.append(queries(client, "get", "/quiz/progress/"))
    return counts


def test_pages_cost_the_same_queries_for_5_or_500_questions(client):
    from django.test import Client

    small = count_pages(client, "small", 5)
    large = count_pages(Client(), "large", 500)
    assert small == large
    # 11: answering also reads and writes the question's review card (questions.review).
    assert max(small) <= 11


def test_answering_writes_once_in_one_short_transaction(client):
    make_set(n=2)
    attempt = start(client)
    data = right_answer(version_at(attempt, 1), attempt.seed)
    with CaptureQueriesContext(connection) as captured:
        client.post(f"/quiz/attempts/{attempt.pk}/q/1/answer/", data)
    sqls = [q["sql"] for q in captured]
    writes = [s for s in sqls if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    # The response, and its question's review card (questions.review) with it.
    assert len(writes) == 2 and writes[0].startswith('INSERT INTO "questions_response"')
    assert writes[1].startswith('INSERT INTO "review_reviewcard"')
    # Inside the test's transaction the atomic block is a savepoint: it holds only the
    # attempt check, the count and the insert, then the card's read and write.
    begin = next(i for i, s in enumerate(sqls) if s.startswith("SAVEPOINT"))
    end = next(i for i, s in enumerate(sqls) if s.startswith("RELEASE SAVEPOINT"))
    assert end - begin - 1 == 5


def test_an_exam_with_a_time_limit_shows_its_deadline_and_refuses_late_answers(client):
    from datetime import timedelta

    from django.utils import timezone

    make_set(n=2)
    attempt = start(client, mode="exam", time_limit="300")
    assert attempt.time_limit == 300
    page = client.get(f"/quiz/attempts/{attempt.pk}/q/1/").content.decode()
    assert f'data-deadline="{attempt.deadline.isoformat()}"' in page
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(minutes=6))
    late = post_answer(client, attempt, 1)
    assert late["Location"] == f"/quiz/attempts/{attempt.pk}/results/"
    results = client.get(late["Location"]).content.decode()
    assert "Time is up: this answer came after the time limit." in results
    assert "0 / 2" in results
    assert not Response.objects.exists()


def test_the_code_theme_is_linked_only_when_the_site_ships_it(client, tmp_path, settings):
    from questions.templatetags import quiz_extras

    make_set(n=1)
    quiz_extras._exists.cache_clear()
    has_theme = quiz_extras._exists("css/pygments.css")
    html = client.get("/quiz/").content.decode()
    assert ("css/pygments.css" in html) is has_theme
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "pygments.css").write_text(".highlight {}")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    quiz_extras._exists.cache_clear()
    try:
        assert 'href="/static/css/pygments.css"' in client.get("/quiz/").content.decode()
    finally:
        quiz_extras._exists.cache_clear()
