"""/interview/: the mock interview and the cheat sheet. Open questions first (write, then
see the model answer, then rate yourself), then the timed quick-fire round in the quiz
engine, then a summary of weak topics. Every step is a plain form post and a redirect."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from questions.presenters import explainer_url
from questions.review.selectors import topics_mastery
from questions.views import learner
from quizsite.explainers.selectors import library_aload

from . import selectors, services
from .content import open_question
from .models import OpenAnswer


async def _questions() -> dict:
    library = await library_aload()
    found = (open_question(e) for e in library.explainers)
    return {q.slug: q for q in found if q is not None}


@require_safe
async def index(request: HttpRequest) -> HttpResponse:
    owner = await learner(request)
    read = await sync_to_async(selectors.explainers_read)(owner=owner)
    library = await library_aload()
    context = {
        "open_count": services.OPEN_COUNT,
        "quick_count": services.QUICK_COUNT,
        "minutes": services.TIME_LIMIT // 60,
        "reading": [(e, e.slug in read) for e in library.explainers],
        "read_count": sum(1 for e in library.explainers if e.slug in read),
    }
    return render(request, "interview/index.html", context)


@require_POST
async def explainer_read(request: HttpRequest, slug: str) -> HttpResponse:
    library = await library_aload()
    explainer = library.get(slug)
    if explainer is None:
        raise Http404("No such explainer.")
    owner = await learner(request, create=True)
    read = request.POST.get("read") == "1"
    await sync_to_async(services.explainer_read_set)(owner=owner, slug=slug, read=read)
    if read:
        messages.success(request, f"Marked as read: {explainer.title}.")
        return redirect("explainers:detail", slug=slug)
    return redirect("interview:index")


@require_safe
async def cheat_sheet(request: HttpRequest) -> HttpResponse:
    questions = await _questions()
    return render(request, "interview/cheat-sheet.html", {"questions": questions.values()})


@require_POST
async def interview_start(request: HttpRequest) -> HttpResponse:
    owner = await learner(request, create=True)
    questions = await _questions()
    library = await library_aload()
    mastery = await sync_to_async(topics_mastery)(owner=owner)
    topic_of_set = {s.slug: t.topic for t, s in mastery}
    open_pools: dict[str, list[str]] = {}
    for explainer in library.explainers:
        if explainer.slug in questions:
            topic = next(
                (topic_of_set[s] for s in explainer.question_sets if s in topic_of_set), "general"
            )
            open_pools.setdefault(topic, []).append(explainer.slug)
    session = await sync_to_async(services.interview_start)(
        owner=owner, open_pools=open_pools, mastery={t.topic: t for t, _ in mastery}
    )
    if session.explainers:
        return redirect("interview:open", pk=session.pk, n=1)
    return redirect("interview:summary", pk=session.pk)


def _next_step(session) -> HttpResponse:
    """The first open question not yet answered and rated, else the summary (answers
    are prefetched by selectors.session_get)."""
    answers = {a.index: a for a in session.answers.all()}
    for n in range(1, len(session.explainers) + 1):
        answer = answers.get(n)
        if answer is None or answer.rating is None:
            return redirect("interview:open", pk=session.pk, n=n)
    return redirect("interview:summary", pk=session.pk)


async def _session(request: HttpRequest, pk: int):
    owner = await learner(request)
    session = await sync_to_async(selectors.session_get)(pk=pk, owner=owner)
    if session is None:
        raise Http404("No such interview.")
    return session


@require_safe
async def open_question_page(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    session = await _session(request, pk)
    if not 1 <= n <= len(session.explainers):
        raise Http404("No such question in this interview.")
    question = (await _questions()).get(session.explainers[n - 1])
    if question is None:
        raise Http404("This question is no longer available.")
    answer = next((a for a in session.answers.all() if a.index == n), None)
    context = {
        "session": session,
        "n": n,
        "total": len(session.explainers),
        "question": question,
        "answer": answer,
        "ratings": OpenAnswer.RATINGS.items(),
    }
    return render(request, "interview/open.html", context)


@require_POST
async def open_answer(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    session = await _session(request, pk)
    if not 1 <= n <= len(session.explainers):
        raise Http404("No such question in this interview.")
    try:
        await sync_to_async(services.open_answer_record)(
            session=session, index=n, text=request.POST.get("text", "")
        )
    except services.InterviewRefused as exc:
        messages.error(request, str(exc))
    return redirect("interview:open", pk=pk, n=n)


@require_POST
async def open_rate(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    session = await _session(request, pk)
    try:
        rating = int(request.POST.get("rating", 0))
    except ValueError:
        rating = 0
    try:
        await sync_to_async(services.open_answer_rate)(session=session, index=n, rating=rating)
    except services.InterviewRefused as exc:
        messages.error(request, str(exc))
        return redirect("interview:open", pk=pk, n=n)
    session = await _session(request, pk)
    return _next_step(session)


@require_POST
async def quickfire(request: HttpRequest, pk: int) -> HttpResponse:
    session = await _session(request, pk)
    attempt = await sync_to_async(services.quickfire_start)(session=session)
    if attempt is None:
        messages.info(request, "There are no quiz questions to ask yet.")
        return redirect("interview:summary", pk=pk)
    if attempt.finished_at is not None:
        return redirect("interview:summary", pk=pk)
    return redirect("questions:resume", pk=attempt.pk)


@require_safe
async def after_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    """The quick-fire attempt `pk` back to its interview's summary."""
    owner = await learner(request)
    session = await sync_to_async(selectors.session_for_attempt)(attempt_id=pk, owner=owner)
    if session is None:
        raise Http404("No interview for this attempt.")
    return redirect("interview:summary", pk=session.pk)


@require_safe
async def summary(request: HttpRequest, pk: int) -> HttpResponse:
    session = await _session(request, pk)
    questions = await _questions()
    answers = {a.index: a for a in session.answers.all()}
    opened = []
    weak: dict[str, str] = {}  # title -> link to the explainer section
    for n, slug in enumerate(session.explainers, start=1):
        question, answer = questions.get(slug), answers.get(n)
        if question is None:
            continue
        opened.append({"question": question, "answer": answer})
        if answer is None or (answer.rating or 0) < OpenAnswer.NAILED:
            weak[question.title] = question.url
    missed = await sync_to_async(selectors.quickfire_missed)(session=session)
    for version in missed:
        url = explainer_url(version.explainer or version.question.question_set.explainer)
        weak.setdefault(version.question.question_set.title, url)
    context = {
        "session": session,
        "opened": opened,
        "attempt": session.attempt,
        "missed": missed,
        "weak": sorted(weak.items()),
        "quickfire_url": reverse("interview:quickfire", args=[pk]),
    }
    return render(request, "interview/summary.html", context)
