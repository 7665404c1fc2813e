"""Question sets, versioned questions, attempts and responses.

A question is a stable id inside a set; what learners see is one of its versions. An
edit makes a new version, so a response always points at the exact text it answered.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .formats.base import DIFFICULTIES, KINDS

DIFFICULTY_CHOICES = [(d, d.capitalize()) for d in DIFFICULTIES]
KIND_CHOICES = [
    (k, label)
    for k, label in zip(
        KINDS,
        [
            "Single choice",
            "Select all that apply",
            "True or false",
            "Short answer",
            "Ordering",
            "Numerical",
            "Matching",
            "Essay (self-rated)",
            "Description (not a question)",
        ],
        strict=True,
    )
]


# Fields a QuestionVersion and an Option share with ParsedQuestion / ParsedOption, so the
# importer and the exporter copy them by name in one place.
VERSION_FIELDS = ("kind", "title", "prompt", "explanation", "difficulty", "tags", "explainer")
OPTION_FIELDS = ("text", "correct", "feedback", "weight", "match")


# A learner is a user or an anonymous owner token (questions.views.learner()): every row
# that belongs to a learner has one or the other.
OWNED = models.Q(user__isnull=False) | ~models.Q(owner_token="")


def one_per_learner(field: str, *, unique: str, owned: str) -> list[models.BaseConstraint]:
    """At most one row per learner and `field` (one constraint for users, one for owner
    tokens, named `<unique>_per_user` and `<unique>_per_token`), and none without a
    learner (named `owned`)."""
    return [
        models.UniqueConstraint(
            fields=["user", field],
            condition=models.Q(user__isnull=False),
            name=f"{unique}_per_user",
        ),
        models.UniqueConstraint(
            fields=["owner_token", field],
            condition=~models.Q(owner_token=""),
            name=f"{unique}_per_token",
        ),
        models.CheckConstraint(condition=OWNED, name=owned),
    ]


class QuestionSet(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    difficulty = models.CharField(max_length=20, choices=DIFFICULTY_CHOICES, default="intermediate")
    explainer = models.CharField(max_length=200, blank=True, help_text="slug of the explainer")
    # Drafts are hidden from learners (the instructor tools preview them).
    published = models.BooleanField(default=True)
    # Archived: hidden from learners and put aside on /teach/, every answer kept.
    archived_at = models.DateTimeField(null=True, blank=True)
    source_format = models.CharField(max_length=10, blank=True)
    source_path = models.CharField(max_length=500, blank=True)
    # Who may change it (questions.teach.permissions.questionset_can_edit): its owner,
    # the editors they name, and staff. No owner: the site's own content, staff only.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_questionsets",
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="edited_questionsets"
    )
    # Changed through the site (an upload, the admin) since `load_content` last wrote it
    # from content/: load_content then leaves it alone and says so.
    edited_on_site = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    stable_id = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    # Removed from the file: kept (old responses point at its versions) but not asked.
    retired = models.BooleanField(default=False)
    current_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "stable_id"], name="question_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.question_set.slug}#{self.stable_id}"


class QuestionVersion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    title = models.CharField(max_length=300)
    prompt = models.TextField()  # Markdown
    explanation = models.TextField(blank=True)  # Markdown
    # Blank inherits the set's difficulty (kept blank so an export says what the file said).
    difficulty = models.CharField(max_length=20, choices=DIFFICULTY_CHOICES, blank=True)
    tags = models.JSONField(default=list, blank=True)
    explainer = models.CharField(max_length=200, blank=True, help_text="slug or slug#anchor")
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"


class Option(models.Model):
    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField()  # for ordering questions: the right order
    text = models.TextField()  # Markdown
    correct = models.BooleanField(default=False)
    feedback = models.TextField(blank=True)  # Markdown
    weight = models.FloatField(null=True, blank=True)  # GIFT weight in percent
    match = models.TextField(blank=True)  # matching questions: what `text` goes with

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.text[:60]


class Attempt(models.Model):
    PRACTICE = "practice"
    EXAM = "exam"
    # A review session (questions.review) asks due cards from every set: it has no set.
    REVIEW = "review"
    MODE_CHOICES = [(PRACTICE, "Practice"), (EXAM, "Exam")]

    question_set = models.ForeignKey(
        QuestionSet, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    # An anonymous learner's owner token, kept in the session data (it survives the
    # session-key change at login, so the attempts can be carried over).
    owner_token = models.CharField(max_length=64, blank=True, db_index=True)
    mode = models.CharField(
        max_length=10, choices=[*MODE_CHOICES, (REVIEW, "Review")], default=PRACTICE
    )
    time_limit = models.PositiveIntegerField(null=True, blank=True, help_text="seconds")
    seed = models.BigIntegerField()
    # The versions asked, in the shuffled order: fixed at the start, so a reload, or a
    # re-import in the middle of an attempt, never changes what this learner sees.
    version_ids = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)  # 0..1 once finished
    # A retry of the questions missed in another attempt (labelled so on its pages).
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    # Exam mode: question numbers (1-based) the learner flagged to look at again.
    flagged = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.CheckConstraint(condition=OWNED, name="attempt_has_owner")]

    def __str__(self) -> str:
        return f"{self.title} attempt {self.pk}"

    @property
    def title(self) -> str:
        if self.question_set_id:
            return self.question_set.title
        return "Review deck" if self.mode == self.REVIEW else "Mixed questions"

    @property
    def deadline(self):
        if not self.time_limit:
            return None
        return self.started_at + timedelta(seconds=self.time_limit)

    def is_over_time(self, now=None) -> bool:
        deadline = self.deadline
        return deadline is not None and (now or timezone.now()) > deadline


class Response(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="responses")
    # Option positions chosen (in the question's own order), or the typed text.
    answer = models.JSONField()
    correct = models.BooleanField()
    # How sure the learner said they were (questions.confidence), if asked.
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    # The fraction of the marks earned, 0..1 (partial credit); None for an essay, which
    # the learner rates against the model answer and the site never grades.
    score = models.FloatField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            # A double submit, a refresh or the back button can never record twice.
            models.UniqueConstraint(fields=["attempt", "question"], name="response_once")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.question_id} {'right' if self.correct else 'wrong'}"
