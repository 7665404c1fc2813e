"""Reads. Every page's reads are a fixed number of queries, whatever the set's size:
related rows come through select_related / prefetch_related, never a loop of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery

from .cache import VERSIONS
from .formats.base import DESCRIPTION, ESSAY, ParsedOption, ParsedQuestion, ParsedSet
from .models import (
    OPTION_FIELDS,
    VERSION_FIELDS,
    Attempt,
    Option,
    Question,
    QuestionSet,
    QuestionVersion,
    Response,
)
from .prepared import Prepared
from .services import Owner


def owner_filter(owner: Owner) -> Q:
    if owner.user_id:
        return Q(user_id=owner.user_id)
    if owner.token:
        return Q(user=None, owner_token=owner.token)
    return Q(pk__in=[])


def _published_with_size():
    """Published sets, each annotated with `size`: how many questions a learner gets."""
    return QuestionSet.objects.filter(published=True).annotate(
        size=Count(
            "questions",
            filter=Q(questions__retired=False, questions__current_version__isnull=False)
            & ~Q(questions__current_version__kind=DESCRIPTION),
        )
    )


def questionsets_for_learner(*, owner: Owner) -> list[QuestionSet]:
    """Published sets, each with `size` and this learner's `best` score (or None)."""
    sets = list(_published_with_size())
    best: dict[int, float] = {}
    if owner.user_id or owner.token:  # a visitor with no attempts: nothing to look up
        best = dict(
            Attempt.objects.filter(owner_filter(owner), finished_at__isnull=False)
            .values("question_set")
            .annotate(best=Max("score"))
            .values_list("question_set", "best")
        )
    for question_set in sets:
        question_set.best = best.get(question_set.pk)
    return sets


def questionsets_by_topic(*, sets: list[QuestionSet]) -> list[tuple[str, list[QuestionSet]]]:
    """Group by the first tag (the topic); sets without tags go under "General"."""
    groups: dict[str, list[QuestionSet]] = defaultdict(list)
    for question_set in sets:
        groups[question_set.tags[0] if question_set.tags else "general"].append(question_set)
    return sorted(groups.items())


_SET_BY_SLUG = Prepared(lambda slug: _published_with_size().filter(slug=slug).order_by(), slug=str)


def questionset_get(*, slug: str) -> QuestionSet | None:
    """A published set with its `size`: prepared (questions.prepared), as a whole class
    opens and starts the same set at once."""
    return _SET_BY_SLUG.first(slug=slug)


def questionsets_by_slug(*, slugs: list[str]) -> list[QuestionSet]:
    """The published sets among `slugs`, in the order given (unknown or draft ones left out)."""
    found = {s.slug: s for s in _published_with_size().filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]


_ATTEMPT = Prepared(lambda pk: Attempt.objects.filter(pk=pk).order_by(), pk=int)


def attempt_get(*, pk: int) -> Attempt | None:
    """The attempt, with its set (kept in process beside the versions, questions.cache):
    a prepared query (questions.prepared), since every learner request reads it."""
    attempt = _ATTEMPT.first(pk=pk)
    if attempt is not None and attempt.question_set_id is not None:
        attempt.question_set = questionset_kept(pk=attempt.question_set_id)
    return attempt


def questionset_kept(*, pk: int) -> QuestionSet | None:
    """A set by primary key, kept in process until the content changes (questions.cache)."""
    return VERSIONS.get(("set", pk), lambda: QuestionSet.objects.filter(pk=pk).first())


def version_get(*, pk: int) -> QuestionVersion | None:
    """The version with its options, and `description`: the prompt of the nearest
    description item above its question ("" when none). A GIFT description introduces
    the questions after it, so each of their cards shows it, whatever order the attempt
    asks them in; a subquery, so a card costs no extra query for it. Kept in process
    (questions.cache): the object is shared, read it, do not change it."""
    return VERSIONS.get(pk, lambda: _version_load(pk))


