"""Reads of the teaching tools: a fixed number of queries per page, whatever the size."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from questions.analysis import AttemptScores, QuestionStats, SetStats, item_analysis
from questions.formats.base import GRADED_KINDS, MULTIPLE, ORDER, SHORT, SINGLE, TRUE_FALSE
from questions.models import Attempt, Option, Question, QuestionSet, QuestionVersion, Response
from questions.selectors import owner_filter, questions_current
from questions.services import Owner

from .models import Assignment, AssignmentAttempt, PendingUpload, ProblemReport
from .previews import letter

CHOICE_KINDS = (SINGLE, MULTIPLE, TRUE_FALSE)


def questionsets_for_teaching(*, user) -> list[QuestionSet]:
    """The sets this instructor may use (published ones, and drafts they may edit), with
    their size and, for the sets they edit, open reports; `can_edit` on each."""
    sets = QuestionSet.objects.annotate(
        size=Count(
            "questions",
            filter=Q(questions__retired=False, questions__current_version__isnull=False),
            distinct=True,
        ),
        open_reports=Count(
            "questions__reports", filter=Q(questions__reports__resolved_at=None), distinct=True
        ),
        attempts_count=Count("attempts", distinct=True),
    ).order_by("title")
    if not user.is_staff:
        mine = Q(owner=user) | Q(editors=user)
        editable = set(QuestionSet.objects.filter(mine).values_list("pk", flat=True))
    result = []
    for question_set in sets:
        question_set.can_edit = user.is_staff or question_set.pk in editable
        if not question_set.can_edit:
            if not question_set.published:
                continue
            question_set.open_reports = None  # its editors' business
        result.append(question_set)
    return result


def questionset_for_teaching(*, slug: str) -> QuestionSet | None:
    return QuestionSet.objects.filter(slug=slug).first()


def pending_upload_get(*, token: str, owner_id: int) -> PendingUpload | None:
    return PendingUpload.objects.filter(token=token, owner_id=owner_id).first()


def assignments_for(*, user) -> list[Assignment]:
    """An instructor's own assignments; staff see everyone's."""
    assignments = Assignment.objects.select_related("question_set", "owner").annotate(
        taken=Count("assignment_attempts", distinct=True),
        finished=Count(
            "assignment_attempts",
            filter=Q(assignment_attempts__attempt__finished_at__isnull=False),
            distinct=True,
        ),
    )
    if not user.is_staff:
        assignments = assignments.filter(owner=user)
    return list(assignments)


def assignment_get(*, pk: int | None = None, code: str | None = None) -> Assignment | None:
    assignments = Assignment.objects.select_related("question_set", "owner")
    if code is not None:
        return assignments.filter(code=code.upper()).first()
    return assignments.filter(pk=pk).first()


def answers_withheld(*, attempt: Attempt) -> str:
    """Why this attempt's answers are held back ("" when they are not): an exam assignment
    releases them when it closes."""
    link = AssignmentAttempt.objects.filter(attempt=attempt).select_related("assignment").first()
    return link.assignment.answers_withheld() if link else ""


def assignment_attempts_count(*, assignment: Assignment) -> int:
    return AssignmentAttempt.objects.filter(assignment=assignment).count()


def assignment_attempt_for(*, assignment: Assignment, owner: Owner) -> Attempt | None:
    """This learner's attempt at the assignment, if any: an assignment is taken once."""
    mine = Attempt.objects.filter(owner_filter(owner)).values("pk")
    link = (
        AssignmentAttempt.objects.filter(assignment=assignment, attempt__in=mine)
        .select_related("attempt")
        .first()
    )
    return link.attempt if link else None


def answer_label(answer: dict) -> str:
    """A response's answer in the file's own terms: option letters, an order, or text."""
    if "choices" in answer:
        return ", ".join(letter(p) for p in answer["choices"])
    if "order" in answer:
        return " ".join(letter(p) for p in answer["order"])
    if "matches" in answer:
        return ", ".join(f"{letter(int(p))}: {m}" for p, m in sorted(answer["matches"].items()))
    return answer.get("text", "")


FINISHED, TIMED_OUT, IN_PROGRESS = "finished", "timed out", "in progress"


