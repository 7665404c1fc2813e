"""Writing a parsed question set to the database: plan what changes (by stable id and
content hash), then write it in bulk.

Why bulk, in one transaction: a plain import is all or nothing, so its writes share one
transaction; and while a transaction writes, SQLite lets no one else write (learners'
answers wait for the lock). So the file is parsed and every hash computed before the
transaction opens, and inside it the rows go in with a handful of bulk statements
(INSERT ... RETURNING for the ids) instead of five round trips per question: 10,000
questions hold the lock for about a second, well inside the 20 s an answer waits for it,
so answers keep being recorded (slower for that second) and none fails.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Max

from .formats.base import ParsedQuestion, ParsedSet
from .models import OPTION_FIELDS, VERSION_FIELDS, Option, Question, QuestionSet, QuestionVersion

BATCH = 2000  # rows per INSERT: under SQLite's 32,766 variables for the widest model


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
    hashes = [question_hash(q) for q in parsed.questions]  # CPU work: before the lock
    if dry_run:
        return _plan(parsed, hashes, dry_run=True, retire=retire)[0]
    with transaction.atomic():
        report, question_set, existing = _plan(parsed, hashes, dry_run=False, retire=retire)
        _apply(parsed, hashes, report, question_set, existing, published)
    return report


def _plan(parsed: ParsedSet, hashes: list[str], *, dry_run: bool, retire: bool = True):
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
            q.stable_id: q
            for q in question_set.questions.select_related("current_version").only(
                "stable_id", "position", "retired", "current_version__content_hash"
            )
        }
    seen = set()
    for position, (q, content_hash) in enumerate(zip(parsed.questions, hashes, strict=True)):
        seen.add(q.id)
        old = existing.get(q.id)
        if old is None:
            report.added.append(q.id)
        elif (
            old.retired
            or old.current_version is None
            or old.current_version.content_hash != content_hash
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


def _apply(parsed, hashes, report, question_set, existing, published) -> None:
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
    created = Question.objects.bulk_create(
        [
            Question(question_set=question_set, stable_id=q.id, position=position)
            for position, q in enumerate(parsed.questions)
            if q.id not in existing
        ],
        batch_size=BATCH,
    )
    questions = existing | {q.stable_id: q for q in created}
    moved = []
    for position, q in enumerate(parsed.questions):
        question = questions[q.id]
        if question.position != position or question.retired:
            question.position, question.retired = position, False
            moved.append(question)
    Question.objects.bulk_update(moved, ["position", "retired"], batch_size=BATCH)
    _new_versions(parsed, hashes, report.added, report.changed, questions)
    if report.removed:
        Question.objects.filter(question_set=question_set, stable_id__in=report.removed).update(
            retired=True
        )


def _new_versions(parsed, hashes, added, changed, questions: dict[str, Question]) -> None:
    """One new version (with its options) per added or changed question, in bulk."""
    # Only a changed question has versions already: its new one is numbered after them.
    latest = dict(
        QuestionVersion.objects.filter(question_id__in=[questions[i].pk for i in changed])
        .values("question_id")
        .annotate(latest=Max("number"))
        .values_list("question_id", "latest")
    )
    wanted = set(added) | set(changed)
    pending = [(q, h) for q, h in zip(parsed.questions, hashes, strict=True) if q.id in wanted]
    versions = QuestionVersion.objects.bulk_create(
        [
            QuestionVersion(
                question=questions[q.id],
                number=latest.get(questions[q.id].pk, 0) + 1,
                content_hash=content_hash,
                **{name: getattr(q, name) for name in VERSION_FIELDS},
            )
            for q, content_hash in pending
        ],
        batch_size=BATCH,
    )
    Option.objects.bulk_create(
        (
            Option(
                version=version,
                position=n,
                **{name: getattr(o, name) for name in OPTION_FIELDS},
            )
            for (q, _), version in zip(pending, versions, strict=True)
            for n, o in enumerate(q.options)
        ),
        batch_size=BATCH,
    )
    for (q, _), version in zip(pending, versions, strict=True):
        questions[q.id].current_version = version
    Question.objects.bulk_update(
        [questions[q.id] for q, _ in pending], ["current_version"], batch_size=BATCH
    )
