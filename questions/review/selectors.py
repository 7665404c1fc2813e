"""Reads of the review deck. The deck is every card whose question is still asked: not
retired, with a current version, in a published set. Each read is one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, When
from django.utils import timezone

from questions.confidence import SURE
from questions.models import Attempt, Option, Question, QuestionSet, QuestionVersion, Response
from questions.prepared import Prepared
from questions.selectors import owner_filter
from questions.services import Owner

from .mastery import TopicMastery, mastery_of
from .models import Bookmark, ReviewCard

ASKED = Q(
    question__retired=False,
    question__current_version__isnull=False,
    question__question_set__published=True,
)


def deck(*, owner: Owner) -> QuerySet[ReviewCard]:
    return ReviewCard.objects.filter(owner_filter(owner), ASKED)


def _due(owner: Callable[[Any], Owner], kind: type) -> Prepared:
    return Prepared(
        lambda now, who: deck(owner=owner(who)).filter(due__lte=now).order_by().values("pk"),
        now=datetime,
        who=kind,
    )


# The nav's count runs on every learner page: prepared (questions.prepared), one per
# kind of owner (owner_filter's two shapes).
_DUE_BY_USER = _due(lambda user_id: Owner(user_id, ""), int)
_DUE_BY_TOKEN = _due(lambda token: Owner(None, token), str)


def due_count(*, owner: Owner, now: datetime | None = None) -> int:
    """The nav's N: one count on the (owner, due) index."""
    if not owner.user_id and not owner.token:
        return 0
    prepared, who = (_DUE_BY_USER, owner.user_id) if owner.user_id else (_DUE_BY_TOKEN, owner.token)
    return prepared.count(now=now or timezone.now(), who=who)


def due_version_ids(*, owner: Owner, limit: int, now: datetime | None = None) -> list[int]:
    """The current versions of the due cards: an answer that was wrong while sure first
    (a misconception is the most urgent thing to fix), then the most overdue."""
    urgent = Case(
        When(last_correct=False, last_confidence=SURE, then=1),
        default=0,
        output_field=IntegerField(),
    )
    return list(
        deck(owner=owner)
        .filter(due__lte=now or timezone.now())
        .annotate(urgent=urgent)
        .order_by("-urgent", "due", "pk")
        .values_list("question__current_version_id", flat=True)[:limit]
    )


def bookmarked(*, owner: Owner) -> QuerySet[Bookmark]:
    return Bookmark.objects.filter(owner_filter(owner), ASKED)


def bookmarked_version_ids(*, owner: Owner, limit: int) -> list[int]:
    return list(
        bookmarked(owner=owner).values_list("question__current_version_id", flat=True)[:limit]
    )


def bookmark_exists(*, owner: Owner, question_id: int) -> bool:
    if not (owner.user_id or owner.token):
        return False
    return Bookmark.objects.filter(owner_filter(owner), question_id=question_id).exists()


def deck_summary(*, owner: Owner, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    cards = deck(owner=owner)
    upcoming = cards.filter(due__gt=now).order_by("due").values_list("due", flat=True).first()
    return {
        "due": cards.filter(due__lte=now).count(),
        "cards": cards.count(),
        "next_due": upcoming,
        "bookmarks": list(
            bookmarked(owner=owner).select_related(
                "question__current_version", "question__question_set"
            )
        ),
    }


def topics_mastery(*, owner: Owner) -> list[tuple[TopicMastery, QuestionSet]]:
    """Every topic of the published sets with the learner's mastery of it, and a set of
    that topic to practise; two queries."""
    sets = list(QuestionSet.objects.filter(published=True).order_by("title"))
    first_set: dict[str, QuestionSet] = {}
    for question_set in sets:
        first_set.setdefault(question_set.tags[0] if question_set.tags else "general", question_set)
    answers: dict[str, list] = defaultdict(list)
    if owner.user_id or owner.token:
        rows = Response.objects.filter(
            attempt__in=_attempts(owner), question__question_set__published=True
        ).values_list("question__question_set__tags", "answered_at", "correct")
        for tags, answered_at, correct in rows:
            answers[tags[0] if tags else "general"].append((answered_at, correct))
    return [
        (mastery_of(topic=topic, answers=answers.get(topic, [])), question_set)
        for topic, question_set in sorted(first_set.items())
    ]


def _attempts(owner: Owner):
    return Attempt.objects.filter(owner_filter(owner)).values("pk")


def questions_search(*, text: str, limit: int = 30) -> list[QuestionVersion]:
    """Current versions of asked questions whose title or prompt contains the text. The
    results show titles and prompts only: options (and so answers) are never loaded."""
    text = text.strip()
    if len(text) < 2:
        return []
    return list(
        QuestionVersion.objects.filter(
            Q(title__icontains=text) | Q(prompt__icontains=text),
            question__current_version=F("pk"),
            question__retired=False,
            question__question_set__published=True,
        )
        .select_related("question__question_set")
        .order_by("question__question_set__title", "question__position")[:limit]
    )


def _with_options(queryset):
    return queryset.select_related("question__question_set").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position"))
    )


def mistakes_versions(*, owner: Owner) -> list[QuestionVersion]:
    """Current versions of the asked questions this learner has answered wrong."""
    if not (owner.user_id or owner.token):
        return []
    missed = Response.objects.filter(attempt__in=_attempts(owner), correct=False).values(
        "question_id"
    )
    return list(
        _with_options(
            QuestionVersion.objects.filter(
                question__in=missed,
                question__current_version=F("pk"),
                question__retired=False,
                question__question_set__published=True,
            ).order_by("question__question_set__title", "question__position")
        )
    )


def taken_set_versions(*, owner: Owner, slug: str) -> list[QuestionVersion] | None:
    """A published set's current questions, if this learner has finished an attempt of it
    (its results page has shown every answer already); None otherwise."""
    if not (owner.user_id or owner.token):
        return None
    taken = Attempt.objects.filter(
        owner_filter(owner),
        question_set__slug=slug,
        question_set__published=True,
        finished_at__isnull=False,
    ).exists()
    if not taken:
        return None
    return list(
        _with_options(
            QuestionVersion.objects.filter(
                question__question_set__slug=slug,
                question__current_version=F("pk"),
                question__retired=False,
            ).order_by("question__position")
        )
    )


LEECH_LAPSES = 4  # a card missed this often has become a leech (Anki's default is 8)


def questionset_struggles(*, question_set: QuestionSet) -> list[dict]:
    """For instructors: per question, how many learners' cards are leeches, and how many
    answers were wrong while sure (a misconception to teach). Two queries; only questions
    with either, most affected first."""
    leeches = dict(
        ReviewCard.objects.filter(question__question_set=question_set, lapses__gte=LEECH_LAPSES)
        .values("question")
        .annotate(n=Count("pk"))
        .values_list("question", "n")
    )
    sure_wrong = dict(
        Response.objects.filter(question__question_set=question_set, correct=False, confidence=SURE)
        .values("question")
        .annotate(n=Count("pk"))
        .values_list("question", "n")
    )
    ids = set(leeches) | set(sure_wrong)
    questions = Question.objects.filter(pk__in=ids).select_related("current_version")
    rows = [
        {
            "question": q,
            "leeches": leeches.get(q.pk, 0),
            "sure_wrong": sure_wrong.get(q.pk, 0),
        }
        for q in questions
    ]
    return sorted(rows, key=lambda r: (-(r["leeches"] + r["sure_wrong"]), r["question"].position))
