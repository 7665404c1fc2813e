"""/review/: the deck, starting a review session (then the normal quiz pages take over),
bookmarks, question search and Anki export. Per-learner pages: never page-cached."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from questions.models import Question
from questions.views import learner, refused

from . import anki, selectors, services


@require_safe
async def deck(request: HttpRequest) -> HttpResponse:
    owner = await learner(request)
    summary = await sync_to_async(selectors.deck_summary)(owner=owner)
    return render(request, "review/deck.html", {"summary": summary, "cap": services.REVIEW_CAP})


@require_POST
async def review_start(request: HttpRequest) -> HttpResponse:
    owner = await learner(request)
    bookmarked = request.POST.get("filter") == "bookmarked"
    attempt = None
    if owner.user_id or owner.token:
        attempt = await sync_to_async(services.review_start)(owner=owner, bookmarked=bookmarked)
    if attempt is None:
        messages.info(
            request,
            "You have no bookmarked questions yet."
            if bookmarked
            else "Nothing is due: come back when the deck says so.",
        )
        return redirect("review:deck")
    return redirect("questions:question", pk=attempt.pk, n=1)


@require_POST
async def bookmark_set(request: HttpRequest, version_id: int) -> HttpResponse:
    wanted = request.POST.get("bookmark")
    if wanted not in ("1", "0"):
        return refused(request, "Send bookmark=1 to bookmark the question, 0 to remove it.", 400)
    marked = wanted == "1"
    owner = await learner(request, create=marked)
    try:
        await sync_to_async(services.bookmark_set)(
            owner=owner, version_id=version_id, marked=marked
        )
    except Question.DoesNotExist:
        raise Http404("No such question.") from None
    if request.htmx:
        context = {"version_id": version_id, "bookmarked": marked}
        return render(request, "review/_bookmark.html", context)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    messages.success(request, "Bookmarked." if marked else "Bookmark removed.")
    return redirect(back or "review:deck")


@require_safe
async def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:200]
    results = await sync_to_async(selectors.questions_search)(text=text)
    template = "review/search.html"
    context = {"q": text, "results": results}
    return render(request, template + "#results" if request.htmx else template, context)


def _apkg(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
async def export_mistakes(request: HttpRequest) -> HttpResponse:
    owner = await learner(request)
    versions = await sync_to_async(selectors.mistakes_versions)(owner=owner)
    if not versions:
        messages.info(request, "No mistakes to export yet: nothing you answered was wrong.")
        return redirect("review:deck")
    data = await sync_to_async(anki.deck_apkg)(name="My mistakes", versions=versions)
    return _apkg(data, "my-mistakes.apkg")


@require_safe
async def export_set(request: HttpRequest, slug: str) -> HttpResponse:
    owner = await learner(request)
    versions = await sync_to_async(selectors.taken_set_versions)(owner=owner, slug=slug)
    if versions is None:
        messages.error(
            request, "Finish this set once before exporting it: the deck holds the answers."
        )
        return redirect("review:deck")
    data = await sync_to_async(anki.deck_apkg)(
        name=f"Concurrency, really: {slug}", versions=versions
    )
    return _apkg(data, f"{slug}.apkg")