@dataclass
class ResultRow:
    name: str
    attempt: Attempt
    answered: int
    right: int
    seconds: int | None
    answers: list[dict]  # one per question, in set order: {"label", "correct"} or None
    status: str = IN_PROGRESS
    score: float | None = None  # 0..1, once finished or out of time


def attempt_status(attempt: Attempt, *, right: int, now) -> tuple[str, float | None, object]:
    """(status, score, end) as the instructor should see them now. An exam whose time ran
    out is over whether or not the learner came back to finish it: the server would refuse
    any further answer, so it is scored on what was answered by the deadline."""
    if attempt.finished_at:
        return FINISHED, attempt.score, attempt.finished_at
    if attempt.is_over_time(now):
        return TIMED_OUT, right / (len(attempt.version_ids) or 1), attempt.deadline
    return IN_PROGRESS, None, None


def assignment_results(*, assignment: Assignment, questions: list[Question]) -> list[ResultRow]:
    links = (
        AssignmentAttempt.objects.filter(assignment=assignment)
        .select_related("attempt")
        .prefetch_related(Prefetch("attempt__responses", queryset=Response.objects.all()))
        .order_by("attempt__started_at")
    )
    rows, now = [], timezone.now()
    for link in links:
        attempt = link.attempt
        responses = {r.question_id: r for r in attempt.responses.all()}
        right = sum(1 for r in responses.values() if r.correct)
        status, score, end = attempt_status(attempt, right=right, now=now)
        rows.append(
            ResultRow(
                name=link.display_name,
                attempt=attempt,
                answered=len(responses),
                right=right,
                status=status,
                score=score,
                seconds=int((end - attempt.started_at).total_seconds()) if end else None,
                answers=[
                    {"label": answer_label(r.answer), "correct": r.correct}
                    if (r := responses.get(q.pk))
                    else None
                    for q in questions
                ],
            )
        )
    return rows


def wrong_answer_key(answer: dict) -> str:
    """Typed answers that would be marked alike count as one: spacing and case are forgiven
    when marking, so they are when counting."""
    label = answer_label(answer)
    return " ".join(label.split()).casefold() if "text" in answer else label


def right_answer_label(version: QuestionVersion) -> str:
    """The key in the file's own terms, as answer_label writes a learner's answer."""
    options = list(version.options.all())
    if version.kind == SHORT:
        return " / ".join(o.text for o in options if o.correct)
    if version.kind == ORDER:
        return " ".join(letter(o.position) for o in options)
    return ", ".join(letter(o.position) for o in options if o.correct)


def assignment_learner(*, assignment: Assignment, attempt_pk: int) -> dict | None:
    """One learner's attempt at the assignment, question by question, in the order asked."""
    link = (
        AssignmentAttempt.objects.filter(assignment=assignment, attempt_id=attempt_pk)
        .select_related("attempt")
        .first()
    )
    if link is None:
        return None
    attempt = link.attempt
    versions = QuestionVersion.objects.filter(pk__in=attempt.version_ids).prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position"))
    )
    by_pk = {v.pk: v for v in versions}
    responses = {r.version_id: r for r in attempt.responses.all()}
    right = sum(1 for r in responses.values() if r.correct)
    status, score, end = attempt_status(attempt, right=right, now=timezone.now())
    rows = []
    for pk in attempt.version_ids:
        version, response = by_pk.get(pk), responses.get(pk)
        if version is None:
            continue
        rows.append(
            {
                "version": version,
                "answer": answer_label(response.answer) if response else None,
                "correct": response.correct if response else None,
                "right": right_answer_label(version),
            }
        )
    return {
        "link": link,
        "attempt": attempt,
        "rows": rows,
        "right": right,
        "status": status,
        "score": score,
        "seconds": int((end - attempt.started_at).total_seconds()) if end else None,
    }


@dataclass
class QuestionAnalysis:
    question: Question
    stats: QuestionStats
    options: list[tuple[str, int]]  # (letter, times picked)
    right: frozenset[str] = frozenset()  # letters of the right options (choice kinds)
    wrong_answers: list[tuple[str, int]] = field(default_factory=list)  # most given first


@dataclass
class Analysis:
    stats: SetStats
    questions: list[QuestionAnalysis]
    left_out: int  # finished attempts that did not ask every current question


