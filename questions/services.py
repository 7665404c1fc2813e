"""Writes: importing question sets, starting, answering and finishing attempts.

Every write is one short transaction in a sync function; async views call these through
sync_to_async (Django has no async transactions).
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from . import grading
from .confidence import confidence_from_form
from .formats.base import DESCRIPTION, ESSAY, GRADED_KINDS, ParsedQuestion, ParsedSet
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


# --- Import ---------------------------------------------------------------------------
@dataclass
class ImportReport:
    slug: str
    dry_run: bool
    new_set: bool = False
    set_changed: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # a new version was (or would be) made
    removed: list[str] = field(default_factory=list)  # retired, not deleted
    unchanged: list[str] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        return self.new_set or self.set_changed or bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        if not self.writes:
            return f"{self.slug}: unchanged ({len(self.unchanged)} questions)"
        return (
            f"{self.slug}: {verb}{' (new set)' if self.new_set else ''}: "
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed, {len(self.unchanged)} unchanged"
        )


SET_FIELDS = ("title", "description", "tags", "difficulty", "explainer")


def question_hash(question: ParsedQuestion) -> str:
    """What a learner sees of a question; equal hashes mean no new version is needed."""
    data = asdict(question)
    data.pop("line")
    data.pop("id")
    data.pop("explicit_id")
    for option in data["options"]:
        option.pop("line")
        if not option["match"]:  # hashes made before matching questions stay valid
            option.pop("match")
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def questionset_import(
    *,
    parsed: ParsedSet,
    dry_run: bool = False,
    published: bool | None = None,
    retire: bool = True,
) -> ImportReport:
    """Bring the database in line with a parsed set, matching questions by stable id.
    With dry_run nothing is written and the report says what would change. Without
    `retire`, questions missing from the file stay as they are (a partial import)."""
    if dry_run:
        return _plan(parsed, dry_run=True, retire=retire)[0]
    with transaction.atomic():
        report, question_set, existing = _plan(parsed, dry_run=False, retire=retire)
        _apply(parsed, report, question_set, existing, published)
    return report


def _plan(parsed: ParsedSet, *, dry_run: bool, retire: bool = True):
    report = ImportReport(slug=parsed.slug, dry_run=dry_run)
    question_set = QuestionSet.objects.filter(slug=parsed.slug).first()
    existing: dict[str, Question] = {}
    if question_set is None:
        report.new_set = True
    else:
        report.set_changed = any(
            getattr(question_set, name) != getattr(parsed, name) for name in SET_FIELDS
        )
        existing = {
            q.stable_id: q for q in question_set.questions.select_related("current_version")
        }
    seen = set()
    for position, q in enumerate(parsed.questions):
        seen.add(q.id)
        old = existing.get(q.id)
        if old is None:
            report.added.append(q.id)
        elif (
            old.retired
            or old.current_version is None
            or old.current_version.content_hash != question_hash(q)
        ):
            report.changed.append(q.id)
        elif old.position != position:
            report.set_changed = True
            report.unchanged.append(q.id)
        else:
            report.unchanged.append(q.id)
    if retire:
        report.removed = [sid for sid, q in existing.items() if sid not in seen and not q.retired]
    return report, question_set, existing


def _apply(parsed, report, question_set, existing, published) -> None:
    values = {name: getattr(parsed, name) for name in SET_FIELDS}
    values.update(source_format=parsed.format, source_path=parsed.path)
    if question_set is None:
        question_set = QuestionSet.objects.create(
            slug=parsed.slug, published=True if published is None else published, **values
        )
    elif report.set_changed or published is not None:
        for name, value in values.items():
            setattr(question_set, name, value)
        if published is not None:
            question_set.published = published
        question_set.save()
    to_version = set(report.added) | set(report.changed)
    for position, q in enumerate(parsed.questions):
        question = existing.get(q.id)
        if question is None:
            question = Question.objects.create(
                question_set=question_set, stable_id=q.id, position=position
            )
        elif question.position != position or question.retired:
            question.position, question.retired = position, False
            question.save(update_fields=["position", "retired"])
        if q.id in to_version:
            _new_version(question, q)
    if report.removed:
        Question.objects.filter(question_set=question_set, stable_id__in=report.removed).update(
            retired=True
        )


def _new_version(question: Question, q: ParsedQuestion) -> None:
    latest = question.versions.aggregate(latest=Max("number"))["latest"] or 0
    number = latest + 1
    version = QuestionVersion.objects.create(
        question=question,
        number=number,
        content_hash=question_hash(q),
        **{name: getattr(q, name) for name in VERSION_FIELDS},
    )
    Option.objects.bulk_create(
        Option(version=version, position=n, **{name: getattr(o, name) for name in OPTION_FIELDS})
        for n, o in enumerate(q.options)
    )
    question.current_version = version
    question.save(update_fields=["current_version"])


# --- Attempts -------------------------------------------------------------------------
class AnswerRefused(Exception):
    """The answer cannot be recorded; the message says why, in the learner's words."""


class OutOfOrder(AnswerRefused):
    """An answer to a question further on than the learner has reached."""


@dataclass(frozen=True)
class Owner:
    user_id: int | None
    token: str

    def owns(self, attempt: Attempt) -> bool:
        if attempt.user_id is not None:
            return attempt.user_id == self.user_id
        return bool(self.token) and attempt.owner_token == self.token


