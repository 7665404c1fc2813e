"""Item analysis wired to real data: Responses in the database become questions.analysis'
input. The expected numbers are worked out by hand in the comments."""

import math
from datetime import timedelta

import pytest

from questions.models import Attempt, QuestionVersion, Response
from questions.services import Owner, attempt_finish, attempt_start
from questions.teach.models import Assignment, AssignmentAttempt
from questions.teach.selectors import answer_label, item_analysis_for
from tests.questions.factories import make_set

pytestmark = pytest.mark.django_db

# Three single-choice questions; in the factory's sets option B (position 1) is right.
# (choice picked on q0, q1, q2) per attempt, and seconds spent on each question.
PICKS = [
    ((1, 1, 0), (10, 20, 30)),  # scores 1 1 0, total 2
    ((1, 0, 2), (12, 22, 32)),  # 1 0 0, total 1
    ((2, 1, 1), (14, 24, 34)),  # 0 1 1, total 2
    ((1, 1, 1), (16, 26, 36)),  # 1 1 1, total 3
]


def take(question_set, n, picks, seconds, **owner_kwargs) -> Attempt:
    owner = Owner(None, f"learner-{n}")
    attempt = attempt_start(question_set=question_set, owner=owner)
    by_question = {
        v.question.stable_id: v
        for v in QuestionVersion.objects.filter(pk__in=attempt.version_ids).select_related(
            "question"
        )
    }
    at = attempt.started_at
    for index, (pick, spent) in enumerate(zip(picks, seconds, strict=True)):
        version = by_question[f"q{index}"]
        at += timedelta(seconds=spent)
        Response.objects.create(
            attempt=attempt,
            question=version.question,
            version=version,
            answer={"choices": [pick]},
            correct=pick == 1,
            answered_at=at,
        )
    return attempt_finish(attempt=attempt, owner=owner)


@pytest.fixture
def question_set():
    question_set = make_set(n=3)
    for n, (picks, seconds) in enumerate(PICKS):
        take(question_set, n, picks, seconds)
    return question_set


def test_facility_discrimination_options_and_times_from_the_database(question_set):
    analysis = item_analysis_for(question_set=question_set)
    stats = analysis.stats
    assert stats.attempts == 4 and analysis.left_out == 0
    # Totals 2, 1, 2, 3 of 3: 66.7%, 33.3%, 66.7%, 100% -> mean 66.67%, median 66.67%.
    assert stats.mean_percent == pytest.approx(200 / 3)
    assert stats.median_percent == pytest.approx(200 / 3)
    assert stats.distribution == (0, 0, 0, 1, 0, 0, 2, 0, 0, 1)
    q0, q1, q2 = analysis.questions
    assert [q.question.stable_id for q in analysis.questions] == ["q0", "q1", "q2"]
    assert (q0.stats.facility, q1.stats.facility, q2.stats.facility) == (0.75, 0.75, 0.5)
    # q0: x = 1 1 0 1 (mean 3/4), rest y = 1 0 2 2 (mean 5/4).
    # Sxy = .25(-.25) + .25(-1.25) + (-.75)(.75) + .25(.75) = -0.75
    # Sxx = 3(.0625) + .5625 = 0.75; Syy = .0625 + 1.5625 + .5625 + .5625 = 2.75
    assert q0.stats.discrimination_index == pytest.approx(-0.75 / math.sqrt(0.75 * 2.75))
    # q2: x = 0 0 1 1 (mean 1/2), y = 2 1 1 2 (mean 3/2): Sxy = 0, so the index is 0.
    assert q2.stats.discrimination_index == pytest.approx(0)
    assert q0.options == [("A", 0), ("B", 3), ("C", 1)]
    assert q2.options == [("A", 1), ("B", 2), ("C", 1)]
    assert q1.options == [("A", 1), ("B", 3), ("C", 0)]
    # Seconds are measured from the previous answer: 10, 12, 14, 16 -> median 13.
    assert q0.stats.median_seconds == 13
    assert q2.stats.median_seconds == 33
    assert q0.stats.flags == ()  # fewer than 5 attempts prove nothing


def test_flags_appear_with_enough_attempts(question_set):
    take(question_set, 9, (1, 1, 0), (5, 5, 5))  # a fifth attempt
    q0, q1, q2 = item_analysis_for(question_set=question_set).questions
    assert "negative discrimination" in q0.stats.flags
    assert "unused option" in q1.stats.flags  # nobody picked q1's C


def test_retries_and_unfinished_attempts_are_left_out(question_set):
    first = Attempt.objects.order_by("pk").first()
    owner = Owner(None, "learner-0")
    retry = attempt_start(
        question_set=question_set, owner=owner, only_version_ids=first.version_ids[:1]
    )
    attempt_finish(attempt=retry, owner=owner)
    attempt_start(question_set=question_set, owner=Owner(None, "someone"))  # never finished
    analysis = item_analysis_for(question_set=question_set)
    assert (analysis.stats.attempts, analysis.left_out) == (4, 1)


def test_an_assignments_analysis_counts_only_its_attempts(question_set, django_user_model):
    owner = django_user_model.objects.create_user("ada")
    assignment = Assignment.objects.create(question_set=question_set, owner=owner)
    for attempt in Attempt.objects.order_by("pk")[:2]:
        AssignmentAttempt.objects.create(assignment=assignment, attempt=attempt, display_name="x")
    analysis = item_analysis_for(question_set=question_set, assignment=assignment)
    assert analysis.stats.attempts == 2
    assert [q.stats.facility for q in analysis.questions] == [1.0, 0.5, 0.0]


def test_answer_labels_use_the_files_option_letters():
    assert answer_label({"choices": [0, 2]}) == "A, C"
    assert answer_label({"order": [2, 0, 1]}) == "C A B"
    assert answer_label({"text": "sync_to_async"}) == "sync_to_async"


def test_the_right_option_is_marked_and_wrong_typed_answers_are_listed_most_given_first():
    question_set = make_set(slug="mixed", n=3, kinds=("single", "short", "order"))
    given = [("threads", [2, 1, 0]), ("Threads ", [2, 1, 0]), ("a coroutine", [0, 2, 1])]
    given += [("sync_to_async", [0, 1, 2])]  # right on both
    for n, (text, order) in enumerate(given):
        owner = Owner(None, f"typist-{n}")
        attempt = attempt_start(question_set=question_set, owner=owner)
        for version in QuestionVersion.objects.filter(pk__in=attempt.version_ids):
            answer = {
                "single": {"choices": [1]},
                "short": {"text": text},
                "order": {"order": order},
            }[version.kind]
            right = {"single": True, "short": text == "sync_to_async", "order": order == [0, 1, 2]}
            Response.objects.create(
                attempt=attempt,
                question=version.question,
                version=version,
                answer=answer,
                correct=right[version.kind],
            )
        attempt_finish(attempt=attempt, owner=owner)
    analysis = {
        qa.question.stable_id: qa for qa in item_analysis_for(question_set=question_set).questions
    }
    assert analysis["q0"].right == {"B"}
    # Case and spacing are forgiven when marking, so "threads" was given twice.
    assert analysis["q1"].wrong_answers == [("threads", 2), ("a coroutine", 1)]
    assert analysis["q2"].wrong_answers == [("C B A", 2), ("A C B", 1)]


def test_the_analysis_page_marks_the_right_option_and_lists_wrong_answers(
    question_set, instructor_client
):
    html = instructor_client.get(f"/teach/sets/{question_set.slug}/analysis/").content.decode()
    assert "B (right): " in html and "B✓" in html
