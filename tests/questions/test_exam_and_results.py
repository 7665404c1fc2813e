"""Exam mode's one-action flow, flags and review screen; the results page's filter,
order and pages (in process; the browser tests walk the same flows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import Attempt
from tests.questions.factories import make_set, right_answer, wrong_answer
from tests.questions.test_views import post_answer, start

pytestmark = pytest.mark.django_db


def test_an_exam_answer_moves_on_and_the_last_goes_to_the_review(client):
    make_set(n=3)
    attempt = start(client, mode="exam")
    assert post_answer(client, attempt, 1)["Location"] == f"/quiz/attempts/{attempt.pk}/q/2/"
    htmx = post_answer(client, attempt, 2, HTTP_HX_REQUEST="true")
    assert htmx["HX-Push-Url"] == f"/quiz/attempts/{attempt.pk}/q/3/"
    assert "Question 3 of 3" in htmx.content.decode()
    assert post_answer(client, attempt, 3)["Location"] == f"/quiz/attempts/{attempt.pk}/review/"


def test_an_exam_can_be_skipped_through_and_flagged_but_answered_once(client):
    make_set(n=3)
    attempt = start(client, mode="exam")
    flag = client.post(f"/quiz/attempts/{attempt.pk}/q/1/flag/")
    assert flag["Location"] == f"/quiz/attempts/{attempt.pk}/q/2/"
    assert client.get(f"/quiz/attempts/{attempt.pk}/q/3/").status_code == 200  # any order
    post_answer(client, attempt, 3)
    review = client.get(f"/quiz/attempts/{attempt.pk}/review/").content.decode()
    assert (
        "1 / 3" in review and "data-flagged>1<" in review and "Finish with 2 unanswered" in review
    )
    post_answer(client, attempt, 1)
    attempt.refresh_from_db()
    assert attempt.flagged == []  # answering clears the flag
    again = post_answer(client, attempt, 1, HTTP_HX_REQUEST="true").content.decode()
    assert "You have already answered this question." in again
    assert attempt.finished_at is None  # nothing was finished on the way


def test_practice_questions_cannot_be_flagged(client):
    make_set(n=2)
    attempt = start(client)
    assert client.post(f"/quiz/attempts/{attempt.pk}/q/1/flag/").status_code == 403


def finished(client, n, wrong=()):
    make_set(n=n)
    attempt = start(client)
    for i in range(1, n + 1):
        post_answer(client, attempt, i, wrong_answer if i in wrong else right_answer)
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    return attempt


def test_results_lead_with_the_missed_and_filter_by_query(client):
    attempt = finished(client, 4, wrong=(2, 4))
    url = f"/quiz/attempts/{attempt.pk}/results/"
    html = client.get(url).content.decode()
    order = [html.index(f'id="q-{n}"') for n in (2, 4, 1, 3)]
    assert order == sorted(order)
    missed = client.get(url + "?show=missed").content.decode()
    assert missed.count('class="quiz-review-item') == 2 and 'id="q-1"' not in missed
    fragment = client.get(url + "?show=right", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and fragment.count('class="quiz-review-item') == 2


def test_results_are_paged_with_a_fixed_number_of_queries(client):
    attempt = finished(client, 60, wrong=(5,))
    with CaptureQueriesContext(connection) as first:
        page1 = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert page1.count('class="quiz-review-item') == 50 and "Page 1 of 2" in page1
    page2 = client.get(f"/quiz/attempts/{attempt.pk}/results/?page=2").content.decode()
    assert page2.count('class="quiz-review-item') == 10
    assert len(first) < 15  # not one per question


def test_a_retry_is_labelled_with_what_it_retries(client):
    attempt = finished(client, 3, wrong=(1, 2))
    retry_page = client.post(f"/quiz/attempts/{attempt.pk}/retry/", follow=True)
    html = retry_page.content.decode()
    assert "Retry: 2 missed from Demo" in html
    assert Attempt.objects.get(retry_of=attempt).version_ids.__len__() == 2


@pytest.mark.parametrize("prompt", ["Which hold?", "Which hold? Select all that apply."])
def test_select_all_that_apply_is_said_once(client, prompt):
    from questions.services import questionset_import
    from tests.questions.factories import parsed_set

    parsed = parsed_set(n=1, kinds=("multiple",))
    parsed.questions[0].prompt = prompt
    questionset_import(parsed=parsed)
    attempt = start(client)
    html = client.get(f"/quiz/attempts/{attempt.pk}/q/1/").content.decode()
    assert html.lower().count("select all that apply") == 1
