"""Reads of the mock interview."""

from __future__ import annotations

from questions.models import QuestionVersion, Response
from questions.selectors import owner_filter
from questions.services import Owner

from .models import ExplainerRead, InterviewSession


def session_get(*, pk: int, owner: Owner) -> InterviewSession | None:
    if not (owner.user_id or owner.token):
        return None
    return (
        InterviewSession.objects.filter(owner_filter(owner), pk=pk)
        .select_related("attempt")
        .prefetch_related("answers")
        .first()
    )


def session_for_attempt(*, attempt_id: int, owner: Owner) -> InterviewSession | None:
    if not (owner.user_id or owner.token):
        return None
    return InterviewSession.objects.filter(owner_filter(owner), attempt__pk=attempt_id).first()


def quickfire_missed(*, session: InterviewSession) -> list[QuestionVersion]:
    """The quick-fire questions answered wrong or left unanswered, once it is finished."""
    attempt = session.attempt
    if attempt is None or attempt.finished_at is None:
        return []
    right = set(
        Response.objects.filter(attempt=attempt, correct=True).values_list("version_id", flat=True)
    )
    return list(
        QuestionVersion.objects.filter(pk__in=attempt.version_ids)
        .exclude(pk__in=right)
        .select_related("question__question_set")
    )


def explainers_read(*, owner: Owner) -> set[str]:
    if not (owner.user_id or owner.token):
        return set()
    return set(ExplainerRead.objects.filter(owner_filter(owner)).values_list("slug", flat=True))
