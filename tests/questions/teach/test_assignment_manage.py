"""An assignment after it is made: edited, closed early, duplicated, deleted (the learners
keep their attempts), one learner's page with their answers, more time or a reopen."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from questions.models import Attempt, QuestionVersion
from questions.teach.models import Assignment
from tests.questions.factories import SECRET_FEEDBACK, make_set, right_answer, wrong_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(instructor):
    return Assignment.objects.create(
        question_set=make_set(n=3), owner=instructor, mode="exam", time_limit=600, title="Week 3"
    )


def join(assignment, name="Alice", *, answers=(True, False)) -> Attempt:
    learner = Client()
    learner.post(f"/join/{assignment.code}/", {"display_name": name})
    attempt = Attempt.objects.order_by("-pk").first()
    for n, right in enumerate(answers, start=1):
        version = QuestionVersion.objects.get(pk=attempt.version_ids[n - 1])
        data = (right_answer if right else wrong_answer)(version, attempt.seed)
        learner.post(f"/quiz/attempts/{attempt.pk}/q/{n}/answer/", data)
    return attempt


def test_edit_changes_the_settings_but_not_a_started_attempts_limit(instructor_client, exam):
    attempt = join(exam)
    url = f"/teach/assignments/{exam.pk}/edit/"
    form = instructor_client.get(url).content.decode()
    assert 'value="Week 3"' in form and 'value="10"' in form  # minutes, as entered
    response = instructor_client.post(
        url,
        {"title": "Week 4", "mode": "exam", "time_limit": "20", "closes_at": "2030-01-01T10:00"},
    )
    assert response.status_code == 302
    exam.refresh_from_db()
    assert (exam.title, exam.time_limit, exam.closes_at.year) == ("Week 4", 1200, 2030)
    attempt.refresh_from_db()
    assert attempt.time_limit == 600
    bad = instructor_client.post(url, {"mode": "practice", "time_limit": "5"})
    assert bad.status_code == 400 and "exam mode only" in bad.content.decode()


def test_close_now_refuses_new_learners(instructor_client, exam):
    html = instructor_client.get(f"/teach/assignments/{exam.pk}/").content.decode()
    assert "Close it now" in html
    instructor_client.post(f"/teach/assignments/{exam.pk}/close/")
    exam.refresh_from_db()
    assert exam.closes_at <= timezone.now()
    response = Client().post(f"/join/{exam.code}/", {"display_name": "Late"})
    assert response.status_code == 403 and "closed at" in response.content.decode()
    assert (
        "Close it now"
        not in instructor_client.get(f"/teach/assignments/{exam.pk}/").content.decode()
    )


def test_duplicate_makes_a_fresh_assignment_with_its_own_code(instructor_client, exam):
    join(exam)
    response = instructor_client.post(f"/teach/assignments/{exam.pk}/duplicate/")
    copy = Assignment.objects.exclude(pk=exam.pk).get()
    assert response["Location"] == f"/teach/assignments/{copy.pk}/edit/"
    assert copy.code != exam.code
    assert (copy.mode, copy.time_limit, copy.title) == ("exam", 600, "Week 3 (copy)")
    assert not copy.assignment_attempts.exists()


def test_delete_asks_first_and_the_learners_keep_their_attempts(instructor_client, exam):
    attempt = join(exam)
    page = instructor_client.get(f"/teach/assignments/{exam.pk}/delete/").content.decode()
    assert "1 attempt stay in each learner" in " ".join(page.split())
    assert Assignment.objects.filter(pk=exam.pk).exists()  # a GET deletes nothing
    response = instructor_client.post(f"/teach/assignments/{exam.pk}/delete/")
    assert response["Location"] == "/teach/"
    assert not Assignment.objects.filter(pk=exam.pk).exists()
    assert Attempt.objects.filter(pk=attempt.pk).exists()


def test_a_learners_page_shows_each_answer_and_the_right_one(instructor_client, exam):
    attempt = join(exam, answers=(True, False))
    results = instructor_client.get(f"/teach/assignments/{exam.pk}/").content.decode()
    url = f"/teach/assignments/{exam.pk}/learners/{attempt.pk}/"
    assert f'href="{url}"' in results
    html = instructor_client.get(url).content.decode()
    assert html.count("✓ right: B") == 1 and html.count("✗ wrong: ") == 1
    assert "not answered" in html
    assert html.count("<td>B</td>") == 3  # the key of each single-choice question
    other = Assignment.objects.create(question_set=exam.question_set, owner=exam.owner)
    assert (
        instructor_client.get(f"/teach/assignments/{other.pk}/learners/{attempt.pk}/").status_code
        == 404
    )


def test_more_time_reopens_an_attempt_whose_time_ran_out(instructor_client, exam):
    attempt = join(exam, answers=(True,))
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(minutes=30),
        finished_at=timezone.now() - timedelta(minutes=20),
        score=1 / 3,
    )
    url = f"/teach/assignments/{exam.pk}/learners/{attempt.pk}/"
    response = instructor_client.post(url + "more-time/", {"minutes": "5"})
    assert response["Location"] == url
    attempt.refresh_from_db()
    assert attempt.finished_at is None and attempt.score is None
    assert not attempt.is_over_time()
    assert attempt.is_over_time(timezone.now() + timedelta(minutes=6))
    assert instructor_client.post(url + "more-time/", {"minutes": "0"}).status_code == 400


def test_results_are_headed_by_question_titles_and_times_carry_utc(instructor_client, exam):
    join(exam)
    exam.opens_at = timezone.now() - timedelta(hours=1)
    exam.save()
    html = instructor_client.get(f"/teach/assignments/{exam.pk}/").content.decode()
    assert '<th scope="col" aria-label="Question 0">' in html
    assert 'title="Question 0" data-full="Question 0" tabindex="0">Question 0</span>' in html
    assert ">Q1<" not in html
    assert f'<time datetime="{exam.opens_at.isoformat()}' in html and " UTC</time>" in html
    assert '<script src="/static/js/local-time.js" defer></script>' in html


def test_an_exams_answers_are_released_when_it_closes(instructor_client, exam):
    learner = Client()
    learner.post(f"/join/{exam.code}/", {"display_name": "Alice"})
    attempt = Attempt.objects.get()
    for n, pk in enumerate(attempt.version_ids, start=1):
        version = QuestionVersion.objects.get(pk=pk)
        learner.post(
            f"/quiz/attempts/{attempt.pk}/q/{n}/answer/", wrong_answer(version, attempt.seed)
        )
    learner.post(f"/quiz/attempts/{attempt.pk}/finish/")
    html = learner.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert "0 / 3" in html and "released when your instructor closes" in html
    assert SECRET_FEEDBACK not in html and "SECRET-explanation" not in html
    assert "Wrong a because" not in html and "Retry the" not in html
    retry = learner.post(f"/quiz/attempts/{attempt.pk}/retry/")
    assert retry["Location"] == f"/quiz/attempts/{attempt.pk}/results/"
    assert Attempt.objects.count() == 1  # no practice retry that would show the answers

    instructor_client.post(f"/teach/assignments/{exam.pk}/close/")
    html = learner.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert "SECRET-explanation" in html and "data-withheld" not in html


def test_an_exam_can_show_answers_at_once_and_practice_always_does(instructor_client):
    question_set = make_set(n=1)
    for data in ({"mode": "exam"}, {"mode": "practice", "release_answers_at_close": "on"}):
        instructor_client.post("/teach/sets/demo/assign/", data)
        assignment = Assignment.objects.order_by("-pk").first()
        learner = Client()
        learner.post(f"/join/{assignment.code}/", {"display_name": "Bo"})
        attempt = Attempt.objects.order_by("-pk").first()
        learner.post(f"/quiz/attempts/{attempt.pk}/finish/")
        html = learner.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
        assert "SECRET-explanation" in html, data
    assert question_set.attempts.count() == 2
