"""The learner's pages. Every POST works as a plain form post (answer, then a redirect
to a GET: refresh and back never post again) and, under htmx, returns the question card
fragment instead."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import weakref
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import grading, selectors, services
from .confidence import calibration
from .models import Attempt, QuestionSet, QuestionVersion
from .presenters import explainer_url, markdown, question_card, review_rows
from .review import nav
from .review import selectors as review_selectors
from .review.mastery import RULE
from .teach.selectors import answers_withheld

OWNER_KEY = services.OWNER_KEY
TIME_LIMITS = [(0, "No time limit"), (300, "5 minutes"), (600, "10 minutes"), (1200, "20 minutes")]


async def learner(request: HttpRequest, *, create: bool = False) -> services.Owner:
    """Who is answering: the user, or the anonymous session's owner token."""
    user = await request.auser()
    token = await request.session.aget(OWNER_KEY, "")
    if create and not token and not user.is_authenticated:
        token = secrets.token_urlsafe(24)
        await request.session.aset(OWNER_KEY, token)
    return services.Owner(user.pk if user.is_authenticated else None, token)


def refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "questions/refused.html", {"message": message}, status=status)


def _attempt(pk: int) -> Attempt:
    attempt = selectors.attempt_get(pk=pk)
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


def _version(attempt: Attempt, n: int) -> QuestionVersion:
    """Question n of the attempt (1-based), as it was asked."""
    if not 1 <= n <= len(attempt.version_ids):
        raise Http404("No such question in this attempt.")
    version = selectors.version_get(pk=attempt.version_ids[n - 1])
    if version is None:
        raise Http404("This question no longer exists.")
    return version


async def owned_attempt(request: HttpRequest, pk: int) -> tuple[Attempt, services.Owner]:
    return await sync_to_async(_attempt)(pk), await learner(request)


@require_safe
async def index(request: HttpRequest) -> HttpResponse:
    owner = await learner(request)
    sets = await sync_to_async(selectors.questionsets_for_learner)(owner=owner)
    topics = selectors.questionsets_by_topic(sets=sets)
    return render(request, "questions/index.html", {"topics": topics, "count": len(sets)})


@require_safe
async def questionset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = await sync_to_async(selectors.questionset_get)(slug=slug)
    if question_set is None:
        raise Http404("No such question set.")
    context = {
        "question_set": question_set,
        "time_limits": TIME_LIMITS,
        "explainer_url": explainer_url(question_set.explainer),
    }
    return render(request, "questions/questionset-detail.html", context)


def _start(
    slug: str, mode: str, owner: services.Owner, limit: int
) -> tuple[QuestionSet | None, Attempt | None]:
    """The set, and the attempt started on it when the mode is valid: one hop."""
    question_set = selectors.questionset_get(slug=slug)
    if question_set is None or mode not in dict(Attempt.MODE_CHOICES):
        return question_set, None
    attempt = services.attempt_start(
        question_set=question_set, owner=owner, mode=mode, time_limit=limit
    )
    return question_set, attempt


@require_POST
@never_cache
async def attempt_start(request: HttpRequest, slug: str) -> HttpResponse:
    mode = request.POST.get("mode", Attempt.PRACTICE)
    try:
        limit = int(request.POST.get("time_limit") or 0)
    except ValueError:
        limit = 0
    owner = await learner(request)
    # An anonymous learner's owner token, kept in the session only once an attempt is
    # made with it (a 404 or a refused mode leaves the session as it was).
    new_token = not owner.user_id and not owner.token
    if new_token:
        owner = services.Owner(None, secrets.token_urlsafe(24))
    question_set, attempt = await sync_to_async(_start)(
        slug, mode, owner, limit if limit in dict(TIME_LIMITS) else 0
    )
    if question_set is None:
        raise Http404("No such question set.")
    if attempt is None:
        return refused(request, "Choose practice or exam mode.", status=400)
    if new_token:
        await request.session.aset(OWNER_KEY, owner.token)
    if not attempt.version_ids:
        messages.error(request, "This set has no questions yet.")
        return redirect("questions:detail", slug=slug)
    return redirect("questions:question", pk=attempt.pk, n=1)


def _card(attempt: Attempt, owner: services.Owner, n: int, *, error: str = "") -> dict:
    """Everything question n's card shows: its version (kept in process, see
    questions.cache), the attempt's progress and this question's response, and whether
    it is bookmarked; run as one trip to the request's thread."""
    version = _version(attempt, n)
    progress = selectors.attempt_progress(attempt=attempt, question_id=version.question_id)
    context = question_card(attempt=attempt, version=version, n=n, progress=progress, error=error)
    context["description_html"] = markdown(version.description or "")
    if progress.response is not None:  # the bookmark button shows once the answer is in
        context["bookmarked"] = review_selectors.bookmark_exists(
            owner=owner, question_id=version.question_id
        )
    return context


