"""Prepared queries (questions.prepared): compiled once, they return what the ORM returns,
one query a call, and refuse a queryset whose parameters they cannot place."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions import selectors, services
from questions.models import Attempt, QuestionSet, Response
from questions.prepared import Prepared
from questions.review import selectors as review_selectors
from questions.review.models import ReviewCard
from tests.questions.factories import make_set

pytestmark = pytest.mark.django_db

OWNER = services.Owner(None, "learner-token")


@pytest.fixture
def attempt():
    question_set = make_set("demo", n=3)
    return services.attempt_start(question_set=question_set, owner=OWNER, time_limit=10)


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_an_attempt_read_prepared_equals_the_orm_s_with_its_set(attempt):
    Attempt.objects.filter(pk=attempt.pk).update(flagged=[2])
    orm = Attempt.objects.select_related("question_set").get(pk=attempt.pk)
    prepared = selectors.attempt_get(pk=attempt.pk)
    # JSON lists, aware datetimes and the set come back converted exactly as the ORM does.
    assert fields(prepared) == fields(orm)
    assert prepared.version_ids == orm.version_ids and prepared.flagged == [2]
    assert prepared.started_at.tzinfo is not None
    assert fields(prepared.question_set) == fields(orm.question_set)
    assert selectors.attempt_get(pk=attempt.pk + 1000) is None


def test_each_call_is_one_query_with_its_own_parameters(attempt):
    other = services.attempt_start(question_set=attempt.question_set, owner=OWNER)
    selectors.attempt_get(pk=attempt.pk)  # compiles, and keeps the set
    with CaptureQueriesContext(connection) as queries:
        first = selectors.attempt_get(pk=attempt.pk)
        second = selectors.attempt_get(pk=other.pk)
    assert (first.pk, second.pk) == (attempt.pk, other.pk)
    assert len(queries) == 2


def test_progress_counts_answers_and_finds_this_question_s_response(attempt):
    empty = selectors.attempt_progress(attempt=attempt, question_id=None)
    assert (empty.answered, empty.right, empty.response) == (0, 0, None)
    first = selectors.version_get(pk=attempt.version_ids[0])
    Response.objects.create(
        attempt=attempt,
        question_id=first.question_id,
        version=first,
        answer={},
        correct=True,
        score=1,
        answered_at=timezone.now(),
    )
    progress = selectors.attempt_progress(attempt=attempt, question_id=first.question_id)
    orm = Response.objects.filter(attempt=attempt).aggregate(n=Count("pk"))
    assert (progress.answered, progress.right) == (orm["n"], 1) == (1, 1)
    assert progress.response == Response.objects.get(attempt=attempt)
    second = selectors.version_get(pk=attempt.version_ids[1])
    assert (
        selectors.attempt_progress(attempt=attempt, question_id=second.question_id).response is None
    )


def test_a_datetime_parameter_is_adapted_like_the_orm_s(attempt):
    now = timezone.now()
    for days, question in zip((-2, 1, 5), attempt.question_set.questions.all(), strict=True):
        ReviewCard.objects.create(
            owner_token=OWNER.token, question=question, state=1, due=now + timedelta(days=days)
        )
    for when in (now, now + timedelta(days=2), now + timedelta(days=10), now - timedelta(days=9)):
        orm = review_selectors.deck(owner=OWNER).filter(due__lte=when).count()
        assert review_selectors.due_count(owner=OWNER, now=when) == orm
    assert [
        review_selectors.due_count(owner=OWNER, now=now + timedelta(days=d)) for d in (0, 2, 9)
    ] == [1, 2, 3]
    assert review_selectors.due_count(owner=services.Owner(None, "someone-else"), now=now) == 0
    # The set unpublished: its cards leave the deck, as they do through the ORM.
    QuestionSet.objects.update(published=False)
    assert review_selectors.due_count(owner=OWNER, now=now + timedelta(days=9)) == 0


def test_a_queryset_whose_parameter_is_transformed_is_refused():
    # icontains wraps the value in "%...%": it does not reach the SQL as given.
    prepared = Prepared(lambda title: QuestionSet.objects.filter(title__icontains=title), title=str)
    with pytest.raises(ValueError, match="cannot be prepared"):
        prepared.objects(title="GIL")


def test_parameters_must_be_the_ones_declared():
    prepared = Prepared(lambda pk: QuestionSet.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="expected parameters"):
        prepared.objects(slug="demo")
    with pytest.raises(TypeError, match="only int, str and datetime"):
        Prepared(lambda pk: QuestionSet.objects.filter(pk=pk), pk=float).objects(pk=1.0)


def test_an_integer_no_column_can_hold_matches_nothing_as_through_the_orm(attempt):
    huge = 99_999_999_999_999_999_999
    assert Attempt.objects.filter(pk=huge).first() is None
    assert selectors.attempt_get(pk=huge) is None
