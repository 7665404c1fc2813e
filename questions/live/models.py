"""A live session: an instructor runs a set in front of a room, one question at a time.

Everything the room sees is derived from this row (and the responses), never from a
consumer's memory: a reloaded page, a phone that lost its connection, or a WebSocket
served by another worker process reads the same state. A learner in a session is an
Attempt joined to the session's Assignment, so results and item analysis read live
sessions with the code they already have, and the Response table's unique
(attempt, question) constraint records each answer once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from questions.teach.models import Assignment


class LiveSession(models.Model):
    LOBBY = "lobby"
    QUESTION = "question"  # the current question takes answers (unless paused or over time)
    REVEAL = "reveal"  # the current question's answer and feedback are shown
    RANKING = "ranking"  # the ranking after the current question
    ENDED = "ended"
    PHASES = [
        (LOBBY, "Lobby"),
        (QUESTION, "Question"),
        (REVEAL, "Reveal"),
        (RANKING, "Ranking"),
        (ENDED, "Ended"),
    ]

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="live_session"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_sessions"
    )
    # The questions this session can run, in the set's order, fixed at creation.
    version_ids = models.JSONField(default=list)
    # One option order for the whole room, so the projected histogram's A, B, C match
    # every phone.
    seed = models.BigIntegerField()
    phase = models.CharField(max_length=10, choices=PHASES, default=LOBBY)
    index = models.IntegerField(default=-1)  # into version_ids; -1 in the lobby
    # version id -> ISO time it was started: a response's time counts from here, and
    # only started questions count in the results (skipped ones were never asked).
    started = models.JSONField(default=dict)
    deadline = models.DateTimeField(null=True, blank=True)  # the countdown's end
    paused = models.BooleanField(default=False)
    paused_left = models.FloatField(null=True, blank=True)  # countdown seconds left
    # Bumped on every change of state: a polling learner asks "anything after N?".
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Live {self.code}"

    @property
    def code(self) -> str:
        return self.assignment.code

    @property
    def current_version_id(self) -> int | None:
        if 0 <= self.index < len(self.version_ids):
            return self.version_ids[self.index]
        return None

    @property
    def is_last(self) -> bool:
        return self.index >= len(self.version_ids) - 1

    def accepting(self, now=None) -> str:
        """Why an answer cannot be taken now, in the learner's words; "" when it can."""
        if self.phase != self.QUESTION:
            return "This question is closed."
        if self.paused:
            return "The session is paused: answer when it goes on."
        if self.deadline and (now or timezone.now()) > self.deadline:
            return "Time is up for this question."
        return ""
