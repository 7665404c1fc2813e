"""Instructors' pages: the dashboard, a set's page and export, upload with preview,
publishing, resolving reports. Every view is behind instructor_required."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from questions.formats.base import ParseError
from questions.formats.gift_export import export_gift
from questions.formats.markdown import export_markdown
from questions.importing import check_text
from questions.review import selectors as review_selectors
from questions.selectors import questionset_to_parsed
from questions.services import questionset_import

from . import selectors, services
from .diffs import upload_diff
from .forms import UploadForm
from .pages import page_number_of, page_of, render_off_loop
from .permissions import (
    forbidden,
    instructor_required,
    questionset_can_edit_async,
    questionset_can_view,
)
from .previews import parsed_cards, source_lines

EXPORTERS = {"md": (export_markdown, "text/markdown"), "gift": (export_gift, "text/plain")}


async def questionset_or_404(slug: str, request: HttpRequest):
    """The set, if this instructor may see it: a draft is its editors' only. Sets
    request.can_edit_set for the view and its template."""
    question_set = await sync_to_async(selectors.questionset_for_teaching)(slug=slug)
    if question_set is None:
        raise Http404("No such question set.")
    user = await request.auser()
    request.can_edit_set = await questionset_can_edit_async(user=user, question_set=question_set)
    if not questionset_can_view(
        user=user, question_set=question_set, can_edit=request.can_edit_set
    ):
        raise Http404("No such question set.")
    return question_set


def not_yours(request: HttpRequest, question_set) -> HttpResponse:
    whose = "the site's own content" if question_set.owner_id is None else "another instructor's"
    return forbidden(
        request,
        f"“{question_set.title}” is {whose}: only its owner, the editors they name and "
        "staff can change it or see its reports.",
    )


@require_safe
@instructor_required
async def dashboard(request: HttpRequest) -> HttpResponse:
    user = await request.auser()
    sets = await sync_to_async(selectors.questionsets_for_teaching)(user=user)
    assignments = await sync_to_async(selectors.assignments_for)(user=user)
    context = {
        "sets": [s for s in sets if not s.archived_at],
        "archived": [s for s in sets if s.archived_at],
        "assignments": assignments,
    }
    return render(request, "teach/dashboard.html", context)


def _set_page_context(question_set, *, can_edit: bool, page_number=None) -> dict:
    parsed = questionset_to_parsed(question_set=question_set)
    # Reports are written to the set's editors; other instructors see the questions only.
    reports = selectors.reports_open(question_set=question_set) if can_edit else []
    page = page_of(parsed.questions, number=page_number)
    cards = parsed_cards(parsed, questions=list(page))
    for card in cards:
        card["reports"] = [r for r in reports if r.question.stable_id == card["id"]]
    struggles = review_selectors.questionset_struggles(question_set=question_set)
    # A report links to its question on whichever page it is.
    where = {q.id: page_number_of(n) for n, q in enumerate(parsed.questions)}
    for report in reports:
        report.page = where.get(report.question.stable_id, 1)
    return {
        "question_set": question_set,
        "cards": cards,
        "reports": reports,
        "can_edit": can_edit,
        "struggles": struggles,
        "page": page,
    }


@require_safe
@instructor_required
async def questionset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = await questionset_or_404(slug, request)
    context = await sync_to_async(_set_page_context)(
        question_set, can_edit=request.can_edit_set, page_number=request.GET.get("page")
    )
    return await render_off_loop(request, "teach/questionset.html", context)


@require_safe
@instructor_required
async def questionset_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    question_set = await questionset_or_404(slug, request)
    parsed = await sync_to_async(questionset_to_parsed)(question_set=question_set)
    export, content_type = EXPORTERS[fmt]
    response = HttpResponse(export(parsed), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{question_set.slug}.{fmt}"'
    return response


@require_POST
@instructor_required
async def questionset_publish(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = await questionset_or_404(slug, request)
    if not request.can_edit_set:
        return not_yours(request, question_set)
    choice = request.POST.get("published")
    if choice not in ("0", "1"):
        return render(
            request,
            "questions/refused.html",
            {"message": "Send published=1 to publish or published=0 to make a draft."},
            status=400,
        )
    published = choice == "1"
    await sync_to_async(services.questionset_publish)(
        question_set=question_set, published=published
    )
    messages.success(
        request, f"“{question_set.title}” is {'published' if published else 'a draft'}."
    )
    return redirect("teach:set", slug=slug)


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
async def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            user = await request.auser()
            upload = form.cleaned_data["file"]
            # At most 1 MB (checked by the form), so Django holds it in memory: no disk I/O.
            data = upload.read()
            try:
                pending = await sync_to_async(services.upload_store)(
                    owner_id=user.pk,
                    filename=upload.name,
                    data=data,
                    draft=form.cleaned_data["draft"],
                )
            except services.UploadRefused as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("teach:upload-preview", token=pending.token)
    status = 400 if form.errors else 200
    return render(request, "teach/upload.html", {"form": form}, status=status)


def _preview_context(pending, user, page_number=None) -> dict:
    context = {"pending": pending, "form": UploadForm()}
    checked = check_text(pending.text, path=pending.filename, partial=True)
    context["warnings"] = checked.warnings
    if checked.problems:
        context["problems"] = checked.problems
        context["lines"] = source_lines(pending.text, checked.problems)
        # What "import the good questions" would bring in, when the set itself is sound.
        context["good"] = checked.count
        context["refused"] = checked.refused_count
        return context
    parsed = checked.parsed
    context["parsed"] = parsed
    context["page"] = page_of(parsed.questions, number=page_number)
    context["cards"] = parsed_cards(parsed, questions=list(context["page"]))
    context["report"] = questionset_import(parsed=parsed, dry_run=True)
    context["refusal"] = services.upload_refusal(slug=parsed.slug, user=user)
    # Someone else's set: no diff of what this file would do to it (it cannot be imported).
    context["diff"] = (
        {} if context["refusal"] else upload_diff(parsed=parsed, report=context["report"])
    )
    return context


async def _pending(request: HttpRequest, token: str):
    user = await request.auser()
    pending = await sync_to_async(selectors.pending_upload_get)(token=token, owner_id=user.pk)
    if pending is None:
        raise Http404("This upload is gone: it was imported, or it expired. Upload it again.")
    return pending


@require_safe
@instructor_required
async def upload_preview(request: HttpRequest, token: str) -> HttpResponse:
    pending = await _pending(request, token)
    context = await sync_to_async(_preview_context)(
        pending, await request.auser(), request.GET.get("page")
    )
    return await render_off_loop(request, "teach/upload-preview.html", context)


@require_POST
@instructor_required
async def upload_confirm(request: HttpRequest, token: str) -> HttpResponse:
    pending = await _pending(request, token)
    try:
        report = await sync_to_async(services.upload_confirm)(
            pending=pending,
            user=await request.auser(),
            partial=request.POST.get("partial") == "1",
        )
    except ParseError:
        messages.error(request, "This file has problems: fix them and upload it again.")
        return redirect("teach:upload-preview", token=token)
    except services.UploadRefused as exc:
        return forbidden(request, str(exc))
    messages.success(request, str(report))
    return redirect("teach:set", slug=report.slug)


@require_POST
@instructor_required
async def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    report = await sync_to_async(selectors.report_get)(pk=pk)
    if report is None:
        raise Http404("No such report.")
    user = await request.auser()
    question_set = report.question.question_set
    if not await questionset_can_edit_async(user=user, question_set=question_set):
        return not_yours(request, question_set)
    await sync_to_async(services.report_resolve)(report=report, user_id=user.pk)
    messages.success(request, "Report marked resolved.")
    return redirect("teach:set", slug=report.question.question_set.slug)
