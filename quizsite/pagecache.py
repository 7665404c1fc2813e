"""Anonymous pages from memory: the same bytes for every visitor who has no session.

A page is stored only when all of these hold, so nothing personal can be shared:
- the view is listed in settings.PAGE_CACHE_VIEWS (home, /learn/, explainers, /quiz/,
  set pages, /lab/) and the request was a plain GET without htmx;
- the request carried no session and no messages cookie (so: an anonymous visitor with
  no progress, no flash message, nothing in a session);
- the response is a 200 that sets no cookie. Rendering `{% csrf_token %}` sets the CSRF
  cookie, so a page holding a token is never stored; nor is one whose view touched the
  session. Such pages carry no CSP nonce either (settings.SECURE_CSP has none).

A page not yet stored is rendered once however many visitors ask for it at the same
moment: the first renders, the others wait for its page (no stampede of identical
renders when a class opens a set together just after it changed).

Stored pages are served twice over: by `PageCacheASGI`, in front of Django in
quizsite/asgi.py, which answers before Django's handler runs (no thread hop at all, not
even the `request_started` receivers'), and by `PageCacheMiddleware`, first in
MIDDLEWARE, which also serves WSGI and the test client. Both answer `If-None-Match` with
304 and send the stored gzip body to clients that accept it.

Invalidation: every entry carries the content stamp it was made under: the explainer
files' versions and `questions.selectors.content_stamp()`. Saving a question set in this
process drops the cache at once (signals); a change made elsewhere (another worker, a
management command, a bulk import) is noticed within PAGE_CACHE_RECHECK_SECONDS by a
check that runs in a worker thread in the background. Only a process's first requests
wait for the first check (once), so that the pages they store carry a known stamp.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.urls import Resolver404, resolve

from quizsite.middleware import SyncAndAsyncMiddleware

logger = logging.getLogger(__name__)

# Response headers a stored page keeps (Set-Cookie can't occur: such pages aren't stored).
DROPPED_HEADERS = {"date", "content-length", "vary", "etag", "cache-control"}
VARY = "Cookie, Accept-Encoding, HX-Request"
MAX_BODY = 2 * 1024 * 1024


@dataclass(frozen=True)
class Page:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes | None
    etag: str
    stamp: object
    expires: float | None  # time.monotonic() deadline, for pages that show live state

    def fresh(self, stamp: object) -> bool:
        return self.stamp == stamp and (self.expires is None or time.monotonic() < self.expires)

    def parts(self, *, gzip_ok: bool, head: bool, not_modified: bool):
        """Status, headers and body to send."""
        headers = [*self.headers, ("ETag", self.etag), ("Vary", VARY)]
        headers.append(("Cache-Control", "no-cache"))  # revalidate: ETag makes that a 304
        if not_modified:
            return 304, [h for h in headers if h[0].lower() != "content-type"], b""
        body = self.body
        if gzip_ok and self.gzipped is not None:
            body = self.gzipped
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        return self.status, headers, b"" if head else body


class PageStore:
    """An LRU of pages keyed on path and query, valid for one content stamp."""

    def __init__(self, max_pages: int = 512) -> None:
        self.max_pages = max_pages
        self._pages: OrderedDict[str, Page] = OrderedDict()
        self._lock = threading.Lock()  # WSGI threads share the store too
        self.stamp: object = None
        self.checked_at = -1e9
        self._refreshing: asyncio.Task | None = None
        self._content: tuple | None = None  # the content stamp the pages were made under
        self.hits = 0

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.stamp = object()  # whatever was being rendered under the old stamp is stale

    def get(self, key: str) -> Page | None:
        page = self._pages.get(key)
        if page is None or not page.fresh(self.stamp):
            return None
        self.hits += 1
        return page

    def put(
        self, key: str, response: HttpResponse, *, ttl: float | None, stamp: object
    ) -> Page | None:
        body = response.content
        if len(body) > MAX_BODY or stamp is not self.stamp:
            return None
        headers = tuple(
            (name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS
        )
        page = Page(
            status=response.status_code,
            headers=headers,
            body=body,
            gzipped=gzip.compress(body, 6, mtime=0) if len(body) > 512 else None,
            etag=f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"',
            stamp=stamp,
            expires=time.monotonic() + ttl if ttl else None,
        )
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        return page

    # --- Noticing changes made outside this process ---------------------------------
    def recheck_soon(self) -> None:
        """Start a background check of the content stamp if the last one is old. Called
        from the event loop; the check itself (a stat per explainer, two queries) runs in
        a worker thread, and requests go on being served meanwhile."""
        if time.monotonic() - self.checked_at < settings.PAGE_CACHE_RECHECK_SECONDS:
            return
        if self._refreshing is not None and not self._refreshing.done():
            return
        self.checked_at = time.monotonic()
        self._refreshing = asyncio.get_running_loop().create_task(self._recheck())

    async def known_stamp(self) -> None:
        """Wait for the first check of the content stamp in this process (started by
        `recheck_soon`, once it is due): a page stored before it would be stored under
        no stamp, and the check, finding one, would drop it (each page of a fresh process
        was rendered twice). One hop, once per process; visitors arriving together wait
        for the same check."""
        checking = self._refreshing
        if self._content is None and checking is not None and not checking.done():
            if checking.get_loop() is asyncio.get_running_loop():
                await asyncio.shield(checking)

    async def _recheck(self) -> None:
        try:
            stamp = await sync_to_async(content_stamp, thread_sensitive=False)()
        except Exception:  # a database hiccup must not take pages down: try again later
            logger.warning("page cache: could not read the content stamp", exc_info=True)
            return
        self._adopt(stamp)

    def recheck_sync(self) -> None:
        if time.monotonic() - self.checked_at >= settings.PAGE_CACHE_RECHECK_SECONDS:
            self.checked_at = time.monotonic()
            self._adopt(content_stamp())

    def _adopt(self, stamp: tuple) -> None:
        with self._lock:
            if stamp != self._content:
                self._content = stamp
                self._pages.clear()
                self.stamp = object()


def content_stamp() -> tuple:
    from questions.selectors import content_stamp as questions_stamp
    from quizsite.explainers.selectors import library_version

    return (library_version(), questions_stamp())


STORE = PageStore()


def _drop_all(**kwargs) -> None:
    STORE.clear()


def connect_signals() -> None:
    """Any save or delete of a set, question or version in this process drops the cache."""
    from questions.models import Option, Question, QuestionSet, QuestionVersion

    for model in (QuestionSet, Question, QuestionVersion, Option):
        post_save.connect(_drop_all, sender=model, dispatch_uid=f"pagecache-save-{model}")
        post_delete.connect(_drop_all, sender=model, dispatch_uid=f"pagecache-del-{model}")


# --- Who may be served a stored page --------------------------------------------------
def _personal_cookie_names() -> tuple[str, ...]:
    # The session (a learner's progress token, a login) and pending flash messages
    # (CookieStorage's cookie) make a visitor somebody in particular.
    return (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


def cache_key(*, method: str, path: str, query: str, cookies: dict, htmx: bool) -> str | None:
    """The key to look up or store under, or None when this request must not share."""
    if method not in ("GET", "HEAD") or htmx:
        return None
    if any(name in cookies for name in _personal_cookie_names()):
        return None
    return f"{path}?{query}" if query else path


def _accepts_gzip(value: str) -> bool:
    return "gzip" in value.lower()


def _not_modified(page: Page, if_none_match: str) -> bool:
    return bool(if_none_match) and page.etag in {t.strip() for t in if_none_match.split(",")}


def _ttl(request: HttpRequest) -> float | None | bool:
    """The page's lifetime from settings.PAGE_CACHE_VIEWS (None: until the content
    changes), or False when the view is not one whose pages may be shared."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in settings.PAGE_CACHE_VIEWS:
        return False
    return settings.PAGE_CACHE_VIEWS[match.view_name]


