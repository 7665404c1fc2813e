"""What the instructor sees of each learner's attempt: the status follows the clock, not
only what the learner did last."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client

from questions.models import Attempt, QuestionVersion
from questions.teach.models import Assignment
from tests.questions.factories import make_set, right_answer

pytestmark = pytest.mark.django_db


def test_an_exam_whose_time_ran_out_is_not_in_progress(instructor, instructor_client):
    assignment = Assignment.objects.create(
        question_set=make_set(n=3), owner=instructor, mode="exam", time_limit=60
    )
    learner = Client()
    learner.post(f"/join/{assignment.code}/", {"display_name": "Alice"})
    attempt = Attempt.objects.get()
    version = QuestionVersion.objects.get(pk=attempt.version_ids[0])
    learner.post(f"/quiz/attempts/{attempt.pk}/q/1/answer/", right_answer(version, attempt.seed))
    url = f"/teach/assignments/{assignment.pk}/"
    assert "In progress (1 answered)" in instructor_client.get(url).content.decode()

    # The learner walks away; the minute passes and they never come back.
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=attempt.started_at - timedelta(minutes=2)
    )
    html = instructor_client.get(url).content.decode()
    assert "In progress" not in html
    assert "Out of time (1 answered)" in html and "1/3 (33%)" in html and "60 s" in html
    rows = list(
        csv.reader(io.StringIO(instructor_client.get(url + "results.csv").content.decode()))
    )
    assert rows[1][1:3] == ["timed out", "33.3"]
