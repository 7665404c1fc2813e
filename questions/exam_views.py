"""An exam's extra steps: flag a question to come back to, and the review screen that
lists what is answered, unanswered and flagged before the learner finishes. The review
screen is also what "Finish now" leads to: finishing is a POST from that page (or from
quiz.js's dialog), never one click on the question card."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from . import selectors, services
from .views import exam_next, owned_attempt, refused

# The review screen links to at most this many questions per list (an exam can be big).
LISTED = 100


@require_POST
async def question_flag(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    attempt, owner = await owned_attempt(request, pk)
    try:
        await sync_to_async(services.attempt_flag)(
            attempt=attempt, owner=owner, n=n, flagged=request.POST.get("flag") != "0"
        )
    except services.AnswerRefused as exc:
        return refused(request, str(exc))
    if request.POST.get("then") == "review":
        return redirect("questions:review", pk=pk)
    return await exam_next(request, attempt, owner, after=n)


@require_safe
async def exam_review(request: HttpRequest, pk: int) -> HttpResponse:
    attempt, owner = await owned_attempt(request, pk)
    if not owner.owns(attempt):
        return refused(request, "This attempt belongs to someone else.")
    if attempt.finished_at is not None:
        return redirect("questions:results", pk=pk)
    status = await sync_to_async(selectors.attempt_exam_status)(attempt=attempt)
    context = {
        "attempt": attempt,
        "total": len(attempt.version_ids),
        "answered": len(status.answered),
        "unanswered": status.unanswered[:LISTED],
        "unanswered_count": len(status.unanswered),
        "flagged": status.flagged[:LISTED],
        "flagged_count": len(status.flagged),
        "over_time": attempt.is_over_time(),
    }
    return render(request, "questions/exam-review.html", context)
