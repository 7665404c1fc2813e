"""Item analysis pages and CSVs, per set and per assignment: questions.analysis' numbers
with small SVG charts beside them."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from . import charts, selectors
from .csvs import csv_response
from .models import Assignment
from .pages import page_of, render_off_loop
from .permissions import assignment_owner_required, instructor_required
from .views import questionset_or_404


def _analysis_context(question_set, assignment=None, viewer=None, page_number=None) -> dict:
    analysis = selectors.item_analysis_for(
        question_set=question_set, assignment=assignment, viewer=viewer
    )
    if assignment is not None:
        whose = f"The attempts made through assignment {assignment.code}."
    elif viewer is not None and not viewer.is_staff:
        whose = "Open practice on this set and your own assignments' attempts."
    else:
        whose = "Every attempt: open practice and every instructor's assignments."
    # The numbers cover every question; the charts are drawn for one page of them.
    page = page_of(analysis.questions, number=page_number)
    rows = [
        {
            "qa": qa,
            "facility_svg": charts.share_bar(
                qa.stats.facility, label=f"Facility {_percent(qa.stats.facility)}"
            ),
            "discrimination_svg": charts.discrimination_marker(
                qa.stats.discrimination_index,
                label=f"Discrimination index {_number(qa.stats.discrimination_index)}",
            ),
            "options_svg": charts.option_bars(
                qa.options, attempts=analysis.stats.attempts, right=qa.right
            ),
        }
        for qa in page
    ]
    return {
        "question_set": question_set,
        "assignment": assignment,
        "analysis": analysis,
        "rows": rows,
        "page": page,
        "histogram": charts.histogram(analysis.stats.distribution),
        "whose": whose,
    }


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _analysis_csv(context: dict, filename: str) -> HttpResponse:
    header = [
        "question_id",
        "title",
        "attempts",
        "facility",
        "sd",
        "discrimination_index",
        "discriminative_efficiency",
        "median_seconds",
        "option_counts",
        "right_options",
        "wrong_answers",
        "flags",
    ]
    rows = [
        [
            qa.question.stable_id,
            qa.question.current_version.title,
            qa.stats.attempts,
            qa.stats.facility,
            qa.stats.sd,
            qa.stats.discrimination_index,
            qa.stats.discriminative_efficiency,
            qa.stats.median_seconds,
            "; ".join(f"{name}={count}" for name, count in qa.options),
            " ".join(sorted(qa.right)),
            "; ".join(f"{text}={count}" for text, count in qa.wrong_answers),
            "; ".join(qa.stats.flags),
        ]
        for qa in context["analysis"].questions
    ]
    return csv_response(filename=filename, header=header, rows=rows)


@require_safe
@instructor_required
async def questionset_analysis(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = await questionset_or_404(slug, request)
    context = await sync_to_async(_analysis_context)(
        question_set, viewer=await request.auser(), page_number=request.GET.get("page")
    )
    return await render_off_loop(request, "teach/analysis.html", context)


@require_safe
@instructor_required
async def questionset_analysis_csv(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = await questionset_or_404(slug, request)
    context = await sync_to_async(_analysis_context)(question_set, viewer=await request.auser())
    return _analysis_csv(context, f"{slug}-analysis.csv")


@require_safe
@instructor_required
@assignment_owner_required
async def assignment_analysis(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    context = await sync_to_async(_analysis_context)(
        assignment.question_set, assignment, page_number=request.GET.get("page")
    )
    return await render_off_loop(request, "teach/analysis.html", context)


@require_safe
@instructor_required
@assignment_owner_required
async def assignment_analysis_csv(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    context = await sync_to_async(_analysis_context)(assignment.question_set, assignment)
    return _analysis_csv(context, f"{assignment.code}-analysis.csv")