def attempt_start(
    *,
    question_set: QuestionSet,
    owner: Owner,
    mode: str = Attempt.PRACTICE,
    time_limit: int | None = None,
    only_version_ids: list[int] | None = None,
    retry_of: Attempt | None = None,
) -> Attempt:
    versions = list(
        Question.objects.filter(question_set=question_set, retired=False)
        .exclude(current_version=None)
        .exclude(current_version__kind=DESCRIPTION)  # shown with the questions after it
        .order_by("position")
        .values_list("current_version_id", flat=True)
    )
    if only_version_ids is not None:
        # Retrying the missed ones: the current version of each missed question.
        wanted = set(
            QuestionVersion.objects.filter(pk__in=only_version_ids).values_list(
                "question__current_version_id", flat=True
            )
        )
        versions = [v for v in versions if v in wanted]
    seed = secrets.randbits(48)
    random.Random(seed).shuffle(versions)
    return Attempt.objects.create(
        question_set=question_set,
        user_id=owner.user_id,
        owner_token="" if owner.user_id else owner.token,
        mode=mode if mode in (Attempt.PRACTICE, Attempt.EXAM) else Attempt.PRACTICE,
        time_limit=time_limit if mode == Attempt.EXAM and time_limit else None,
        seed=seed,
        version_ids=versions,
        retry_of=retry_of,
    )


def attempt_answer(
    *, attempt: Attempt, owner: Owner, index: int, version: QuestionVersion, data
) -> Response:
    """Grade and record one answer. `attempt` and `version` are read beforehand (outside
    the transaction) so the write lock is held only for the checks that must be atomic
    and the insert."""
    if not owner.owns(attempt):
        raise AnswerRefused("This attempt belongs to someone else.")
    answer = grading.answer_from_form(version=version, seed=attempt.seed, data=data)
    score = grading.grade(version=version, answer=answer)
    confidence = confidence_from_form(data=data, required=attempt.mode == Attempt.REVIEW)
    now = timezone.now()
    try:
        with transaction.atomic():
            fresh = Attempt.objects.select_for_update().get(pk=attempt.pk)
            if fresh.finished_at is not None:
                raise AnswerRefused("This attempt is finished: answers can no longer change.")
            if fresh.is_over_time(now):
                raise AnswerRefused("Time is up: this answer came after the time limit.")
            if fresh.mode == Attempt.EXAM:
                # An exam may be answered in any order (skip, flag, come back); still once.
                if Response.objects.filter(attempt=fresh, question_id=version.question_id):
                    raise AnswerRefused("You have already answered this question.")
            else:
                answered = Response.objects.filter(attempt=fresh).count()
                if answered > index:
                    raise AnswerRefused("You have already answered this question.")
                if answered < index:
                    raise OutOfOrder(f"Answer question {answered + 1} first.")
            if index + 1 in fresh.flagged:
                fresh.flagged.remove(index + 1)
                fresh.save(update_fields=["flagged"])
            return Response.objects.create(
                attempt=fresh,
                question_id=version.question_id,
                version=version,
                answer=answer,
                correct=grading.is_right(score),
                score=score,
                confidence=confidence,
                answered_at=now,
            )
    except IntegrityError:
        # Two submits raced past the count check: the unique constraint settles it.
        raise AnswerRefused("You have already answered this question.") from None


def attempt_flag(*, attempt: Attempt, owner: Owner, n: int, flagged: bool = True) -> None:
    """Mark question n (1-based) of an exam to come back to, or clear the mark."""
    if not owner.owns(attempt):
        raise AnswerRefused("This attempt belongs to someone else.")
    if attempt.mode != Attempt.EXAM or not 1 <= n <= len(attempt.version_ids):
        raise AnswerRefused("Only an exam's questions can be flagged.")
    with transaction.atomic():
        fresh = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if fresh.finished_at is not None:
            raise AnswerRefused("This attempt is finished.")
        marks = set(fresh.flagged)
        if flagged:
            marks.add(n)
        else:
            marks.discard(n)
        fresh.flagged = sorted(marks)
        fresh.save(update_fields=["flagged"])


def attempt_finish(*, attempt: Attempt, owner: Owner) -> Attempt:
    if not owner.owns(attempt):
        raise AnswerRefused("This attempt belongs to someone else.")
    with transaction.atomic():
        fresh = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if fresh.finished_at is None:
            # Partial credit counts; essays (self-rated) count neither way.
            earned = Response.objects.filter(attempt=fresh).aggregate(total=Sum("score"))
            graded = QuestionVersion.objects.filter(
                pk__in=fresh.version_ids, kind__in=GRADED_KINDS
            ).count()
            fresh.finished_at = timezone.now()
            if fresh.deadline and fresh.finished_at > fresh.deadline:
                fresh.finished_at = fresh.deadline
            fresh.score = (earned["total"] or 0) / graded if graded else None
            fresh.save(update_fields=["finished_at", "score"])
    return fresh


SELF_RATINGS = {"right": 1.0, "partly": 0.5, "wrong": 0.0}


def response_rate(*, attempt: Attempt, owner: Owner, question_id: int, rating: str) -> Response:
    """The learner's own verdict on an essay, after seeing the model answer. Kept in the
    answer, apart from the score: a self-rating is not a grade."""
    if not owner.owns(attempt):
        raise AnswerRefused("This attempt belongs to someone else.")
    if rating not in SELF_RATINGS:
        raise AnswerRefused("Rate your answer: right, partly or wrong.")
    with transaction.atomic():
        response = (
            Response.objects.select_for_update()
            .filter(attempt=attempt, question_id=question_id, version__kind=ESSAY)
            .first()
        )
        if response is None:
            raise AnswerRefused("Write your answer before rating it.")
        response.answer = {**response.answer, "rating": rating}
        response.save(update_fields=["answer"])
    return response


def attempts_claim(*, token: str, user_id: int) -> int:
    """Give an anonymous learner's attempts to the account they just logged in to."""
    if not token:
        return 0
    return Attempt.objects.filter(user=None, owner_token=token).update(
        user_id=user_id, owner_token=""
    )
