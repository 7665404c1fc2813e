"""Reads of live sessions: a fixed number of queries each, whatever the room's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from questions.formats.base import MULTIPLE, SINGLE, TRUE_FALSE
from questions.models import Attempt, Option, QuestionVersion, Response
from questions.selectors import owner_filter
from questions.services import Owner
from questions.teach.models import AssignmentAttempt

from .models import LiveSession

CHOICE_KINDS = (SINGLE, MULTIPLE, TRUE_FALSE)


def live_get(*, code: str) -> LiveSession | None:
    return (
        LiveSession.objects.select_related("assignment__question_set")
        .filter(assignment__code=code.upper())
        .first()
    )


def live_refetch(*, session: LiveSession) -> LiveSession:
    """The session's current state (a consumer holds an old copy between events)."""
    return LiveSession.objects.select_related("assignment__question_set").get(pk=session.pk)


def live_player(*, session: LiveSession, owner: Owner) -> AssignmentAttempt | None:
    if not owner.user_id and not owner.token:
        return None
    return (
        AssignmentAttempt.objects.filter(
            assignment_id=session.assignment_id,
            attempt__in=Attempt.objects.filter(owner_filter(owner)).values("pk"),
        )
        .select_related("attempt")
        .first()
    )


def live_player_names(*, session: LiveSession) -> list[str]:
    return list(
        AssignmentAttempt.objects.filter(assignment_id=session.assignment_id).values_list(
            "display_name", flat=True
        )
    )


def live_version(*, session: LiveSession) -> QuestionVersion | None:
    if session.current_version_id is None:
        return None
    return (
        QuestionVersion.objects.select_related("question")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
        .filter(pk=session.current_version_id)
        .first()
    )


def live_response(*, session: LiveSession, attempt_id: int) -> Response | None:
    if session.current_version_id is None:
        return None
    return Response.objects.filter(
        attempt_id=attempt_id, version_id=session.current_version_id
    ).first()


@dataclass
class Tally:
    players: int
    answered: int
    right: int
    # Per option in the room's display order: times picked (choice kinds only).
    picks: list[int]


def live_tally(*, session: LiveSession, version: QuestionVersion, order: list[int]) -> Tally:
    """How the room answered the current question, without names."""
    players = AssignmentAttempt.objects.filter(assignment_id=session.assignment_id).count()
    responses = list(
        Response.objects.filter(
            attempt__assignment_link__assignment_id=session.assignment_id, version=version
        ).values_list("answer", "correct")
    )
    picks = [0] * len(order) if version.kind in CHOICE_KINDS else []
    if picks:
        index_of = {position: index for index, position in enumerate(order)}
        for answer, _ in responses:
            for position in answer.get("choices", []):
                if position in index_of:
                    picks[index_of[position]] += 1
    return Tally(
        players=players,
        answered=len(responses),
        right=sum(1 for _, correct in responses if correct),
        picks=picks,
    )


@dataclass
class RankRow:
    place: int
    name: str
    attempt_id: int
    right: int
    answered: int
    seconds: float  # time spent on the right answers: the tie-break only


def live_ranking(*, session: LiveSession) -> list[RankRow]:
    """Accuracy first: most right answers among the questions asked. Time counts only
    between learners with the same number right, so guessing fast never pays."""
    asked = {int(pk): datetime.fromisoformat(at) for pk, at in session.started.items()}
    links = AssignmentAttempt.objects.filter(assignment_id=session.assignment_id)
    rows = {
        link.attempt_id: RankRow(0, link.display_name, link.attempt_id, 0, 0, 0.0) for link in links
    }
    responses = Response.objects.filter(attempt_id__in=rows, version_id__in=asked).values_list(
        "attempt_id", "version_id", "correct", "answered_at"
    )
    for attempt_id, version_id, correct, answered_at in responses:
        row = rows[attempt_id]
        row.answered += 1
        if correct:
            row.right += 1
            row.seconds += max(0.0, (answered_at - asked[version_id]).total_seconds())
    ranked = sorted(rows.values(), key=lambda r: (-r.right, r.seconds, r.name))
    place = 0
    for n, row in enumerate(ranked):
        if n == 0 or (row.right, row.seconds) != (ranked[n - 1].right, ranked[n - 1].seconds):
            place = n + 1
        row.place = place
    return ranked
