"""Assignments, the attempts made through them, learners' problem reports, and uploads
waiting for the instructor to confirm the preview."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from questions.models import Attempt, Question, QuestionSet, QuestionVersion

# No 0/O or 1/I: a code read aloud or copied from a projector survives.
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Assignment(models.Model):
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="assignments"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    title = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=10, choices=Attempt.MODE_CHOICES, default=Attempt.PRACTICE)
    time_limit = models.PositiveIntegerField(null=True, blank=True, help_text="seconds")
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    # Exam mode: the score at once, the answers and feedback only once the assignment
    # closes, so no one passes them on to classmates still taking it.
    release_answers_at_close = models.BooleanField(default=True)
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_join_code)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or f"{self.question_set} ({self.code})"

    def answers_withheld(self, now=None) -> str:
        """Why a finished attempt's answers are not shown yet, in the learner's words; ""
        when they are shown."""
        if self.mode != Attempt.EXAM or not self.release_answers_at_close:
            return ""
        if self.closes_at is None:
            return (
                "The answers and feedback are released when your instructor closes the assignment."
            )
        if (now or timezone.now()) < self.closes_at:
            return (
                "The answers and feedback are released when the assignment closes, at "
                f"{self.closes_at:%Y-%m-%d %H:%M} UTC."
            )
        return ""

    def refusal(self, now=None) -> str:
        """Why it cannot be taken now, in the learner's words; "" when it can."""
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return f"This assignment opens at {self.opens_at:%Y-%m-%d %H:%M} UTC."
        if self.closes_at and now >= self.closes_at:
            return f"This assignment closed at {self.closes_at:%Y-%m-%d %H:%M} UTC."
        return ""


class AssignmentAttempt(models.Model):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="assignment_attempts"
    )
    attempt = models.OneToOneField(
        Attempt, on_delete=models.CASCADE, related_name="assignment_link"
    )
    display_name = models.CharField(max_length=80)

    class Meta:
        ordering = ["attempt__started_at"]

    def __str__(self) -> str:
        return f"{self.display_name} in {self.assignment}"


class ProblemReport(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An anonymous reporter's owner token (the quiz engine's), so reports can be traced
    # to one session without an account.
    reporter_token = models.CharField(max_length=64, blank=True)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report on {self.question}: {self.text[:40]}"


class PendingUpload(models.Model):
    """An uploaded file between its preview and the instructor's confirmation. The text
    stays on the server: confirm re-parses exactly what was previewed (the hash proves
    it), so nothing the browser sends back can change what gets imported."""

    token = models.CharField(max_length=43, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    publish = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename
