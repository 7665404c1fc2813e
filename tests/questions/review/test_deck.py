"""The deck's schedule comes from fsrs itself: checked with a frozen clock against the
scheduler's own output, through the real answer flow."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from questions.formats.base import ParsedOption
from questions.models import Attempt
from questions.review import selectors, services
from questions.review.models import ReviewCard
from questions.review.scheduling import SCHEDULER
from questions.services import Owner, questionset_import
from tests.questions.factories import make_set, parsed_set, right_answer, wrong_answer
from tests.questions.test_views import post_answer, start, version_at

pytestmark = pytest.mark.django_db
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() returns what the test sets."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_to(DAY0)
    return set_to


def expected_due(rating: Rating, at: datetime) -> datetime:
    """fsrs's own answer for a first review, from the scheduler the deck is configured with."""
    assert isinstance(SCHEDULER, Scheduler)
    return SCHEDULER.review_card(Card(due=at), rating, review_datetime=at)[0].due


def owner_of(attempt: Attempt) -> Owner:
    return Owner(attempt.user_id, attempt.owner_token)


def sure(version, seed):
    return {**right_answer(version, seed), "confidence": "3"}


def test_a_miss_on_day_0_is_due_on_day_1_and_a_sure_right_answer_is_not_due_an_hour_later(
    client, clock
):
    make_set(n=2)
    attempt = start(client)
    post_answer(client, attempt, 1, wrong_answer)
    post_answer(client, attempt, 2, sure)
    missed = ReviewCard.objects.get(question=version_at(attempt, 1).question)
    known = ReviewCard.objects.get(question=version_at(attempt, 2).question)
    assert missed.due == expected_due(Rating.Again, DAY0)
    assert known.due == expected_due(Rating.Easy, DAY0)
    owner = owner_of(attempt)
    assert selectors.due_version_ids(owner=owner, limit=20, now=DAY0 + timedelta(days=1)) == [
        version_at(attempt, 1).pk
    ]
    # Day 0 + 1 hour: nothing is due, and the sure one is not due on day 1 either.
    assert selectors.due_count(owner=owner, now=DAY0 + timedelta(hours=1)) == 0
    assert missed.due <= DAY0 + timedelta(days=1) < known.due
    clock(DAY0 + timedelta(days=1))
    page = client.get("/quiz/").content.decode()
    assert "Review (1 due)" in page
    # The question page counts it in its own hop (questions.review.nav): the same number.
    page = client.get(f"/quiz/attempts/{attempt.pk}/q/2/").content.decode()
    assert "Review (1 due)" in page


def test_confidence_sets_the_fsrs_rating(client, clock):
    make_set(n=3)
    attempt = start(client)

    def unsure(version, seed):
        return {**right_answer(version, seed), "confidence": "1"}

    post_answer(client, attempt, 1, unsure)
    post_answer(client, attempt, 2)  # no confidence said: Good
    post_answer(client, attempt, 3, sure)
    dues = [ReviewCard.objects.get(question=version_at(attempt, n).question).due for n in (1, 2, 3)]
    assert dues == [expected_due(r, DAY0) for r in (Rating.Hard, Rating.Good, Rating.Easy)]
    assert dues[0] < dues[1] < dues[2]


def test_a_sure_wrong_answer_comes_first_then_the_most_overdue(client, clock):
    make_set(n=3)
    attempt = start(client)
    post_answer(client, attempt, 1, wrong_answer)
    clock(DAY0 + timedelta(minutes=5))
    post_answer(client, attempt, 2, wrong_answer)
    clock(DAY0 + timedelta(minutes=10))
    post_answer(client, attempt, 3, lambda v, s: {**wrong_answer(v, s), "confidence": "3"})
    order = selectors.due_version_ids(
        owner=owner_of(attempt), limit=20, now=DAY0 + timedelta(days=2)
    )
    assert order == [version_at(attempt, n).pk for n in (3, 1, 2)]
    assert (
        selectors.due_version_ids(owner=owner_of(attempt), limit=2, now=DAY0 + timedelta(days=2))
        == order[:2]
    )


def test_a_new_version_keeps_the_card_and_a_retired_question_leaves_the_deck(client, clock):
    make_set(n=2)
    attempt = start(client)
    post_answer(client, attempt, 1, wrong_answer)
    post_answer(client, attempt, 2, wrong_answer)
    first = version_at(attempt, 1).question
    later = DAY0 + timedelta(days=1)
    parsed = parsed_set(n=2)
    edited = next(q for q in parsed.questions if q.id == first.stable_id)
    edited.options.append(ParsedOption("a new wrong option", False, ""))
    questionset_import(parsed=parsed, dry_run=False)
    first.refresh_from_db()
    assert first.current_version_id != version_at(attempt, 1).pk
    card = ReviewCard.objects.get(question=first)
    assert card.reps == 1  # the same card, history kept
    due = selectors.due_version_ids(owner=owner_of(attempt), limit=20, now=later)
    assert first.current_version_id in due  # asked in its new version
    parsed.questions = [q for q in parsed.questions if q.id == first.stable_id]
    questionset_import(parsed=parsed, dry_run=False)
    assert selectors.due_version_ids(owner=owner_of(attempt), limit=20, now=later) == [
        first.current_version_id
    ]
    assert selectors.due_count(owner=owner_of(attempt), now=later) == 1


def test_an_anonymous_deck_moves_to_the_account_and_the_latest_card_wins(django_user_model, clock):
    make_set(n=2)
    user = django_user_model.objects.create_user("ada", password="x")
    question = make_set().questions.first()
    old = ReviewCard.objects.create(
        user=user, question=question, state=2, due=DAY0, last_review=DAY0 - timedelta(days=3)
    )
    ReviewCard.objects.create(
        owner_token="tok",
        question=question,
        state=2,
        due=DAY0 + timedelta(days=9),
        last_review=DAY0,
    )
    other = make_set().questions.last()
    ReviewCard.objects.create(owner_token="tok", question=other, state=1, due=DAY0)
    assert services.deck_claim(token="tok", user_id=user.pk) == 2
    assert not ReviewCard.objects.filter(owner_token="tok").exists()
    assert not ReviewCard.objects.filter(pk=old.pk).exists()
    mine = ReviewCard.objects.filter(user=user).order_by("question__position")
    assert [c.due for c in mine] == [DAY0 + timedelta(days=9), DAY0]