def _version_load(pk: int) -> QuestionVersion | None:
    description = (
        Question.objects.filter(
            question_set_id=OuterRef("question__question_set_id"),
            position__lt=OuterRef("question__position"),
            retired=False,
            current_version__kind=DESCRIPTION,
        )
        .order_by("-position")
        .values("current_version__prompt")[:1]
    )
    return (
        QuestionVersion.objects.select_related("question__question_set")
        .annotate(description=Subquery(description))
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
        .filter(pk=pk)
        .first()
    )


@dataclass
class AttemptProgress:
    answered: int
    right: int
    response: Response | None  # the response to the question asked about, if any


_PROGRESS = Prepared(
    lambda attempt: (
        Response.objects.filter(attempt_id=attempt)
        .order_by()
        .values("attempt_id")
        .annotate(answered=Count("pk"), right=Count("pk", filter=Q(correct=True)))
        .values("answered", "right")
    ),
    attempt=int,
)
_RESPONSE = Prepared(
    lambda attempt, question: Response.objects.filter(
        attempt_id=attempt, question_id=question
    ).order_by(),
    attempt=int,
    question=int,
)


def attempt_progress(*, attempt: Attempt, question_id: int | None) -> AttemptProgress:
    """How far the attempt is (one query), and this question's response (a second one,
    once anything is answered). Prepared queries: every learner page reads them."""
    answered, right = _PROGRESS.row(attempt=attempt.pk) or (0, 0)
    response = None
    if question_id is not None and answered:
        response = _RESPONSE.first(attempt=attempt.pk, question=question_id)
    return AttemptProgress(answered, right, response)


@dataclass
class ExamStatus:
    """Where an attempt stands before finishing, by question number (1-based)."""

    answered: set[int]
    unanswered: list[int]
    flagged: list[int]

    def next_open(self, *, after: int) -> int | None:
        """The first unanswered question after `after`, else the first before it."""
        later = [n for n in self.unanswered if n > after]
        return (later or self.unanswered or [None])[0]


def attempt_exam_status(*, attempt: Attempt) -> ExamStatus:
    """One query: the versions answered, mapped to the numbers they were asked at."""
    done = set(Response.objects.filter(attempt=attempt).values_list("version_id", flat=True))
    numbered = list(enumerate(attempt.version_ids, start=1))
    answered = {n for n, pk in numbered if pk in done}
    return ExamStatus(
        answered=answered,
        unanswered=[n for n, _ in numbered if n not in answered],
        flagged=[n for n in attempt.flagged if n not in answered],
    )


REVIEW_FILTERS = ("all", "missed", "right")


@dataclass
class ReviewPage:
    """One page of an attempt's results: missed questions first, then the right ones."""

    rows: list[tuple[int, QuestionVersion, Response | None]]  # (number asked, version, response)
    right: int
    missed: int
    earned: float  # marks earned: partial credit adds up (2.5 of 4)
    graded: int  # questions the site grades: essays are self-rated, outside the score
    unanswered: int
    page: Page


def attempt_missed_version_ids(*, attempt: Attempt) -> list[int]:
    """The versions answered wrongly or not at all, in the attempt's order: one query."""
    right = set(
        Response.objects.filter(attempt=attempt, correct=True).values_list("version_id", flat=True)
    )
    return [pk for pk in attempt.version_ids if pk not in right and pk not in _essays(attempt)]


def _essays(attempt: Attempt) -> set[int]:
    """The attempt's essay versions: never right or missed, the learner rates them."""
    return set(
        QuestionVersion.objects.filter(pk__in=attempt.version_ids, kind=ESSAY).values_list(
            "pk", flat=True
        )
    )


def attempt_confidences(*, attempt: Attempt) -> list[tuple[int | None, bool]]:
    """(confidence, correct) of every answer, for the results page's calibration line."""
    return list(Response.objects.filter(attempt=attempt).values_list("confidence", "correct"))


