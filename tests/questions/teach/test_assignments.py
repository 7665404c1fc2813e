"""Assignments: created by an instructor, joined by code, results seen by their owner
(and staff) only, downloaded as a CSV a spreadsheet opens safely."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from questions.models import Attempt, QuestionVersion
from questions.teach.models import CODE_ALPHABET, Assignment, AssignmentAttempt
from tests.questions.factories import make_set, right_answer, wrong_answer
from tests.questions.teach.conftest import make_user

pytestmark = pytest.mark.django_db


def create(client, slug="demo", **data) -> Assignment:
    response = client.post(f"/teach/sets/{slug}/assign/", {"mode": "practice", **data})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Assignment.objects.order_by("-pk").first()


def take(client, assignment, name, *, right: int) -> Attempt:
    response = client.post(f"/join/{assignment.code}/", {"display_name": name})
    assert response.status_code == 302, response.content.decode()[:3000]
    attempt = Attempt.objects.order_by("-pk").first()
    assert response["Location"] == f"/quiz/attempts/{attempt.pk}/q/1/"
    for n, pk in enumerate(attempt.version_ids, start=1):
        version = QuestionVersion.objects.get(pk=pk)
        data = (right_answer if n <= right else wrong_answer)(version, attempt.seed)
        client.post(f"/quiz/attempts/{attempt.pk}/q/{n}/answer/", data)
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    return attempt


def test_an_assignment_gets_a_short_join_code_and_its_settings(instructor_client, instructor):
    make_set(n=3)
    assignment = create(instructor_client, mode="exam", time_limit="10", title="Week 3")
    assert len(assignment.code) == 6 and set(assignment.code) <= set(CODE_ALPHABET)
    assert (assignment.mode, assignment.time_limit, assignment.owner) == ("exam", 600, instructor)
    html = instructor_client.get(f"/teach/assignments/{assignment.pk}/").content.decode()
    assert assignment.code in html and f"/join/{assignment.code}/" in html


def test_a_time_limit_needs_exam_mode_and_close_must_follow_open(instructor_client):
    make_set(n=1)
    response = instructor_client.post(
        "/teach/sets/demo/assign/",
        {
            "mode": "practice",
            "time_limit": "5",
            "opens_at": "2030-01-02T10:00",
            "closes_at": "2030-01-01T10:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "exam mode only" in html and "must come after" in html
    assert not Assignment.objects.exists()


def test_two_learners_take_it_and_both_rows_show_in_the_results_and_csv(instructor_client):
    make_set(n=3)
    assignment = create(instructor_client)
    take(Client(), assignment, "Alice", right=3)
    take(Client(), assignment, '=HYPERLINK("http://evil")', right=1)
    assert AssignmentAttempt.objects.filter(assignment=assignment).count() == 2
    html = instructor_client.get(f"/teach/assignments/{assignment.pk}/").content.decode()
    assert "Alice" in html and "3/3 (100%)" in html and "1/3 (33%)" in html
    fragment = instructor_client.get(
        f"/teach/assignments/{assignment.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="results"') and "Alice" in fragment
    response = instructor_client.get(f"/teach/assignments/{assignment.pk}/results.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"] == f'attachment; filename="{assignment.code}-results.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["name", "status", "score_percent", "right"]
    assert [r[0] for r in rows[1:]] == ["Alice", '\'=HYPERLINK("http://evil")']
    assert [r[2] for r in rows[1:]] == ["100.0", "33.3"]
    assert rows[1][7:] == ["B (right)"] * 3  # the factory's right option is the second


def test_a_learner_takes_it_once_and_is_sent_back_to_their_attempt(instructor_client):
    make_set(n=2)
    assignment = create(instructor_client)
    client = Client()
    attempt = take(client, assignment, "Alice", right=2)
    again = client.get(f"/join/{assignment.code}/")
    assert again["Location"] == f"/quiz/attempts/{attempt.pk}/results/"


def test_a_logged_in_learner_joins_under_their_username(instructor_client):
    make_set(n=1)
    assignment = create(instructor_client)
    client = Client()
    client.force_login(make_user("bob"))
    assert (
        "You take it as <strong>bob</strong>"
        in client.get(f"/join/{assignment.code}/").content.decode()
    )
    client.post(f"/join/{assignment.code}/")
    assert AssignmentAttempt.objects.get().display_name == "bob"


def test_joining_before_it_opens_or_after_it_closes_is_refused(instructor, client):
    question_set = make_set(n=1)
    now = timezone.now()
    early = Assignment.objects.create(
        question_set=question_set, owner=instructor, opens_at=now + timedelta(hours=1)
    )
    late = Assignment.objects.create(
        question_set=question_set, owner=instructor, closes_at=now - timedelta(minutes=1)
    )
    for assignment, words in ((early, "opens at"), (late, "closed at")):
        assert words in client.get(f"/join/{assignment.code}/").content.decode()
        response = client.post(f"/join/{assignment.code}/", {"display_name": "Alice"})
        assert response.status_code == 403 and words in response.content.decode()
    assert not Attempt.objects.exists()


def test_join_codes_are_case_insensitive_and_unknown_ones_404(instructor, client):
    assignment = Assignment.objects.create(question_set=make_set(n=1), owner=instructor)
    assert (
        client.post("/join/", {"code": assignment.code.lower()})["Location"]
        == f"/join/{assignment.code}/"
    )
    assert client.get(f"/join/{assignment.code.lower()}/").status_code == 200
    assert client.get("/join/ZZZZZZ/").status_code == 404


def test_exam_assignments_start_exam_attempts_with_the_time_limit(instructor, client):
    assignment = Assignment.objects.create(
        question_set=make_set(n=1), owner=instructor, mode="exam", time_limit=300
    )
    client.post(f"/join/{assignment.code}/", {"display_name": "Alice"})
    attempt = Attempt.objects.get()
    assert (attempt.mode, attempt.time_limit) == ("exam", 300)


def test_results_are_only_for_the_assignments_instructor_and_staff(instructor, client):
    assignment = Assignment.objects.create(question_set=make_set(n=1), owner=instructor)
    urls = [
        f"/teach/assignments/{assignment.pk}/{s}"
        for s in ("", "results.csv", "analysis/", "analysis.csv")
    ]
    client.force_login(make_user("grace", instructor=True))
    for url in urls:
        response = client.get(url)
        assert (
            response.status_code == 403 and "belong to the instructor" in response.content.decode()
        )
    client.force_login(make_user("root", staff=True))
    assert all(client.get(url).status_code == 200 for url in urls)


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_results_and_analysis_cost_the_same_queries_for_2_or_6_learners(instructor_client):
    make_set(n=3)
    assignment = create(instructor_client)
    pages = [
        f"/teach/assignments/{assignment.pk}/",
        f"/teach/assignments/{assignment.pk}/results.csv",
        f"/teach/assignments/{assignment.pk}/analysis/",
        "/teach/sets/demo/analysis/",
        "/teach/sets/demo/",
        "/teach/",
    ]
    counts = []
    for learners in (2, 6):
        while AssignmentAttempt.objects.count() < learners:
            take(Client(), assignment, f"L{AssignmentAttempt.objects.count()}", right=1)
        counts.append([count_queries(instructor_client, url) for url in pages])
    assert counts[0] == counts[1]


def test_an_assignment_on_a_draft_set_never_links_to_the_hidden_set_page(
    instructor_client, instructor
):
    question_set = make_set(n=2, owner=instructor)
    question_set.published = False
    question_set.save()
    assignment = create(instructor_client)
    client = Client()
    client.post(f"/join/{assignment.code}/", {"display_name": "Alice"})
    attempt = Attempt.objects.get()
    question = client.get(f"/quiz/attempts/{attempt.pk}/q/1/").content.decode()
    client.post(f"/quiz/attempts/{attempt.pk}/finish/")
    results = client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert client.get("/quiz/demo/").status_code == 404  # a draft stays hidden
    for html in (question, results):
        assert question_set.title in html
        assert 'href="/quiz/demo/"' not in html
