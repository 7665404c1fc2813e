"""A set's life after import: archived and restored, deleted while no learner has
answered it, and a question edited in the browser (a new version, as an import makes)."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from questions.formats.base import ParseError
from questions.selectors import questionset_to_parsed

from . import services
from .diffs import question_text
from .models import Assignment
from .permissions import instructor_required
from .views import not_yours, questionset_or_404


@require_POST
@instructor_required
async def questionset_archive(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = await questionset_or_404(slug, request)
    if not request.can_edit_set:
        return not_yours(request, question_set)
    archived = request.POST.get("archived") == "1"
    await sync_to_async(services.questionset_archive)(question_set=question_set, archived=archived)
    if archived:
        messages.success(
            request, f"“{question_set.title}” is archived: hidden from learners, answers kept."
        )
        return redirect("teach:dashboard")
    messages.success(request, f"“{question_set.title}” is restored, as a draft.")
    return redirect("teach:set", slug=slug)


def _delete_context(question_set) -> dict:
    return {
        "question_set": question_set,
        "attempts": question_set.attempts.count(),
        "assignments": Assignment.objects.filter(question_set=question_set).count(),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
async def questionset_delete(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = await questionset_or_404(slug, request)
    if not request.can_edit_set:
        return not_yours(request, question_set)
    if request.method == "POST":
        try:
            await sync_to_async(services.questionset_delete)(question_set=question_set)
        except services.SetInUse as exc:
            messages.error(request, str(exc))
            return redirect("teach:set-delete", slug=slug)
        messages.success(request, f"“{question_set.title}” is deleted.")
        return redirect("teach:dashboard")
    context = await sync_to_async(_delete_context)(question_set)
    return render(request, "teach/questionset-delete.html", context)


def _question_source(question_set, stable_id: str) -> str | None:
    parsed = questionset_to_parsed(question_set=question_set)
    question = next((q for q in parsed.questions if q.id == stable_id), None)
    return "\n".join(question_text(question)) + "\n" if question else None


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
async def question_edit(request: HttpRequest, slug: str, stable_id: str) -> HttpResponse:
    question_set = await questionset_or_404(slug, request)
    if not request.can_edit_set:
        return not_yours(request, question_set)
    source = await sync_to_async(_question_source)(question_set, stable_id)
    if source is None:
        raise Http404("No such question in this set.")
    problems, status = [], 200
    if request.method == "POST":
        source = request.POST.get("text", "").replace("\r\n", "\n")
        try:
            report = await sync_to_async(services.question_edit)(
                question_set=question_set, stable_id=stable_id, text=source
            )
        except ParseError as exc:
            problems, status = exc.problems, 400
        else:
            messages.success(
                request,
                "Saved as a new version: earlier answers keep the one they answered."
                if report.changed
                else "Nothing changed.",
            )
            return redirect(reverse("teach:set", kwargs={"slug": slug}) + f"#q-{stable_id}")
    context = {
        "question_set": question_set,
        "stable_id": stable_id,
        "source": source,
        "problems": problems,
        "rows": source.count("\n") + 3,
    }
    return render(request, "teach/question-edit.html", context, status=status)
