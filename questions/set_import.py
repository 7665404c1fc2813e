"""Writing a parsed question set to the database: plan what changes (by stable id and
content hash), stage the new rows, then switch to them in one short transaction.

Why staged: while a transaction writes, SQLite lets no one else write, so one long
import transaction makes every learner's answer wait for it (and fail after the 20 s
busy timeout). Learners never see a question without a current version, nor a version
no question points at; so the new questions, versions and options are inserted first,
in batches of short transactions each, where no learner can see them, and then one
short transaction switches every question to its new version, moves, retires and
updates the set. All or nothing still holds: if anything fails before or during the
switch, the staged rows are deleted and the database is as it was (a process killed
mid-import leaves only invisible rows, which the next import of the set reuses).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field

from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery

from .formats.base import ParsedQuestion, ParsedSet
from .models import OPTION_FIELDS, VERSION_FIELDS, Option, Question, QuestionSet, QuestionVersion

BATCH = 250  # questions per staging transaction: a fraction of a second of lock each
WRITER_PAUSE = 0.05  # seconds between them (SQLite): longer than its busy-wait steps


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
    # Wall seconds of the one transaction that made the import visible (none: 0).
    switch_seconds: float = field(default=0.0, compare=False)

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
        return _plan(
            parsed, [question_hash(q) for q in parsed.questions], dry_run=True, retire=retire
        )[0]
    staged = Staged.stage(parsed, published=published, retire=retire)
    staged.switch_or_discard()
    return staged.report


def questionsets_import(*, sets: list[ParsedSet], retire: bool = True) -> list[ImportReport]:
    """Several sets, all or nothing: each staged, then all switched in one transaction."""
    staged: list[Staged] = []
    try:
        for parsed in sets:
            staged.append(Staged.stage(parsed, published=None, retire=retire))
        with transaction.atomic():
            for one in staged:
                one.switch()
    except BaseException:
        for one in staged:
            one.discard()
        raise
    return [one.report for one in staged]


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


@dataclass
class Staged:
    """A set's new rows, written where learners cannot see them, and how to switch."""

    parsed: ParsedSet
    report: ImportReport
    question_set: QuestionSet
    existing: dict[str, Question]
    published: bool | None
    new_set: bool
    new_questions: list[int] = field(default_factory=list)
    new_versions: list[int] = field(default_factory=list)

    @classmethod
    def stage(cls, parsed: ParsedSet, *, published: bool | None, retire: bool) -> Staged:
        hashes = [question_hash(q) for q in parsed.questions]  # CPU work: before any lock
        report, question_set, existing = _plan(parsed, hashes, dry_run=False, retire=retire)
        new_set = question_set is None
        if new_set:
            # Hidden until the switch: a new set appears with all its questions or not at all.
            values = {name: getattr(parsed, name) for name in SET_FIELDS}
            question_set = QuestionSet.objects.create(
                slug=parsed.slug,
                published=False,
                source_format=parsed.format,
                source_path=parsed.path,
                **values,
            )
        staged = cls(parsed, report, question_set, existing, published, new_set)
        try:
            staged._insert(hashes)
        except BaseException:
            staged.discard()
            raise
        return staged

    def _insert(self, hashes: list[str]) -> None:
        wanted = set(self.report.added) | set(self.report.changed)
        latest = dict(
            QuestionVersion.objects.filter(
                question__in=[self.existing[i] for i in self.report.changed]
            )
            .values("question_id")
            .annotate(latest=Max("number"))
            .values_list("question_id", "latest")
        )
        pending = [
            (position, q, h)
            for position, (q, h) in enumerate(zip(self.parsed.questions, hashes, strict=True))
            if q.id in wanted
        ]
        for start in range(0, len(pending), BATCH):
            if start and connection.vendor == "sqlite":
                # SQLite's lock is not fair: waiting writers poll it, and one that
                # starts again at once can keep it. A pause lets learners' answers in.
                time.sleep(WRITER_PAUSE)
            with transaction.atomic():
                self._insert_batch(pending[start : start + BATCH], latest)

    def _insert_batch(self, batch, latest: dict[int, int]) -> None:
        # A new question has no current version until the switch: no learner is asked it.
        created = Question.objects.bulk_create(
            Question(question_set=self.question_set, stable_id=q.id, position=position)
            for position, q, _ in batch
            if q.id not in self.existing
        )
        self.new_questions += [q.pk for q in created]
        questions = self.existing | {q.stable_id: q for q in created}
        versions = QuestionVersion.objects.bulk_create(
            QuestionVersion(
                question=questions[q.id],
                number=latest.get(questions[q.id].pk, 0) + 1,
                content_hash=content_hash,
                **{name: getattr(q, name) for name in VERSION_FIELDS},
            )
            for _, q, content_hash in batch
        )
        self.new_versions += [v.pk for v in versions]
        Option.objects.bulk_create(
            Option(
                version=version, position=n, **{name: getattr(o, name) for name in OPTION_FIELDS}
            )
            for (_, q, _), version in zip(batch, versions, strict=True)
            for n, o in enumerate(q.options)
        )

    def switch(self) -> None:
        """Point every question at its new version, move, retire, update the set."""
        began = time.perf_counter()
        self._switch()
        self.report.switch_seconds = time.perf_counter() - began

    def _switch(self) -> None:
        newest = QuestionVersion.objects.filter(question=OuterRef("pk")).order_by("-number")
        changed = self.new_questions + [self.existing[i].pk for i in self.report.changed]
        for start in range(0, len(changed), BATCH):
            Question.objects.filter(pk__in=changed[start : start + BATCH]).update(
                current_version=Subquery(newest.values("pk")[:1]), retired=False
            )
        moved = []
        for position, q in enumerate(self.parsed.questions):
            old = self.existing.get(q.id)
            if old is not None and (old.position != position or old.retired):
                old.position, old.retired = position, False
                moved.append(old)
        Question.objects.bulk_update(moved, ["position", "retired"], batch_size=BATCH)
        if self.report.removed:
            Question.objects.filter(
                question_set=self.question_set, stable_id__in=self.report.removed
            ).update(retired=True)
        self._update_set()

    def _update_set(self) -> None:
        question_set, parsed = self.question_set, self.parsed
        if not (self.new_set or self.report.set_changed or self.published is not None):
            return
        for name in SET_FIELDS:
            setattr(question_set, name, getattr(parsed, name))
        question_set.source_format, question_set.source_path = parsed.format, parsed.path
        if self.published is not None:
            question_set.published = self.published
        elif self.new_set:
            question_set.published = True
        question_set.save()

    def switch_or_discard(self) -> None:
        try:
            with transaction.atomic():
                self.switch()
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Delete what was staged: the database is as it was before the import."""
        with transaction.atomic():
            for start in range(0, len(self.new_versions), BATCH):
                QuestionVersion.objects.filter(
                    pk__in=self.new_versions[start : start + BATCH]
                ).delete()
            for start in range(0, len(self.new_questions), BATCH):
                Question.objects.filter(pk__in=self.new_questions[start : start + BATCH]).delete()
            if self.new_set:
                QuestionSet.objects.filter(pk=self.question_set.pk).delete()
