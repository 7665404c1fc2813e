"""A mock interview: open questions answered in the learner's words and self-rated
against the explainers' model answers, then a timed quick-fire round that is an ordinary
exam-mode Attempt of the quiz engine over questions from every published set."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from questions.models import OWNED, Attempt, one_per_learner


class InterviewSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    owner_token = models.CharField(max_length=64, blank=True, db_index=True)
    # The explainers whose "In an interview, say this" sections are the open questions.
    explainers = models.JSONField(default=list)
    # The quick-fire round's questions, chosen at the start (weighted to weak topics).
    version_ids = models.JSONField(default=list)
    time_limit = models.PositiveIntegerField(help_text="seconds, for the whole interview")
    started_at = models.DateTimeField(default=timezone.now)
    attempt = models.OneToOneField(
        Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="interview"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.CheckConstraint(condition=OWNED, name="interview_has_owner")]

    def __str__(self) -> str:
        return f"interview {self.pk}"

    @property
    def deadline(self):
        return self.started_at + timedelta(seconds=self.time_limit)


class OpenAnswer(models.Model):
    MISSED, PARTLY, NAILED = 1, 2, 3
    RATINGS = {MISSED: "I missed it", PARTLY: "I got part of it", NAILED: "I nailed it"}

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="answers")
    index = models.PositiveSmallIntegerField()
    text = models.TextField()
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(fields=["session", "index"], name="open_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.index}"


class ExplainerRead(models.Model):
    """An explainer the learner marked as read (by slug: explainers are files)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    owner_token = models.CharField(max_length=64, blank=True, db_index=True)
    slug = models.SlugField(max_length=200)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = one_per_learner(
            "slug", unique="explainer_read_once", owned="explainer_read_has_owner"
        )

    def __str__(self) -> str:
        return self.slug
