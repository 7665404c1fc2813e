"""Managing an assignment after it is made: edit, close early, duplicate, delete, and one
learner's page (their answers; more time or a reopen). Its instructor's and staff's only."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .forms import AssignmentForm, MoreTimeForm
from .models import Assignment
from .pages import render_off_loop
from .permissions import assignment_owner_required, instructor_required

FIELDS = ("title", "mode", "time_limit", "release_answers_at_close", "opens_at", "closes_at")


def initial_of(assignment: Assignment) -> dict:
    initial = {name: getattr(assignment, name) for name in FIELDS}
    initial["time_limit"] = assignment.time_limit // 60 if assignment.time_limit else None
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
@assignment_owner_required
async def assignment_edit(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    form = AssignmentForm(initial=initial_of(assignment))
    if request.method == "POST":
        form = AssignmentForm(request.POST, initial=initial_of(assignment))
        if form.is_valid():
            data = form.cleaned_data
            values = {name: data[name] for name in FIELDS}
            values["time_limit"] = data["time_limit"] * 60 if data["time_limit"] else None
            await sync_to_async(services.assignment_update)(assignment=assignment, **values)
            messages.success(
                request, "Assignment saved. Attempts already started keep their time limit."
            )
            return redirect("teach:assignment", pk=assignment.pk)
    context = {
        "question_set": assignment.question_set,
        "assignment": assignment,
        "form": form,
        "editing": True,
    }
    return render(
        request, "teach/assignment-form.html", context, status=400 if form.errors else 200
    )


@require_POST
@instructor_required
@assignment_owner_required
async def assignment_close(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    await sync_to_async(services.assignment_close)(assignment=assignment)
    messages.success(request, "The assignment is closed: no one new can join.")
    return redirect("teach:assignment", pk=assignment.pk)


@require_POST
@instructor_required
@assignment_owner_required
async def assignment_duplicate(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    user = await request.auser()
    copy = await sync_to_async(services.assignment_duplicate)(
        assignment=assignment, owner_id=user.pk
    )
    messages.success(request, f"A copy with its own join code, {copy.code}: set its times here.")
    return redirect("teach:assignment-edit", pk=copy.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@instructor_required
@assignment_owner_required
async def assignment_delete(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    if request.method == "POST":
        count = await sync_to_async(services.assignment_delete)(assignment=assignment)
        messages.success(
            request,
            f"Assignment {assignment.code} deleted. Its {count} attempt"
            f"{'' if count == 1 else 's'} stay in each learner's own history.",
        )
        return redirect("teach:dashboard")
    taken = await sync_to_async(selectors.assignment_attempts_count)(assignment=assignment)
    context = {"assignment": assignment, "question_set": assignment.question_set, "taken": taken}
    return render(request, "teach/assignment-delete.html", context)


async def _learner_or_404(assignment: Assignment, attempt_pk: int) -> dict:
    learner = await sync_to_async(selectors.assignment_learner)(
        assignment=assignment, attempt_pk=attempt_pk
    )
    if learner is None:
        raise Http404("No such learner in this assignment.")
    return learner


@require_safe
@instructor_required
@assignment_owner_required
async def assignment_learner(
    request: HttpRequest, assignment: Assignment, attempt_pk: int
) -> HttpResponse:
    learner = await _learner_or_404(assignment, attempt_pk)
    context = {"assignment": assignment, "learner": learner, "form": MoreTimeForm()}
    return await render_off_loop(request, "teach/assignment-learner.html", context)


@require_POST
@instructor_required
@assignment_owner_required
async def assignment_more_time(
    request: HttpRequest, assignment: Assignment, attempt_pk: int
) -> HttpResponse:
    learner = await _learner_or_404(assignment, attempt_pk)
    form = MoreTimeForm(request.POST)
    if form.is_valid():
        minutes = form.cleaned_data["minutes"]
        try:
            await sync_to_async(services.attempt_more_time)(
                attempt=learner["attempt"], minutes=minutes
            )
        except services.NothingToGive as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{learner['link'].display_name} has {minutes} more minutes.")
        return redirect("teach:assignment-learner", pk=assignment.pk, attempt_pk=attempt_pk)
    context = {"assignment": assignment, "learner": learner, "form": form}
    return await render_off_loop(request, "teach/assignment-learner.html", context, status=400)