def _shared_view(request: HttpRequest) -> bool:
    """Whether the URL is one of PAGE_CACHE_VIEWS, before Django resolves it: only those
    pages are worth waiting for (anything else, a lab target, /healthz, runs for each)."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.view_name in settings.PAGE_CACHE_VIEWS


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        _ttl(request) is not False
        and response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and request.method == "GET"
        and not getattr(getattr(request, "user", None), "is_authenticated", True)
    )


def _http_response(page: Page, request: HttpRequest) -> HttpResponse:
    status, headers, body = page.parts(
        gzip_ok=_accepts_gzip(request.headers.get("Accept-Encoding", "")),
        head=request.method == "HEAD",
        not_modified=_not_modified(page, request.headers.get("If-None-Match", "")),
    )
    response = HttpResponseNotModified() if status == 304 else HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return response


# The pages being rendered now, by (event loop, cache key): the first visitor's render,
# which the others arriving meanwhile wait for.
_RENDERING: dict[tuple[asyncio.AbstractEventLoop, str], asyncio.Event] = {}


class PageCacheMiddleware(SyncAndAsyncMiddleware):
    def _key(self, request: HttpRequest) -> str | None:
        return cache_key(
            method=request.method,
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
            cookies=request.COOKIES,
            htmx="HX-Request" in request.headers,
        )

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        STORE.recheck_sync()
        key = self._key(request)
        if stored := self._stored(request, key):
            return stored
        stamp = STORE.stamp
        return self._kept(request, key, stamp, self.get_response(request))

    async def _acall(self, request):
        STORE.recheck_soon()
        await STORE.known_stamp()
        key = self._key(request)
        if stored := self._stored(request, key):
            return stored
        if key is None or not _shared_view(request):
            return await self._render(request, key)
        # Many first visitors at once (a class opening a set just changed): one renders,
        # the others wait for its page instead of each rendering the same bytes.
        flight = (asyncio.get_running_loop(), key)
        if (rendering := _RENDERING.get(flight)) is not None:
            await rendering.wait()
            # Not stored (not a 200, or it set a cookie): render it as one's own.
            return self._stored(request, key) or await self._render(request, key)
        _RENDERING[flight] = done = asyncio.Event()
        try:
            return await self._render(request, key)
        finally:
            del _RENDERING[flight]
            done.set()

    async def _render(self, request: HttpRequest, key: str | None) -> HttpResponse:
        stamp = STORE.stamp
        return self._kept(request, key, stamp, await self.get_response(request))

    @staticmethod
    def _stored(request: HttpRequest, key: str | None) -> HttpResponse | None:
        page = STORE.get(key) if key is not None else None
        return _http_response(page, request) if page else None

    @staticmethod
    def _kept(request, key: str | None, stamp: object, response: HttpResponse) -> HttpResponse:
        """Store what may be shared; the first visitor then gets what the next ones will."""
        if key is not None and _storable(request, response):
            page = STORE.put(key, response, ttl=_ttl(request), stamp=stamp)
            if page is not None:
                return _http_response(page, request)
        return response


# --- In front of Django ---------------------------------------------------------------
class PageCacheASGI:
    """Serve stored pages before Django's handler runs: no `request_started` signal, no
    thread hop, no middleware. Everything else goes to Django."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and (page := self._page(scope)):
            STORE.recheck_soon()
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            status, out, body = page.parts(
                gzip_ok=_accepts_gzip(headers.get("accept-encoding", "")),
                head=scope["method"] == "HEAD",
                not_modified=_not_modified(page, headers.get("if-none-match", "")),
            )
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in out],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _page(scope) -> Page | None:
        cookie = htmx = b""
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookie = value
            elif name == b"hx-request":
                htmx = value
        key = cache_key(
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            cookies=parse_cookie(cookie.decode("latin-1")) if cookie else {},
            htmx=bool(htmx),
        )
        return STORE.get(key) if key is not None else None