def item_analysis_for(
    *, question_set: QuestionSet, assignment: Assignment | None = None, viewer=None
) -> Analysis:
    """Turn finished attempts' responses into questions.analysis' input and run it.

    Only attempts that asked every current question count: a retry of the missed ones,
    or an attempt from before a question was added, would score 0 on the questions it
    never showed and drag their facility down for nothing. Options are compared by
    their place in the question (A, B, ...), across versions."""
    # Essays (self-rated) and descriptions have no score to analyse.
    questions = [
        q
        for q in questions_current(question_set=question_set)
        if q.current_version.kind in GRADED_KINDS
    ]
    stable = {q.pk: q.stable_id for q in questions}
    attempts = Attempt.objects.filter(question_set=question_set, finished_at__isnull=False)
    if assignment is not None:
        attempts = attempts.filter(assignment_link__assignment=assignment)
    elif viewer is not None and not viewer.is_staff:
        # Another instructor's assignment results are theirs: open practice and the
        # viewer's own assignments only.
        attempts = attempts.filter(
            Q(assignment_link__isnull=True) | Q(assignment_link__assignment__owner=viewer)
        )
    attempts = attempts.prefetch_related(
        Prefetch("responses", queryset=Response.objects.order_by("answered_at", "pk"))
    )
    version_question = dict(
        QuestionVersion.objects.filter(question__question_set=question_set).values_list(
            "pk", "question_id"
        )
    )
    inputs, left_out = [], 0
    wrong: dict[str, Counter] = defaultdict(Counter)  # typed or ordered answers, per question
    for attempt in attempts:
        asked = {version_question.get(pk) for pk in attempt.version_ids}
        if not stable.keys() <= asked:
            left_out += 1
            continue
        scores, choices, seconds = {}, {}, {}
        previous = attempt.started_at
        for response in attempt.responses.all():
            # Time to answer: since the previous answer (or the start) in this attempt.
            spent = (response.answered_at - previous).total_seconds()
            previous = response.answered_at
            sid = stable.get(response.question_id)
            if sid is None:
                continue
            # Partial credit as earned; answers from before scores were kept: 1 or 0.
            scores[sid] = response.score if response.score is not None else float(response.correct)
            seconds[sid] = spent
            if "choices" in response.answer:
                choices[sid] = [letter(p) for p in response.answer["choices"]]
            elif not response.correct:
                wrong[sid][wrong_answer_key(response.answer)] += 1
        inputs.append(AttemptScores(scores=scores, choices=choices, seconds=seconds))
    option_ids = {
        q.stable_id: [letter(o.position) for o in q.current_version.options.all()]
        if q.current_version.kind in CHOICE_KINDS
        else []
        for q in questions
    }
    stats = item_analysis(attempts=inputs, questions=option_ids)
    return Analysis(
        stats=stats,
        questions=[
            QuestionAnalysis(
                question=q,
                stats=s,
                options=list(s.option_counts.items()),
                right=frozenset(
                    letter(o.position) for o in q.current_version.options.all() if o.correct
                ),
                # Ties in the order the answers were first given.
                wrong_answers=wrong[q.stable_id].most_common(),
            )
            for q, s in zip(questions, stats.questions, strict=True)
        ],
        left_out=left_out,
    )


def version_reportable(*, version: QuestionVersion, owner: Owner) -> bool:
    """May this learner see and report this version? Yes on a published set; on a draft
    only if it was asked in one of their own attempts (an assignment on a draft set).
    Version ids are sequential: anything else would show drafts to whoever counts."""
    question_set = version.question.question_set
    if question_set.published:
        return True
    attempts = Attempt.objects.filter(owner_filter(owner), question_set=question_set)
    return any(version.pk in ids for ids in attempts.values_list("version_ids", flat=True))


def reports_open(*, question_set: QuestionSet) -> list[ProblemReport]:
    return list(
        ProblemReport.objects.filter(question__question_set=question_set, resolved_at=None)
        .select_related("question", "version", "reporter")
        .order_by("created_at")
    )


def report_get(*, pk: int) -> ProblemReport | None:
    return ProblemReport.objects.select_related("question__question_set").filter(pk=pk).first()
