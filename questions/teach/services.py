"""Writes of the teaching tools. The import itself is the quiz engine's
questionset_import; attempts are started by its attempt_start."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from questions.formats.base import ParseError, Problem
from questions.importing import SUFFIXES, check_text, decode, parse_text
from questions.models import Attempt, QuestionSet, QuestionVersion
from questions.selectors import questionset_to_parsed
from questions.services import ImportReport, Owner, attempt_start, questionset_import

from .models import Assignment, AssignmentAttempt, PendingUpload, ProblemReport, new_join_code
from .permissions import questionset_can_edit

MAX_UPLOAD_BYTES = 1024 * 1024


class UploadRefused(ValueError):
    """The file cannot even be previewed; the message says why."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# GIFT's marks: a `::title::` opening a line, or an answer block `{=right ~wrong}`.
GIFT_MARKS = re.compile(r"(?m)^\s*::[^:\n]+::|\{\s*[=~]|\{\s*(?:T|F|TRUE|FALSE)\s*\}")


def format_mismatch(name: str, text: str) -> str:
    """A file in one format under the other's name: say so, instead of the parser's
    puzzling "the set has no questions"."""
    front_matter = text.lstrip().startswith("---")
    if name.endswith(".md") and not front_matter and GIFT_MARKS.search(text):
        return "This file looks like Moodle GIFT (::title:: and {=answer} blocks) but is named .md: rename it to .gift and upload it again."
    if name.endswith((".gift", ".txt")) and front_matter and not GIFT_MARKS.search(text):
        return "This file looks like our Markdown format (it starts with --- front matter) but is named .gift: rename it to .md and upload it again."
    return ""


def upload_store(*, owner_id: int, filename: str, data: bytes, draft: bool) -> PendingUpload:
    name = PurePath(filename or "").name[:200]
    if not name.endswith(SUFFIXES):
        raise UploadRefused("Upload a question-set file ending in .md, .gift or .txt (GIFT).")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"The file is {len(data) / 1024 / 1024:.1f} MB: question-set files can be at most 1 MB."
        )
    try:
        text = decode(data, path=name)
    except ParseError as exc:
        problem = exc.problems[0]
        raise UploadRefused(f"Line {problem.line}: the file is {problem.message}.") from None
    if mismatch := format_mismatch(name, text):
        raise UploadRefused(mismatch)
    pending_uploads_expire()
    return PendingUpload.objects.create(
        token=secrets.token_urlsafe(32),
        owner_id=owner_id,
        filename=name,
        text=text,
        sha256=text_hash(text),
        publish=not draft,
    )


def questionset_mark_edited(*, question_set: QuestionSet) -> None:
    """Call after changing a set through the site (an upload, the browser editor): a set
    of the site's own content is then left alone by load_content (README: "Quizzes")."""
    if question_set.owner_id is None and not question_set.edited_on_site:
        question_set.edited_on_site = True
        question_set.save(update_fields=["edited_on_site"])


def upload_refusal(*, slug: str, user) -> str:
    """Why this user may not import over the set with this slug; "" when they may."""
    existing = QuestionSet.objects.filter(slug=slug).first()
    if existing is None or questionset_can_edit(user=user, question_set=existing):
        return ""
    whose = "the site's own content" if existing.owner_id is None else "another instructor's"
    return (
        f"A set with the slug “{slug}” exists and is {whose}: only its owner, its editors "
        "and staff can change it. Give your file another slug to import it as a new set."
    )


# Previews nobody confirmed within a day are of no use to anyone.
PENDING_UPLOAD_TTL = timedelta(days=1)


def pending_uploads_expire() -> int:
    """Delete pending uploads older than PENDING_UPLOAD_TTL; how many went."""
    cutoff = timezone.now() - PENDING_UPLOAD_TTL
    return PendingUpload.objects.filter(created_at__lt=cutoff).delete()[0]


