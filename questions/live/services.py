"""Writes of live sessions: create, join, the host's actions, answers, the end.

Each is one short transaction in a sync function (consumers and async views call them
through database_sync_to_async / sync_to_async). The host's actions lock the session
row, so two clicks, or two hosts' tabs, cannot both move the session on.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from questions import grading
from questions.formats.base import MULTIPLE, ORDER, SHORT, SINGLE, TRUE_FALSE
from questions.models import Attempt, QuestionSet, QuestionVersion, Response
from questions.selectors import owner_filter, questions_current
from questions.services import Owner
from questions.teach.models import AssignmentAttempt
from questions.teach.services import assignment_create

from .models import LiveSession

# Kinds a room can answer on a phone in one go. Any other kind (an essay, say) is left
# out of the session, and the host is told which and why.
LIVE_KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, SHORT, ORDER)
COUNTDOWNS = (0, 10, 20, 30, 60, 120)  # seconds; 0: no countdown
# A phone's answer travels a little after the countdown reaches 0 on its screen.
GRACE = timedelta(seconds=1)


class LiveRefused(Exception):
    """The session cannot do this now; the message says why, in the reader's words."""


def live_create(*, host_id: int, question_set: QuestionSet) -> tuple[LiveSession, list[str]]:
    """A new session on the set's current questions. Returns it and the titles of the
    questions left out because their kind cannot run live."""
    questions = questions_current(question_set=question_set)
    runnable = [q for q in questions if q.current_version.kind in LIVE_KINDS]
    left_out = [
        f"{q.current_version.title} ({q.current_version.get_kind_display()})"
        for q in questions
        if q.current_version.kind not in LIVE_KINDS
    ]
    if not runnable:
        raise LiveRefused("This set has no questions that can run live.")
    now = timezone.now()
    with transaction.atomic():
        # Closed from the start: learners join live sessions at /live/, not at /join/.
        assignment = assignment_create(
            owner_id=host_id,
            question_set=question_set,
            title=f"Live: {question_set.title}, {now:%Y-%m-%d %H:%M} UTC",
            closes_at=now,
        )
        session = LiveSession.objects.create(
            assignment=assignment,
            host_id=host_id,
            version_ids=[q.current_version_id for q in runnable],
            seed=secrets.randbits(48),
        )
    return session, left_out


def live_join(*, session: LiveSession, owner: Owner, display_name: str) -> AssignmentAttempt:
    """Join once: a second join (a reload, a second tab) returns the same player."""
    if session.phase == LiveSession.ENDED:
        raise LiveRefused("This live session has ended.")
    with transaction.atomic():
        mine = Attempt.objects.filter(
            owner_filter(owner), assignment_link__assignment_id=session.assignment_id
        )
        if (attempt := mine.first()) is not None:
            return attempt.assignment_link
        attempt = Attempt.objects.create(
            question_set_id=session.assignment.question_set_id,
            user_id=owner.user_id,
            owner_token="" if owner.user_id else owner.token,
            mode=Attempt.PRACTICE,
            seed=session.seed,
            version_ids=session.version_ids,
        )
        return AssignmentAttempt.objects.create(
            assignment_id=session.assignment_id, attempt=attempt, display_name=display_name[:80]
        )


