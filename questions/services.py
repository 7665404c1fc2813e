"""Writes: importing question sets, starting, answering and finishing attempts.

Every write is one short transaction in a sync function; async views call these through
sync_to_async (Django has no async transactions).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from . import grading
from .confidence import confidence_from_form
from .formats.base import DESCRIPTION, ESSAY, GRADED_KINDS
from .models import (
    Attempt,
    Question,
    QuestionSet,
    QuestionVersion,
    Response,
)
from .prepared import Prepared
from .set_import import ImportReport, question_hash, questionset_import  # noqa: F401


# --- Attempts -------------------------------------------------------------------------
class AnswerRefused(Exception):
    """The answer cannot be recorded; the message says why, in the learner's words."""


class OutOfOrder(AnswerRefused):
    """An answer to a question further on than the learner has reached."""


# Where an anonymous learner's owner token is kept in the session.
OWNER_KEY = "questions_owner"


@dataclass(frozen=True)
class Owner:
    user_id: int | None
    token: str

    def owns(self, attempt: Attempt) -> bool:
        if attempt.user_id is not None:
            return attempt.user_id == self.user_id
        return bool(self.token) and attempt.owner_token == self.token


# The questions an attempt asks, in order: read by every attempt started (prepared).
_ASKED_VERSIONS = Prepared(
    lambda question_set: (
        Question.objects.filter(question_set_id=question_set, retired=False)
        .exclude(current_version=None)
        .exclude(current_version__kind=DESCRIPTION)  # shown with the questions after it
        .order_by("position")
        .values_list("current_version_id")
    ),
    question_set=int,
)


def attempt_start(
    *,
    question_set: QuestionSet,
    owner: Owner,
    mode: str = Attempt.PRACTICE,
    time_limit: int | None = None,
    only_version_ids: list[int] | None = None,
    retry_of: Attempt | None = None,
) -> Attempt:
    versions = [pk for (pk,) in _ASKED_VERSIONS.rows(question_set=question_set.pk)]
    if only_version_ids is not None:
        # Retrying the missed ones: the current version of each missed question.
        wanted = set(
            QuestionVersion.objects.filter(pk__in=only_version_ids).values_list(
                "question__current_version_id", flat=True
            )
        )
        versions = [v for v in versions if v in wanted]
    seed = secrets.randbits(48)
    random.Random(seed).shuffle(versions)
    return Attempt.objects.create(
        question_set=question_set,
        user_id=owner.user_id,
        owner_token="" if owner.user_id else owner.token,
        mode=mode if mode in (Attempt.PRACTICE, Attempt.EXAM) else Attempt.PRACTICE,
        time_limit=time_limit if mode == Attempt.EXAM and time_limit else None,
        seed=seed,
        version_ids=versions,
        retry_of=retry_of,
    )


# The answer's transaction reads the attempt again (locked, on PostgreSQL) and counts its
# answers: prepared (questions.prepared), since the writer lock is held meanwhile.
_LOCKED_ATTEMPT = Prepared(
    lambda pk: Attempt.objects.select_for_update().filter(pk=pk).order_by(), pk=int
)
_ANSWERED = Prepared(
    lambda attempt: Response.objects.filter(attempt_id=attempt).order_by().values("pk"),
    attempt=int,
)