def upload_confirm(*, pending: PendingUpload, user, partial: bool = False) -> ImportReport:
    """Parse the stored text again and import it, all or nothing; raise ParseError, or
    UploadRefused when the set it would change is not this user's to change. With
    `partial`, only the questions without problems, as the preview offered."""
    if text_hash(pending.text) != pending.sha256:
        raise ParseError(
            [Problem(pending.filename, 0, "the stored upload has changed: upload it again")]
        )
    checked = check_text(pending.text, path=pending.filename, partial=partial)
    if checked.fatal or not partial and checked.refused or not checked.count:
        raise ParseError(checked.problems or [Problem(pending.filename, 1, "nothing to import")])
    parsed = checked.parsed
    # Checked again at confirm time: the slug may have been taken since the preview.
    if refusal := upload_refusal(slug=parsed.slug, user=user):
        raise UploadRefused(refusal)
    # Staged and switched by the importer itself, in short transactions, so learners keep
    # answering meanwhile; the ownership and the upload follow in one more.
    report = questionset_import(
        parsed=parsed,
        dry_run=False,
        published=None if pending.publish else False,
        retire=not partial,
    )
    with transaction.atomic():
        question_set = QuestionSet.objects.get(slug=parsed.slug)
        if report.new_set:
            question_set.owner = user
            question_set.save(update_fields=["owner"])
        else:
            questionset_mark_edited(question_set=question_set)
        pending.delete()
    return report


def question_edit(*, question_set: QuestionSet, stable_id: str, text: str) -> ImportReport:
    """Save one question edited in the browser, written in our Markdown, through the same
    import as a file: the set as it is with this question replaced, so an edit makes a new
    version (earlier answers keep theirs) and nothing else changes. Raises ParseError with
    line numbers counted in the edited text."""
    head = f"---\nslug: {question_set.slug}\ntitle: edit\n---\n\n"
    offset = head.count("\n")
    try:
        edited = parse_text(head + text, path="question.md").questions
    except ParseError as exc:
        raise ParseError(
            [Problem("question", max(1, p.line - offset), p.message) for p in exc.problems]
        ) from None
    if len(edited) != 1 or edited[0].id != stable_id:
        raise ParseError(
            [Problem("question", 1, f"write exactly one question, keeping its id {{#{stable_id}}}")]
        )
    parsed = questionset_to_parsed(question_set=question_set)
    parsed.questions = [edited[0] if q.id == stable_id else q for q in parsed.questions]
    with transaction.atomic():
        report = questionset_import(parsed=parsed, dry_run=False)
        questionset_mark_edited(question_set=question_set)
    return report


def questionset_publish(*, question_set: QuestionSet, published: bool) -> None:
    question_set.published = published
    question_set.save(update_fields=["published", "updated_at"])


def questionset_archive(*, question_set: QuestionSet, archived: bool) -> None:
    """Archive: hidden from learners and put aside, every attempt and answer kept. Restore
    brings it back as a draft: publishing it again is a decision of its own."""
    question_set.archived_at = timezone.now() if archived else None
    question_set.published = False
    question_set.save(update_fields=["archived_at", "published", "updated_at"])


class SetInUse(Exception):
    """Learners have answered this set: deleting it would delete their answers."""


def questionset_delete(*, question_set: QuestionSet) -> None:
    with transaction.atomic():
        attempts = Attempt.objects.filter(question_set=question_set).count()
        if attempts:
            raise SetInUse(
                f"“{question_set.title}” has {attempts} attempt{'' if attempts == 1 else 's'} "
                "by learners: deleting it would delete their answers. Archive it instead."
            )
        question_set.delete()


def assignment_create(
    *,
    owner_id: int,
    question_set: QuestionSet,
    title: str = "",
    mode: str = Attempt.PRACTICE,
    time_limit: int | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    release_answers_at_close: bool = True,
) -> Assignment:
    for _ in range(10):
        try:
            with transaction.atomic():
                return Assignment.objects.create(
                    owner_id=owner_id,
                    question_set=question_set,
                    title=title,
                    mode=mode,
                    time_limit=time_limit if mode == Attempt.EXAM else None,
                    opens_at=opens_at,
                    closes_at=closes_at,
                    release_answers_at_close=release_answers_at_close,
                    code=new_join_code(),
                )
        except IntegrityError:
            continue  # the random code was taken: 34**6 codes make this rare
    raise RuntimeError("Could not find a free join code.")