def live_action(
    *, session_id: int, user_id: int | None, action: str, seconds: int = 0
) -> LiveSession:
    """The host moves the session on. Raises LiveRefused for anyone but the host, and
    for an action that makes no sense in the current phase."""
    now = timezone.now()
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session_id)
        if user_id is None or session.host_id != user_id:
            raise LiveRefused("Only the host of this session can run it.")
        phase = session.phase
        if action in ("start", "next"):
            if phase not in (LiveSession.LOBBY, LiveSession.REVEAL, LiveSession.RANKING):
                raise LiveRefused("Reveal the current question before going on.")
            if session.is_last:
                raise LiveRefused("That was the last question: end the session.")
            _open(session, session.index + 1, now, seconds)
        elif action == "skip":
            if phase != LiveSession.QUESTION:
                raise LiveRefused("Only an open question can be skipped.")
            # A skipped question was never really asked: it leaves the results.
            session.started.pop(str(session.current_version_id), None)
            if session.is_last:
                _end(session, now)
            else:
                _open(session, session.index + 1, now, seconds)
        elif action == "reveal":
            if phase != LiveSession.QUESTION:
                raise LiveRefused("There is no open question to reveal.")
            session.phase, session.paused, session.paused_left = LiveSession.REVEAL, False, None
        elif action == "ranking":
            if phase != LiveSession.REVEAL:
                raise LiveRefused("Reveal the answer before showing the ranking.")
            session.phase = LiveSession.RANKING
        elif action == "pause":
            if phase != LiveSession.QUESTION or session.paused:
                raise LiveRefused("Only an open question can be paused.")
            session.paused = True
            if session.deadline:
                session.paused_left = max(0.0, (session.deadline - now).total_seconds())
        elif action == "resume":
            if not session.paused:
                raise LiveRefused("The session is not paused.")
            session.paused = False
            if session.paused_left is not None:
                session.deadline = now + timedelta(seconds=session.paused_left)
            session.paused_left = None
        elif action == "end":
            if phase == LiveSession.ENDED:
                raise LiveRefused("This live session has already ended.")
            _end(session, now)
        else:
            raise LiveRefused(f"Unknown action {action!r}.")
        session.revision += 1
        session.save()
    return session


def _open(session: LiveSession, index: int, now, seconds: int) -> None:
    session.index, session.phase = index, LiveSession.QUESTION
    session.paused, session.paused_left = False, None
    seconds = seconds if seconds in COUNTDOWNS else 0
    session.deadline = now + timedelta(seconds=seconds) + GRACE if seconds else None
    session.started[str(session.current_version_id)] = now.isoformat()


def _end(session: LiveSession, now) -> None:
    """Close the session and every learner's attempt, so the results table and the item
    analysis count them as finished attempts at exactly the questions asked."""
    session.phase, session.ended_at, session.paused = LiveSession.ENDED, now, False
    asked = [pk for pk in session.version_ids if str(pk) in session.started]
    attempts = list(Attempt.objects.filter(assignment_link__assignment_id=session.assignment_id))
    right = dict.fromkeys((a.pk for a in attempts), 0)
    for attempt_id in Response.objects.filter(
        attempt__in=attempts, version_id__in=asked, correct=True
    ).values_list("attempt_id", flat=True):
        right[attempt_id] += 1
    for attempt in attempts:
        attempt.version_ids = asked
        attempt.finished_at = now
        attempt.score = right[attempt.pk] / len(asked) if asked else 0.0
    Attempt.objects.bulk_update(attempts, ["version_ids", "finished_at", "score"])


def live_answer(*, session: LiveSession, attempt: Attempt, data) -> Response:
    """Grade and record one answer to the current question. `data` has .get/.getlist,
    like request.POST. The unique (attempt, question) constraint is what makes it once:
    two taps, two tabs or a retried WebSocket message race to it and one wins."""
    fresh = LiveSession.objects.get(pk=session.pk)
    if refusal := fresh.accepting():
        raise LiveRefused(refusal)
    version = (
        QuestionVersion.objects.prefetch_related("options").filter(pk=fresh.current_version_id)
    ).first()
    if version is None:
        raise LiveRefused("This question no longer exists.")
    try:
        answer = grading.answer_from_form(version=version, seed=fresh.seed, data=data)
    except grading.AnswerInvalid as exc:
        raise LiveRefused(str(exc)) from None
    try:
        with transaction.atomic():
            # Checked again under the session's row lock, which the host's actions take
            # too: an answer lands wholly before a reveal or is refused, never between.
            locked = LiveSession.objects.select_for_update().get(pk=session.pk)
            if locked.current_version_id != version.pk or (refusal := locked.accepting()):
                raise LiveRefused(refusal or "This question is closed.")
            return Response.objects.create(
                attempt=attempt,
                question_id=version.question_id,
                version=version,
                answer=answer,
                correct=grading.grade(version=version, answer=answer),
            )
    except IntegrityError:
        raise LiveRefused("You have already answered this question.") from None
