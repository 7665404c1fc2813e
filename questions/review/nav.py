"""The nav's "Review (N due)": ResolvedUserMiddleware calls this once per full page, before
the view, and leaves the number (or None) on request.review_due for _base.html.

A view that makes a hop to the database anyway can count it there instead, and spare the
request a hop of its own: marked with `counts_review_due`, it finds the owner to count for
on request.review_owner (None when the page shows no count) and sets request.review_due
itself (the question page does, with `due_count` in its one hop).

None, and no query at all, for a visitor with no deck: anonymous without an owner token
(those pages stay query-free and cacheable), and for POSTs and htmx fragments, which
render no nav. Otherwise one count on the (owner, due) index.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.conf import settings

from questions.services import OWNER_KEY, Owner

from .selectors import due_count


def _wants_nav(request) -> bool:
    return request.method in ("GET", "HEAD") and "HX-Request" not in request.headers


def _may_have_token(request) -> bool:
    # Without a session cookie there is no owner token; reading the session anyway would
    # mark it accessed (Vary: Cookie) and keep the page out of the anonymous page cache.
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def counts_review_due(view):
    view.counts_review_due = True
    return view


def view_counts(view) -> bool:
    return getattr(view, "counts_review_due", False)


async def review_owner(request) -> Owner | None:
    if not _wants_nav(request):
        return None
    if request.user.is_authenticated:
        return Owner(request.user.pk, "")
    if not _may_have_token(request):
        return None
    token = await request.session.aget(OWNER_KEY, "")
    return Owner(None, token) if token else None


def review_owner_sync(request) -> Owner | None:
    if not _wants_nav(request):
        return None
    if request.user.is_authenticated:
        return Owner(request.user.pk, "")
    token = request.session.get(OWNER_KEY, "") if _may_have_token(request) else ""
    return Owner(None, token) if token else None


async def review_due(request) -> int | None:
    owner = await review_owner(request)
    return None if owner is None else await sync_to_async(due_count)(owner=owner)


def review_due_sync(request) -> int | None:
    owner = review_owner_sync(request)
    return None if owner is None else due_count(owner=owner)