async def _card_context(request, attempt, owner, n: int, *, error: str = "") -> dict:
    return await sync_to_async(_card)(attempt, owner, n, error=error)


def _question_page(
    pk: int, owner: services.Owner, n: int, nav_owner: services.Owner | None
) -> tuple[Attempt, dict | None, int | None]:
    """The attempt, the card when the learner may see it now, and the nav's due count
    (questions.review.nav): one hop for the page."""
    due = None if nav_owner is None else review_selectors.due_count(owner=nav_owner)
    attempt = _attempt(pk)
    if not owner.owns(attempt) or attempt.finished_at is not None:
        return attempt, None, due
    return attempt, _card(attempt, owner, n), due


@nav.counts_review_due
@require_safe
@never_cache
async def question(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    owner = await learner(request)
    attempt, context, request.review_due = await sync_to_async(_question_page)(
        pk, owner, n, request.review_owner
    )
    if not owner.owns(attempt):
        return refused(request, "This attempt belongs to someone else.")
    if context is None:  # finished
        return redirect("questions:results", pk=pk)
    current = context["answered"] + 1
    # Practice goes in order (each answer's feedback comes before the next question); an
    # exam may be taken in any order.
    if n > current and attempt.mode != Attempt.EXAM:
        messages.info(request, f"Answer question {current} first.")
        return redirect("questions:question", pk=pk, n=current)
    template = "questions/question.html"
    return render(request, template + "#card" if request.htmx else template, context)


@dataclass
class Answered:
    attempt: Attempt
    error: str = ""  # why the answer was refused; "" when it was recorded
    out_of_order: bool = False
    finished: bool = False  # refused because time is up, and the attempt finished


def _answer(pk: int, owner: services.Owner, n: int, data) -> Answered:
    """Record the answer to question n: the attempt, the version and the write in one
    hop."""
    attempt = _attempt(pk)
    if not owner.owns(attempt):
        return Answered(attempt)
    version = _version(attempt, n)
    try:
        services.attempt_answer(
            attempt=attempt, owner=owner, index=n - 1, version=version, data=data
        )
    except (services.AnswerRefused, grading.AnswerInvalid) as exc:
        finished = attempt.is_over_time()
        if finished:
            services.attempt_finish(attempt=attempt, owner=owner)
        return Answered(attempt, str(exc), isinstance(exc, services.OutOfOrder), finished)
    return Answered(attempt)


# SQLite writes one transaction at a time, whatever the process. Answers that would
# queue for it as threads (each holding a thread, and fighting every other request's
# threads for the GIL) queue here instead, as coroutines on the loop: one answer's hop
# at a time per process. PostgreSQL writes answers side by side, so it is left alone.
_ANSWER_TURNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _answer_turn():
    if connection.vendor != "sqlite":
        return contextlib.nullcontext()
    loop = asyncio.get_running_loop()
    if (turn := _ANSWER_TURNS.get(loop)) is None:
        turn = _ANSWER_TURNS[loop] = asyncio.Lock()
    return turn


@require_POST
@never_cache
async def answer(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    owner = await learner(request)
    async with _answer_turn():
        answered = await sync_to_async(_answer)(pk, owner, n, request.POST)
    attempt, error = answered.attempt, answered.error
    if not owner.owns(attempt):
        return refused(request, "This attempt belongs to someone else.")
    if answered.finished:
        messages.error(request, error)
        return _redirect(request, reverse("questions:results", args=[pk]))
    if not error and attempt.mode == Attempt.EXAM:
        # One action per question: the answer is recorded and the exam moves on.
        return await exam_next(request, attempt, owner, after=n)
    if not request.htmx:
        if error:
            messages.error(request, error)
        if answered.out_of_order:
            return redirect("questions:resume", pk=pk)
        return redirect("questions:question", pk=pk, n=n)
    context = await _card_context(request, attempt, owner, n, error=error)
    return render(request, "questions/question.html#card", context)


async def exam_next(request, attempt, owner, *, after: int) -> HttpResponse:
    """The next unanswered question of an exam, or the review screen when none is left."""
    status = await sync_to_async(selectors.attempt_exam_status)(attempt=attempt)
    n = status.next_open(after=after)
    if n is None:
        return _redirect(request, reverse("questions:review", args=[attempt.pk]))
    url = reverse("questions:question", args=[attempt.pk, n])
    if not request.htmx:
        return redirect(url)
    context = await _card_context(request, attempt, owner, n)
    response = render(request, "questions/question.html#card", context)
    response["HX-Push-Url"] = url
    return response


@require_POST
async def rate(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    """An essay's self-rating, after the model answer is shown."""
    attempt, owner = await owned_attempt(request, pk)
    version = await sync_to_async(_version)(attempt, n)
    error = ""
    try:
        await sync_to_async(services.response_rate)(
            attempt=attempt,
            owner=owner,
            question_id=version.question_id,
            rating=request.POST.get("rating", ""),
        )
    except services.AnswerRefused as exc:
        if not owner.owns(attempt):
            return refused(request, str(exc))
        error = str(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("questions:question", pk=pk, n=n)
    context = await _card_context(request, attempt, owner, n, error=error)
    return render(request, "questions/question.html#card", context)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also takes an htmx request to a whole new page."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_POST
@never_cache
async def attempt_finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt, owner = await owned_attempt(request, pk)
    if not owner.owns(attempt):
        return refused(request, "This attempt belongs to someone else.")
    await sync_to_async(services.attempt_finish)(attempt=attempt, owner=owner)
    return _redirect(request, reverse("questions:results", args=[pk]))


@require_safe
@never_cache
async def results(request: HttpRequest, pk: int) -> HttpResponse:
    attempt, owner = await owned_attempt(request, pk)
    if not owner.owns(attempt):
        return refused(request, "This attempt belongs to someone else.")
    if attempt.finished_at is None:
        messages.info(request, "Finish the quiz to see your results.")
        return redirect("questions:resume", pk=pk)
    show = request.GET.get("show", "all")
    show = show if show in selectors.REVIEW_FILTERS else "all"
    review = await sync_to_async(selectors.attempt_review_page)(
        attempt=attempt, show=show, page=request.GET.get("page", 1)
    )
    withheld = await sync_to_async(answers_withheld)(attempt=attempt)
    context = {
        "attempt": attempt,
        "review": review,
        "show": show,
        "filters": selectors.REVIEW_FILTERS,
        "total": len(attempt.version_ids),
        # Held back by an assignment until it closes: the score only, not one answer.
        "withheld": withheld,
        "duration": _duration(attempt.finished_at - attempt.started_at),
        "calibration": calibration(
            answers=await sync_to_async(selectors.attempt_confidences)(attempt=attempt)
        ),
    }
    template = "questions/results.html#review" if request.htmx else "questions/results.html"

    # Markdown and template rendering are CPU work that grows with the page: done in a
    # worker thread (thread_sensitive=False: not the request's own thread, which runs its
    # queries), so the event loop keeps serving everyone else meanwhile.
    def build() -> str:
        context["rows"] = [] if withheld else review_rows(attempt=attempt, review=review.rows)
        return render_to_string(template, context, request)

    return HttpResponse(await sync_to_async(build, thread_sensitive=False)())


def _duration(delta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


@require_safe
@never_cache
async def attempt_resume(request: HttpRequest, pk: int) -> HttpResponse:
    attempt, owner = await owned_attempt(request, pk)
    if not owner.owns(attempt):
        return refused(request, "This attempt belongs to someone else.")
    if attempt.finished_at is not None:
        return redirect("questions:results", pk=pk)
    if attempt.mode == Attempt.EXAM:
        return await exam_next(request, attempt, owner, after=0)
    progress = await sync_to_async(selectors.attempt_progress)(attempt=attempt, question_id=None)
    n = min(progress.answered + 1, len(attempt.version_ids))
    return redirect("questions:question", pk=pk, n=n)


@require_POST
@never_cache
async def attempt_retry(request: HttpRequest, pk: int) -> HttpResponse:
    attempt, owner = await owned_attempt(request, pk)
    if not owner.owns(attempt):
        return refused(request, "This attempt belongs to someone else.")
    if attempt.question_set_id is None:  # a review session: the deck decides what is next
        return redirect("review:deck")
    if withheld := await sync_to_async(answers_withheld)(attempt=attempt):
        messages.info(request, withheld)  # a retry in practice mode would show the answers
        return redirect("questions:results", pk=pk)
    missed = await sync_to_async(selectors.attempt_missed_version_ids)(attempt=attempt)
    if not missed:
        messages.success(request, "You missed nothing: there is nothing to retry.")
        return redirect("questions:results", pk=pk)
    retry = await sync_to_async(services.attempt_start)(
        question_set=attempt.question_set,
        owner=owner,
        mode=attempt.mode,
        only_version_ids=missed,
        retry_of=attempt,
    )
    return redirect("questions:question", pk=retry.pk, n=1)


@require_safe
@never_cache
async def progress(request: HttpRequest) -> HttpResponse:
    owner = await learner(request)
    attempts = await sync_to_async(selectors.attempts_for_learner)(owner=owner)
    mastery = await sync_to_async(review_selectors.topics_mastery)(owner=owner)
    context = {
        "attempts": attempts,
        "topics": [(topic, s, explainer_url(s.explainer)) for topic, s in mastery],
        "mastery_rule": RULE,
    }
    return render(request, "questions/progress.html", context)
