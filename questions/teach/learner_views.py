"""The learner's side of the teaching tools: joining an assignment by its code, and
reporting a problem with a question."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from questions.selectors import version_get
from questions.views import learner
from quizsite.throttle import Throttled, throttle_check, throttled_response

from . import selectors, services
from .forms import CodeForm, JoinForm, ReportForm


@require_http_methods(["GET", "HEAD", "POST"])
async def join_index(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("classroom:join", code=form.cleaned_data["code"].strip().upper())
    return render(
        request, "teach/join-index.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
async def join(request: HttpRequest, code: str) -> HttpResponse:
    assignment = await sync_to_async(selectors.assignment_get)(code=code)
    if assignment is None:
        raise Http404("No assignment has this join code: check it with your instructor.")
    user = await request.auser()
    owner = await learner(request)
    earlier = await sync_to_async(selectors.assignment_attempt_for)(
        assignment=assignment, owner=owner
    )
    if earlier is not None:
        if earlier.finished_at is None:
            messages.info(request, "You have started this assignment: carry on where you left off.")
            return redirect("questions:resume", pk=earlier.pk)
        messages.info(request, "You have already taken this assignment: here are your results.")
        return redirect("questions:results", pk=earlier.pk)
    form = None if user.is_authenticated else JoinForm(request.POST or None)
    refusal = assignment.refusal()
    if request.method == "POST":
        try:
            await throttle_check(action="join", request=request)
        except Throttled as exc:
            return throttled_response(request, exc)
    if request.method == "POST" and not refusal and (form is None or form.is_valid()):
        name = (
            form.cleaned_data["display_name"] if form else (user.get_full_name() or user.username)
        )
        owner = await learner(request, create=True)
        try:
            attempt = await sync_to_async(services.assignment_join)(
                assignment=assignment, owner=owner, display_name=name
            )
        except services.JoinRefused as exc:
            refusal = str(exc)
        else:
            return redirect("questions:question", pk=attempt.pk, n=1)
    context = {"assignment": assignment, "form": form, "refusal": refusal}
    status = 403 if refusal and request.method == "POST" else 200
    if status == 200 and form is not None and form.errors:
        status = 400
    return render(request, "teach/join.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
async def report(request: HttpRequest, version_id: int) -> HttpResponse:
    version = await sync_to_async(version_get)(pk=version_id)
    owner = await learner(request)
    if version is None or not await sync_to_async(selectors.version_reportable)(
        version=version, owner=owner
    ):
        raise Http404("No such question.")
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = await request.auser()
        try:
            await throttle_check(
                action="report",
                request=request,
                account=str(user.pk) if user.is_authenticated else owner.token,
            )
        except Throttled as exc:
            return throttled_response(request, exc)
        # create=True: an anonymous reporter gets a token of their own, so the report is
        # traceable and the hourly limit counts per learner, not for all anonymous ones.
        owner = await learner(request, create=True)
        try:
            await sync_to_async(services.report_create)(
                version=version,
                reporter_id=user.pk if user.is_authenticated else None,
                token=owner.token,
                text=form.cleaned_data["text"],
            )
        except services.ReportLimitReached:
            form.add_error(
                None,
                f"You have sent {services.REPORTS_PER_HOUR} reports in the last hour. "
                "Thank you: please send this one a little later.",
            )
            context = {"version": version, "form": form, "back": back}
            return render(request, "teach/report.html", context, status=429)
        messages.success(request, "Thank you: your report has gone to the instructors.")
        return redirect(back or "questions:index")
    context = {"version": version, "form": form, "back": back}
    return render(request, "teach/report.html", context, status=400 if form.errors else 200)
