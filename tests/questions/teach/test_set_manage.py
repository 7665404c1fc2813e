"""A set after import: archived (hidden, answers kept), deleted only while no learner has
answered it, and a question edited in the browser making a new version."""

import pytest
from django.test import Client

from questions.models import Attempt, Question, QuestionSet, Response
from questions.services import Owner, attempt_start
from tests.questions.factories import make_set
from tests.questions.teach.conftest import make_user

pytestmark = pytest.mark.django_db


def test_archive_hides_the_set_from_learners_and_puts_it_aside(instructor, instructor_client):
    make_set(n=2, owner=instructor)
    attempt_start(question_set=QuestionSet.objects.get(), owner=Owner(None, "someone"))
    assert "Demo" in Client().get("/quiz/").content.decode()
    response = instructor_client.post("/teach/sets/demo/archive/", {"archived": "1"})
    assert response["Location"] == "/teach/"
    assert "Demo" not in Client().get("/quiz/").content.decode()
    dashboard = instructor_client.get("/teach/").content.decode()
    assert "Archived sets (1)" in dashboard and "1 attempt kept" in dashboard
    assert Attempt.objects.count() == 1
    instructor_client.post("/teach/sets/demo/archive/", {"archived": "0"})
    question_set = QuestionSet.objects.get()
    assert question_set.archived_at is None and not question_set.published  # back as a draft


def test_a_set_with_attempts_cannot_be_deleted(instructor, instructor_client):
    question_set = make_set(n=2, owner=instructor)
    attempt_start(question_set=question_set, owner=Owner(None, "someone"))
    page = instructor_client.get("/teach/sets/demo/delete/").content.decode()
    assert "cannot be deleted" in page and "Archive it" in page
    response = instructor_client.post("/teach/sets/demo/delete/")
    assert response["Location"] == "/teach/sets/demo/delete/"
    assert QuestionSet.objects.exists() and Attempt.objects.exists()


def test_a_set_nobody_answered_can_be_deleted(instructor, instructor_client):
    make_set(n=2, owner=instructor)
    assert "Delete the set" in instructor_client.get("/teach/sets/demo/delete/").content.decode()
    assert instructor_client.post("/teach/sets/demo/delete/")["Location"] == "/teach/"
    assert not QuestionSet.objects.exists() and not Question.objects.exists()


def test_editing_a_question_makes_a_new_version_through_the_import(instructor, instructor_client):
    question_set = make_set(n=2, owner=instructor)
    attempt = attempt_start(question_set=question_set, owner=Owner(None, "someone"))
    question = Question.objects.get(stable_id="q0")
    old = question.current_version
    Response.objects.create(
        attempt=attempt, question=question, version=old, answer={"choices": [1]}, correct=True
    )
    url = "/teach/sets/demo/questions/q0/edit/"
    source = instructor_client.get(url).content.decode()
    assert "## Question 0 {#q0}" in source and "- [x] the right answer" in source
    text = "## Question 0, clearer {#q0}\n\nkind: single\n\n- [ ] wrong a\n- [x] the right answer\n"
    response = instructor_client.post(url, {"text": text})
    assert response["Location"] == "/teach/sets/demo/#q-q0"
    question.refresh_from_db()
    assert (
        question.versions.count() == 2 and question.current_version.title == "Question 0, clearer"
    )
    assert Response.objects.get().version == old  # the answer keeps what was answered
    assert Question.objects.get(stable_id="q1").versions.count() == 1  # nothing else changed


def test_a_bad_edit_says_what_and_where_and_saves_nothing(instructor, instructor_client):
    make_set(n=1, owner=instructor)
    url = "/teach/sets/demo/questions/q0/edit/"
    bad = "## Question 0 {#q0}\n\nkind: singel\n\n- [x] yes\n"
    response = instructor_client.post(url, {"text": bad})
    html = response.content.decode()
    assert response.status_code == 400
    assert "line 3: unknown kind" in html and "kind: singel" in html  # the text is kept
    other_id = "## Question 0 {#q9}\n\nkind: single\n\n- [x] yes\n- [ ] no\n"
    assert (
        "keeping its id {#q0}" in instructor_client.post(url, {"text": other_id}).content.decode()
    )
    assert Question.objects.get().versions.count() == 1
    assert instructor_client.get("/teach/sets/demo/questions/nope/edit/").status_code == 404


def test_a_site_set_edited_in_the_browser_is_left_alone_by_load_content(client):
    make_set(n=1)  # the site's own content: no owner, staff edit it
    client.force_login(make_user("root", staff=True))
    staff_client = client
    text = "## Question 0, by staff {#q0}\n\nkind: single\n\n- [x] yes\n- [ ] no\n"
    staff_client.post("/teach/sets/demo/questions/q0/edit/", {"text": text})
    assert QuestionSet.objects.get().edited_on_site