def attempt_review_page(
    *, attempt: Attempt, show: str = "all", page: int | str = 1, per_page: int = 50
) -> ReviewPage:
    """A page of the results, whatever the set's size: the order is computed from a list
    of (version, correct) pairs, and only the page's questions and options are loaded
    (three queries)."""
    answered = Response.objects.filter(attempt=attempt).values_list(
        "version_id", "correct", "score"
    )
    correct = {pk: right for pk, right, _ in answered}
    # A response written without a score (by hand, in a script) is worth what it says.
    scores = {pk: float(right) if score is None else score for pk, right, score in answered}
    essays = _essays(attempt)
    numbered = list(enumerate(attempt.version_ids, start=1))
    missed = [(n, pk) for n, pk in numbered if not correct.get(pk) and pk not in essays]
    right = [(n, pk) for n, pk in numbered if correct.get(pk)]
    rated = [(n, pk) for n, pk in numbered if pk in essays]
    chosen = {"missed": missed, "right": right}.get(show, missed + right + rated)
    current = Paginator(chosen, per_page).get_page(page)
    wanted = [pk for _, pk in current.object_list]
    versions = {
        v.pk: v
        for v in QuestionVersion.objects.filter(pk__in=wanted)
        .select_related("question")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
    }
    responses = {
        r.version_id: r for r in Response.objects.filter(attempt=attempt, version_id__in=wanted)
    }
    rows = [(n, versions[pk], responses.get(pk)) for n, pk in current.object_list if pk in versions]
    return ReviewPage(
        rows=rows,
        right=len(right),
        missed=len(missed),
        earned=sum(scores.get(pk) or 0 for pk in attempt.version_ids if pk not in essays),
        graded=len(attempt.version_ids) - len(essays),
        unanswered=len(attempt.version_ids) - len(correct),
        page=current,
    )


def attempts_for_learner(*, owner: Owner, limit: int = 50) -> list[Attempt]:
    return list(
        Attempt.objects.filter(owner_filter(owner))
        .select_related("question_set")
        .annotate(
            answered=Count("responses"),
            right=Count("responses", filter=Q(responses__correct=True)),
        )[:limit]
    )


def _copy(value):
    return list(value) if isinstance(value, list) else value


def questions_current(*, question_set: QuestionSet) -> list[Question]:
    """The questions learners are asked now, in order, with their current version's options."""
    return list(
        Question.objects.filter(question_set=question_set, retired=False)
        .exclude(current_version=None)
        .select_related("current_version")
        .prefetch_related(
            Prefetch("current_version__options", queryset=Option.objects.order_by("position"))
        )
        .order_by("position")
    )


def questionset_to_parsed(*, question_set: QuestionSet) -> ParsedSet:
    """The set as the formats see it, for export: current versions, file order."""
    questions = questions_current(question_set=question_set)
    return ParsedSet(
        slug=question_set.slug,
        title=question_set.title,
        description=question_set.description,
        tags=list(question_set.tags),
        difficulty=question_set.difficulty,
        explainer=question_set.explainer,
        format=question_set.source_format,
        questions=[
            ParsedQuestion(
                id=q.stable_id,
                **{name: _copy(getattr(v, name)) for name in VERSION_FIELDS},
                options=[
                    ParsedOption(**{name: getattr(o, name) for name in OPTION_FIELDS})
                    for o in v.options.all()
                ],
            )
            for q in questions
            for v in [q.current_version]
        ],
    )


def content_stamp() -> tuple:
    """A value that changes whenever what learners can see of the sets may have changed:
    a set added, removed, saved or (un)published, a question added, retired or given a
    new version. Bulk writes send no signals, so caches compare this instead; a raw
    UPDATE of a set that leaves `updated_at` alone is the one change it cannot see."""
    sets = QuestionSet.objects.aggregate(
        n=Count("id"), changed=Max("updated_at"), published=Count("id", filter=Q(published=True))
    )
    questions = Question.objects.aggregate(
        n=Count("id"), retired=Count("id", filter=Q(retired=True)), latest=Max("current_version")
    )
    return (*sets.values(), *questions.values())
