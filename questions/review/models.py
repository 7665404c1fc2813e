"""The review deck: one FSRS card per (learner, question), and bookmarks.

A learner is a user or an anonymous owner token (questions.views.learner()); both live in
the database, never in the session, so the deck survives signed-cookie sessions and is
carried to the account at login. Cards key on the question, not the version: a new
version keeps the card's history; a retired question drops out of every deck query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from questions.models import Question, one_per_learner


class ReviewCard(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    owner_token = models.CharField(max_length=64, blank=True)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    # fsrs.Card's fields, as columns so "what is due" is an indexed query.
    state = models.PositiveSmallIntegerField()
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)  # answers that were wrong
    last_correct = models.BooleanField(default=False)
    last_confidence = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "due"], name="reviewcard_user_due"),
            models.Index(fields=["owner_token", "due"], name="reviewcard_token_due"),
        ]
        constraints = one_per_learner(
            "question", unique="reviewcard_one", owned="reviewcard_has_owner"
        )

    def __str__(self) -> str:
        return f"card {self.question_id} due {self.due:%Y-%m-%d %H:%M}"


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    owner_token = models.CharField(max_length=64, blank=True, db_index=True)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = one_per_learner("question", unique="bookmark_one", owned="bookmark_has_owner")

    def __str__(self) -> str:
        return f"bookmark {self.question_id}"