def attempt_answer(
    *, attempt: Attempt, owner: Owner, index: int, version: QuestionVersion, data
) -> Response:
    """Grade and record one answer. `attempt` and `version` are read beforehand (outside
    the transaction) so the write lock is held only for the checks that must be atomic
    and the insert."""
    if not owner.owns(attempt):
        raise AnswerRefused("This attempt belongs to someone else.")
    answer = grading.answer_from_form(version=version, seed=attempt.seed, data=data)
    score = grading.grade(version=version, answer=answer)
    confidence = confidence_from_form(data=data, required=attempt.mode == Attempt.REVIEW)
    now = timezone.now()
    try:
        with transaction.atomic():
            (fresh,) = _LOCKED_ATTEMPT.objects(pk=attempt.pk)
            if fresh.finished_at is not None:
                raise AnswerRefused("This attempt is finished: answers can no longer change.")
            if fresh.is_over_time(now):
                raise AnswerRefused("Time is up: this answer came after the time limit.")
            if fresh.mode == Attempt.EXAM:
                # An exam may be answered in any order (skip, flag, come back); still once.
                if Response.objects.filter(attempt=fresh, question_id=version.question_id):
                    raise AnswerRefused("You have already answered this question.")
            else:
                answered = _ANSWERED.count(attempt=fresh.pk)
                if answered > index:
                    raise AnswerRefused("You have already answered this question.")
                if answered < index:
                    raise OutOfOrder(f"Answer question {answered + 1} first.")
            if index + 1 in fresh.flagged:
                fresh.flagged.remove(index + 1)
                fresh.save(update_fields=["flagged"])
            return Response.objects.create(
                attempt=fresh,
                question_id=version.question_id,
                version=version,
                answer=answer,
                correct=grading.is_right(score),
                score=score,
                confidence=confidence,
                answered_at=now,
            )
    except IntegrityError:
        # Two submits raced past the count check: the unique constraint settles it.
        raise AnswerRefused("You have already answered this question.") from None


def attempt_flag(*, attempt: Attempt, owner: Owner, n: int, flagged: bool = True) -> None:
    """Mark question n (1-based) of an exam to come back to, or clear the mark."""
    if not owner.owns(attempt):
        raise AnswerRefused("This attempt belongs to someone else.")
    if attempt.mode != Attempt.EXAM or not 1 <= n <= len(attempt.version_ids):
        raise AnswerRefused("Only an exam's questions can be flagged.")
    with transaction.atomic():
        fresh = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if fresh.finished_at is not None:
            raise AnswerRefused("This attempt is finished.")
        marks = set(fresh.flagged)
        if flagged:
            marks.add(n)
        else:
            marks.discard(n)
        fresh.flagged = sorted(marks)
        fresh.save(update_fields=["flagged"])


def attempt_finish(*, attempt: Attempt, owner: Owner) -> Attempt:
    if not owner.owns(attempt):
        raise AnswerRefused("This attempt belongs to someone else.")
    with transaction.atomic():
        fresh = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if fresh.finished_at is None:
            # Partial credit counts; essays (self-rated) count neither way.
            earned = Response.objects.filter(attempt=fresh).aggregate(total=Sum("score"))
            graded = QuestionVersion.objects.filter(
                pk__in=fresh.version_ids, kind__in=GRADED_KINDS
            ).count()
            fresh.finished_at = timezone.now()
            if fresh.deadline and fresh.finished_at > fresh.deadline:
                fresh.finished_at = fresh.deadline
            fresh.score = (earned["total"] or 0) / graded if graded else None
            fresh.save(update_fields=["finished_at", "score"])
    return fresh


SELF_RATINGS = {"right": 1.0, "partly": 0.5, "wrong": 0.0}


def response_rate(*, attempt: Attempt, owner: Owner, question_id: int, rating: str) -> Response:
    """The learner's own verdict on an essay, after seeing the model answer. Kept in the
    answer, apart from the score: a self-rating is not a grade."""
    if not owner.owns(attempt):
        raise AnswerRefused("This attempt belongs to someone else.")
    if rating not in SELF_RATINGS:
        raise AnswerRefused("Rate your answer: right, partly or wrong.")
    with transaction.atomic():
        response = (
            Response.objects.select_for_update()
            .filter(attempt=attempt, question_id=question_id, version__kind=ESSAY)
            .first()
        )
        if response is None:
            raise AnswerRefused("Write your answer before rating it.")
        response.answer = {**response.answer, "rating": rating}
        response.save(update_fields=["answer"])
    return response


def attempts_claim(*, token: str, user_id: int) -> int:
    """Give an anonymous learner's attempts to the account they just logged in to."""
    if not token:
        return 0
    return Attempt.objects.filter(user=None, owner_token=token).update(
        user_id=user_id, owner_token=""
    )
