"""The nav's "Review (N due)": ResolvedUserMiddleware calls this once per full page and
leaves the number (or None) on request.review_due for _base.html.

None, and no query at all, for a visitor with no deck: anonymous without an owner token
(those pages stay query-free and cacheable), and for POSTs and htmx fragments, which
render no nav. Otherwise one count on the (owner, due) index.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.conf import settings

from questions.services import Owner
from questions.views import OWNER_KEY

from .selectors import due_count


def _wants_nav(request) -> bool:
    return request.method in ("GET", "HEAD") and "HX-Request" not in request.headers


def _may_have_token(request) -> bool:
    # Without a session cookie there is no owner token; reading the session anyway would
    # mark it accessed (Vary: Cookie) and keep the page out of the anonymous page cache.
    return settings.SESSION_COOKIE_NAME in request.COOKIES


async def review_due(request) -> int | None:
    if not _wants_nav(request):
        return None
    owner = await _owner(request)
    return None if owner is None else await sync_to_async(due_count)(owner=owner)


def review_due_sync(request) -> int | None:
    if not _wants_nav(request):
        return None
    if request.user.is_authenticated:
        return due_count(owner=Owner(request.user.pk, ""))
    if not _may_have_token(request):
        return None
    token = request.session.get(OWNER_KEY, "")
    return due_count(owner=Owner(None, token)) if token else None


async def _owner(request) -> Owner | None:
    if request.user.is_authenticated:
        return Owner(request.user.pk, "")
    if not _may_have_token(request):
        return None
    token = await request.session.aget(OWNER_KEY, "")
    return Owner(None, token) if token else None
