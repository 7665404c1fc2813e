"""Pages of a live session. With JavaScript each page opens a WebSocket (live.js) and
falls back to htmx polling of the same URL; without it, plain forms and a refresh work.
One view serves the full page and the fragment (the `stage` or `panel` partial)."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from questions.teach.forms import JoinForm
from questions.teach.permissions import forbidden, instructor_required
from questions.teach.views import questionset_or_404
from questions.views import learner

from . import selectors, services, stages
from .consumers import broadcast, host_nudge
from .models import LiveSession


async def _session(code: str) -> LiveSession:
    session = await sync_to_async(selectors.live_get)(code=code)
    if session is None:
        raise Http404("No live session has this code: check it with your instructor.")
    return session


@require_POST
@instructor_required
async def live_create(request: HttpRequest, slug: str) -> HttpResponse:
    # Any instructor may run a published set, as they may assign it; a draft only its editors.
    question_set = await questionset_or_404(slug, request)
    user = await request.auser()
    try:
        session, left_out = await sync_to_async(services.live_create)(
            host_id=user.pk, question_set=question_set
        )
    except services.LiveRefused as exc:
        messages.error(request, str(exc))
        return redirect("teach:set", slug=slug)
    if left_out:
        messages.warning(
            request,
            f"{len(left_out)} question{'s' if len(left_out) > 1 else ''} cannot run live "
            f"(only choice, true/false, short-answer and ordering questions can) and "
            f"{'are' if len(left_out) > 1 else 'is'} left out: {'; '.join(left_out)}.",
        )
    return redirect("live:host", code=session.code)


# --- Learners ---------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
async def learner_page(request: HttpRequest, code: str) -> HttpResponse:
    session = await _session(code)
    owner = await learner(request)
    link = await sync_to_async(selectors.live_player)(session=session, owner=owner)
    if link is None:
        return await _join(request, session)
    context = await sync_to_async(stages.learner_context)(session=session, link=link)
    if request.htmx:
        # A poll: nothing new since the stage the learner has, so nothing to swap.
        seen = f"{request.GET.get('rev')}:{request.GET.get('a')}"
        if seen == f"{session.revision}:{int(context['answered'])}":
            return HttpResponse(status=204)
        return HttpResponse(stages.render_stage(context, request=request))
    context["link"] = link
    return render(request, stages.LEARNER_TEMPLATE, context)


async def _join(request: HttpRequest, session: LiveSession) -> HttpResponse:
    user = await request.auser()
    form = None if user.is_authenticated else JoinForm(request.POST or None)
    refusal = "This live session has ended." if session.phase == LiveSession.ENDED else ""
    if request.method == "POST" and not refusal and (form is None or form.is_valid()):
        name = (
            form.cleaned_data["display_name"] if form else (user.get_full_name() or user.username)
        )
        owner = await learner(request, create=True)
        try:
            await sync_to_async(services.live_join)(session=session, owner=owner, display_name=name)
        except services.LiveRefused as exc:
            refusal = str(exc)
        else:
            await host_nudge(session)
            return redirect("live:learner", code=session.code)
    context = {"session": session, "form": form, "refusal": refusal}
    return render(request, "live/join.html", context, status=403 if refusal else 200)


@require_POST
async def answer(request: HttpRequest, code: str) -> HttpResponse:
    session = await _session(code)
    link = await sync_to_async(selectors.live_player)(session=session, owner=await learner(request))
    if link is None:
        return redirect("live:learner", code=session.code)
    error = ""
    try:
        await sync_to_async(services.live_answer)(
            session=session, attempt=link.attempt, data=request.POST
        )
    except services.LiveRefused as exc:
        error = str(exc)
    else:
        await host_nudge(session)
    if request.htmx:
        session = await sync_to_async(selectors.live_refetch)(session=session)
        context = await sync_to_async(stages.learner_context)(
            session=session, link=link, error=error
        )
        return HttpResponse(stages.render_stage(context, request=request))
    if error:
        messages.error(request, error)
    return redirect("live:learner", code=session.code)


# --- The host ---------------------------------------------------------------------------
async def _hosted(request: HttpRequest, code: str) -> tuple[LiveSession, HttpResponse | None]:
    session = await _session(code)
    user = await request.auser()
    if not user.is_authenticated or session.host_id != user.pk:
        return session, forbidden(request, "Only the instructor who started this session runs it.")
    return session, None


@require_http_methods(["GET", "HEAD"])
@never_cache
async def host_page(request: HttpRequest, code: str) -> HttpResponse:
    session, refusal = await _hosted(request, code)
    if refusal:
        return refusal
    if request.htmx:
        return HttpResponse(
            await sync_to_async(stages.host_panel)(session=session, request=request)
        )
    context = await sync_to_async(stages.host_context)(session=session)
    join_url = request.build_absolute_uri(reverse("live:learner", args=[session.code]))
    context.update(join_url=join_url, qr=await sync_to_async(stages.qr_svg)(join_url))
    return render(request, stages.HOST_TEMPLATE, context)


@require_POST
async def host_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    session, refusal = await _hosted(request, code)
    if refusal:
        return refusal
    try:
        seconds = int(request.POST.get("seconds") or 0)
    except ValueError:
        seconds = 0
    user = await request.auser()
    error = ""
    try:
        session = await sync_to_async(services.live_action)(
            session_id=session.pk, user_id=user.pk, action=action, seconds=seconds
        )
    except services.LiveRefused as exc:
        error = str(exc)
    else:
        session = await sync_to_async(selectors.live_refetch)(session=session)
        await broadcast(session, new_question=action in ("start", "next", "skip"))
    if request.htmx:
        html = await sync_to_async(stages.host_panel)(session=session, request=request, error=error)
        return HttpResponse(html)
    if error:
        messages.error(request, error)
    return redirect("live:host", code=session.code)
