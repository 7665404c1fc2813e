"""The one place the deck meets the `fsrs` package: an answer becomes an FSRS rating, and
the scheduler's card is copied to and from our columns. No scheduling maths here."""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State

from questions.confidence import SURE, UNSURE

# No (re)learning steps: Anki's minute-long steps repeat a card inside one sitting, and
# here the results page's "Retry the ones I missed" does that. Without them a miss is due
# the next day and a sure right answer days later, from fsrs's own stability formulas.
# No fuzzing: the same answers give the same schedule, so what a learner is told is due
# and what the tests check both come straight from fsrs.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_for(*, correct: bool, confidence: int | None) -> Rating:
    """Wrong is Again, whatever the confidence (a sure wrong answer is ordered first in
    the queue instead, see selectors.due_order); a right answer is Hard when it was a
    guess, Easy when sure, Good otherwise (including when the learner did not say)."""
    if not correct:
        return Rating.Again
    if confidence == UNSURE:
        return Rating.Hard
    if confidence == SURE:
        return Rating.Easy
    return Rating.Good


def utc(moment: datetime) -> datetime:
    # fsrs insists on datetime.UTC itself; a database driver may hand back ZoneInfo("UTC").
    return moment.astimezone(UTC)


def to_fsrs(card) -> Card:
    return Card(
        card_id=card.question_id,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=utc(card.due),
        last_review=utc(card.last_review) if card.last_review else None,
    )


def new_fsrs(*, question_id: int, now: datetime) -> Card:
    return Card(card_id=question_id, due=utc(now))


def review(*, card: Card, rating: Rating, now: datetime) -> Card:
    return SCHEDULER.review_card(card, rating, review_datetime=utc(now))[0]


def copy_fields(*, source: Card, target) -> None:
    target.state = source.state.value
    target.step = source.step
    target.stability = source.stability
    target.difficulty = source.difficulty
    target.due = source.due
    target.last_review = source.last_review