def assignment_update(*, assignment: Assignment, **values) -> Assignment:
    """Change an assignment's title, mode, time limit or times. Attempts already started
    keep the time limit they started with: a learner's clock never changes under them."""
    if values.get("mode") != Attempt.EXAM:
        values["time_limit"] = None
    for name, value in values.items():
        setattr(assignment, name, value)
    assignment.save(update_fields=list(values))
    return assignment


def assignment_close(*, assignment: Assignment) -> Assignment:
    """Close it now (an assignment that already closed keeps its time)."""
    now = timezone.now()
    if assignment.closes_at is None or assignment.closes_at > now:
        assignment.closes_at = now
        assignment.save(update_fields=["closes_at"])
    return assignment


def assignment_duplicate(*, assignment: Assignment, owner_id: int) -> Assignment:
    """The same settings under a new code, with no learners and no times: the next class."""
    return assignment_create(
        owner_id=owner_id,
        question_set=assignment.question_set,
        title=f"{assignment.title or assignment.question_set.title} (copy)"[:200],
        mode=assignment.mode,
        time_limit=assignment.time_limit,
        release_answers_at_close=assignment.release_answers_at_close,
    )


def assignment_delete(*, assignment: Assignment) -> int:
    """Delete the assignment and its results table. The learners' attempts are theirs: they
    stay in each learner's history. Returns how many attempts it had."""
    with transaction.atomic():
        count = AssignmentAttempt.objects.filter(assignment=assignment).count()
        assignment.delete()
    return count


class NothingToGive(Exception):
    """More time for an attempt that has no limit and is still open: nothing to change."""


def attempt_more_time(*, attempt: Attempt, minutes: int) -> Attempt:
    """Give one learner more time: an attempt with a limit gets `minutes` more (counted from
    now if its time had already run out), and a finished attempt is reopened."""
    with transaction.atomic():
        fresh = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if fresh.time_limit is None and fresh.finished_at is None:
            raise NothingToGive("This attempt has no time limit and is still open.")
        if fresh.time_limit is not None:
            used = int((timezone.now() - fresh.started_at).total_seconds())
            fresh.time_limit = max(fresh.time_limit, used) + minutes * 60
        fresh.finished_at = None
        fresh.score = None
        fresh.save(update_fields=["time_limit", "finished_at", "score"])
    return fresh


class JoinRefused(Exception):
    """The assignment cannot be taken now; the message says why."""


def assignment_join(*, assignment: Assignment, owner: Owner, display_name: str) -> Attempt:
    if refusal := assignment.refusal():
        raise JoinRefused(refusal)
    with transaction.atomic():
        attempt = attempt_start(
            question_set=assignment.question_set,
            owner=owner,
            mode=assignment.mode,
            time_limit=assignment.time_limit,
        )
        if not attempt.version_ids:
            raise JoinRefused("This assignment has no questions yet.")
        AssignmentAttempt.objects.create(
            assignment=assignment, attempt=attempt, display_name=display_name[:80]
        )
    return attempt


# A learner with something to say says it in a few reports; more than this in an hour is
# a flood that would bury the instructors' list.
REPORTS_PER_HOUR = 10
HOUR = timedelta(hours=1)


class ReportLimitReached(Exception):
    pass


def report_create(
    *, version: QuestionVersion, reporter_id: int | None, token: str, text: str
) -> ProblemReport:
    """Raises ReportLimitReached when this reporter already sent REPORTS_PER_HOUR."""
    mine = Q(reporter_id=reporter_id) if reporter_id else Q(reporter_token=token)
    recent = ProblemReport.objects.filter(mine, created_at__gte=timezone.now() - HOUR)
    if recent.count() >= REPORTS_PER_HOUR:
        raise ReportLimitReached
    return ProblemReport.objects.create(
        question_id=version.question_id,
        version=version,
        reporter_id=reporter_id,
        reporter_token="" if reporter_id else token,
        text=text.strip()[:2000],
    )


def report_resolve(*, report: ProblemReport, user_id: int) -> ProblemReport:
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by_id = user_id
        report.save(update_fields=["resolved_at", "resolved_by"])
    return report
