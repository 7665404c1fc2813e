"""Writes of the review deck: an answer reschedules its card, a review session starts,
bookmarks toggle, and an anonymous deck moves to the account that logs in."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q

from questions.models import Attempt, Question, Response
from questions.prepared import Prepared
from questions.services import Owner

from . import scheduling, selectors
from .models import Bookmark, ReviewCard

REVIEW_CAP = 20  # questions per review session: a sitting, not the whole backlog


def _owner_of(attempt: Attempt) -> dict:
    if attempt.user_id:
        return {"user_id": attempt.user_id, "owner_token": ""}
    return {"user_id": None, "owner_token": attempt.owner_token}


def _locked_card(owner_filter: dict, kind: type) -> Prepared:
    return Prepared(
        lambda question, who: (
            ReviewCard.objects.select_for_update()
            .filter(question_id=question, **owner_filter(who))
            .order_by()
        ),
        question=int,
        who=kind,
    )


# Read in every answer's transaction, while the writer lock is held: prepared
# (questions.prepared), one per shape of _owner_of.
_CARD_BY_USER = _locked_card(lambda user_id: {"user_id": user_id, "owner_token": ""}, int)
_CARD_BY_TOKEN = _locked_card(lambda token: {"user_id": None, "owner_token": token}, str)


def card_record(*, response: Response) -> ReviewCard:
    """Every recorded answer, in any mode, is a review of its question's card. Runs inside
    the answer's transaction (signals.py), so an answer and its card change together."""
    owner = _owner_of(response.attempt)
    # No savepoint: inside the answer's transaction it would cost two queries for nothing.
    with transaction.atomic(savepoint=False):
        prepared, who = (
            (_CARD_BY_USER, owner["user_id"])
            if owner["user_id"]
            else (_CARD_BY_TOKEN, owner["owner_token"])
        )
        card = prepared.first(question=response.question_id, who=who)
        if card is None:
            card = ReviewCard(question_id=response.question_id, **owner)
            before = scheduling.new_fsrs(question_id=response.question_id, now=response.answered_at)
        else:
            before = scheduling.to_fsrs(card)
        rating = scheduling.rating_for(correct=response.correct, confidence=response.confidence)
        after = scheduling.review(card=before, rating=rating, now=response.answered_at)
        scheduling.copy_fields(source=after, target=card)
        card.reps += 1
        card.lapses += 0 if response.correct else 1
        card.last_correct = response.correct
        card.last_confidence = response.confidence
        card.save()
    return card


def review_start(*, owner: Owner, bookmarked: bool = False) -> Attempt | None:
    """A review attempt over the due cards (or the bookmarked questions), most urgent
    first; None when there is nothing to ask."""
    if bookmarked:
        version_ids = selectors.bookmarked_version_ids(owner=owner, limit=REVIEW_CAP)
    else:
        version_ids = selectors.due_version_ids(owner=owner, limit=REVIEW_CAP)
    if not version_ids:
        return None
    return Attempt.objects.create(
        question_set=None,
        user_id=owner.user_id,
        owner_token="" if owner.user_id else owner.token,
        mode=Attempt.REVIEW,
        seed=secrets.randbits(48),
        version_ids=version_ids,
    )


def bookmark_set(*, owner: Owner, version_id: int, marked: bool) -> None:
    """Bookmark the question shown in this version, or remove the bookmark (both are
    harmless twice: a double click or a back-and-resubmit changes nothing)."""
    question_id = (
        Question.objects.filter(
            versions__pk=version_id, retired=False, question_set__published=True
        )
        .values_list("pk", flat=True)
        .first()
    )
    if question_id is None:
        raise Question.DoesNotExist("No such question.")
    if not (owner.user_id or owner.token):
        return  # a visitor without a deck has nothing to remove
    lookup = (
        {"user_id": owner.user_id, "owner_token": ""}
        if owner.user_id
        else {"user_id": None, "owner_token": owner.token}
    )
    if not marked:
        Bookmark.objects.filter(question_id=question_id, **lookup).delete()
        return
    try:
        with transaction.atomic():
            Bookmark.objects.get_or_create(question_id=question_id, **lookup)
    except IntegrityError:
        pass  # a double click raced the first: it is bookmarked either way


def deck_claim(*, token: str, user_id: int) -> int:
    """Move an anonymous deck and its bookmarks to an account. Where both hold a card for
    the same question, the one reviewed last wins: it carries the newer memory state."""
    if not token:
        return 0
    anonymous = Q(user=None, owner_token=token)
    with transaction.atomic():
        mine = {c.question_id: c for c in ReviewCard.objects.filter(user_id=user_id)}
        moved = 0
        for card in ReviewCard.objects.select_for_update().filter(anonymous):
            existing = mine.get(card.question_id)
            if existing is not None and _reviewed_later(existing, card):
                card.delete()
                continue
            if existing is not None:
                existing.delete()
            card.user_id, card.owner_token = user_id, ""
            card.save(update_fields=["user", "owner_token"])
            moved += 1
        marked = set(Bookmark.objects.filter(user_id=user_id).values_list("question_id", flat=True))
        Bookmark.objects.filter(anonymous, question_id__in=marked).delete()
        Bookmark.objects.filter(anonymous).update(user_id=user_id, owner_token="")
    return moved


def _reviewed_later(a: ReviewCard, b: ReviewCard) -> bool:
    return (a.last_review or a.due) >= (b.last_review or b.due)
