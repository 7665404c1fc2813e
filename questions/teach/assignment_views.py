"""Assignments (create, results, CSV) and item analysis, per set and per assignment.
An assignment's results are its instructor's and staff's only."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from questions.selectors import questions_current

from . import selectors, services
from .csvs import csv_response
from .forms import AssignmentForm
from .models import Assignment
from .pages import render_off_loop
from .permissions import assignment_owner_required, instructor_required
from .views import questionset_or_404


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
async def assignment_create(request: HttpRequest, slug: str) -> HttpResponse:
    question_set = await questionset_or_404(slug, request)
    form = AssignmentForm()
    if request.method == "POST":
        form = AssignmentForm(request.POST)
        if form.is_valid():
            user = await request.auser()
            data = form.cleaned_data
            assignment = await sync_to_async(services.assignment_create)(
                owner_id=user.pk,
                question_set=question_set,
                title=data["title"],
                mode=data["mode"],
                time_limit=data["time_limit"] * 60 if data["time_limit"] else None,
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                release_answers_at_close=data["release_answers_at_close"],
            )
            messages.success(request, f"Assignment created: the join code is {assignment.code}.")
            return redirect("teach:assignment", pk=assignment.pk)
    context = {"question_set": question_set, "form": form}
    return render(
        request, "teach/assignment-form.html", context, status=400 if form.errors else 200
    )


def _results(assignment) -> tuple[list, list]:
    questions = questions_current(question_set=assignment.question_set)
    return questions, selectors.assignment_results(assignment=assignment, questions=questions)


@require_safe
@instructor_required
@assignment_owner_required
async def assignment_detail(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    questions, rows = await sync_to_async(_results)(assignment)
    context = {
        "assignment": assignment,
        "questions": questions,
        "rows": rows,
        "join_url": request.build_absolute_uri(reverse("classroom:join", args=[assignment.code])),
        "refusal": assignment.refusal(),
        "closed": bool(assignment.closes_at and assignment.closes_at <= timezone.now()),
    }
    template = "teach/assignment.html"
    # Learners × questions cells: rendered off the loop, like every page that grows.
    return await render_off_loop(
        request, template + "#results" if request.htmx else template, context
    )


@require_safe
@instructor_required
@assignment_owner_required
async def assignment_csv(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    questions, rows = await sync_to_async(_results)(assignment)
    header = ["name", "status", "score_percent", "right", "answered", "seconds", "started_at"]
    header += [f"{q.stable_id}" for q in questions]
    data = [
        [
            row.name,
            row.status,
            round(100 * row.score, 1) if row.score is not None else None,
            row.right,
            row.answered,
            row.seconds,
            row.attempt.started_at.isoformat(timespec="seconds"),
            *(
                f"{a['label']} ({'right' if a['correct'] else 'wrong'})" if a else ""
                for a in row.answers
            ),
        ]
        for row in rows
    ]
    return csv_response(filename=f"{assignment.code}-results.csv", header=header, rows=data)
