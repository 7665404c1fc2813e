"""The anonymous page cache: what it shares, what it never shares, and when it lets go.
Requests go through the real ASGI application (quizsite.asgi) in process."""

import asyncio
import gzip
import time

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.utils import timezone

from questions.models import QuestionSet
from quizsite.asgi import application
from quizsite.hops import asgi_request, count_hops
from quizsite.pagecache import STORE
from tests.questions.factories import make_set

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def demo():
    return await sync_to_async(make_set)("demo", n=2)


async def get(path, **kwargs):
    return await asgi_request(application, path, **kwargs)


async def test_a_second_visitor_gets_the_same_bytes_without_django_running(demo):
    first = await get("/quiz/demo/")
    with count_hops() as hops:
        second = await get("/quiz/demo/")
    assert second.body == first.body
    assert hops.count == 0
    assert second.header("etag") == first.header("etag")
    assert second.header("content-security-policy") == first.header("content-security-policy")
    assert second.header("x-frame-options") == "DENY"
    assert "Cookie" in second.header("vary")
    assert second.headers_named("set-cookie") == []
    assert b"csrfmiddlewaretoken" not in second.body


async def test_visitors_arriving_together_wait_for_one_render(demo):
    # A class opening a set at once, nothing stored yet: the view runs once.
    with count_hops() as hops:
        pages = await asyncio.gather(*(get("/quiz/demo/") for _ in range(10)))
    assert [p.status for p in pages] == [200] * 10
    assert len({p.body for p in pages}) == 1
    assert hops.names.count("questionset_get") == 1, hops.names


async def test_a_fresh_process_renders_a_page_once(demo, settings):
    # Its first requests wait for the first check of the content stamp, so the page they
    # store is kept. Before, that check found a stamp where the page had none and dropped
    # it: each page of a fresh process was rendered twice.
    settings.PAGE_CACHE_RECHECK_SECONDS = 3600
    STORE._content, STORE.checked_at = None, -1e9  # never checked, as a fresh process
    with count_hops() as hops:
        await asyncio.gather(*(get("/quiz/demo/") for _ in range(5)))
        for _ in range(3):
            assert (await get("/quiz/demo/")).status == 200
    assert hops.names.count("content_stamp") == 1, hops.names
    assert hops.names.count("questionset_get") == 1, hops.names


async def test_requests_for_other_views_never_wait_for_each_other(settings):
    # Only PAGE_CACHE_VIEWS pages are worth waiting for: the same anonymous GET of any
    # other view (a lab target, /healthz) runs for each request at once.
    from tests.quizsite import urls_together

    settings.ROOT_URLCONF = "tests.quizsite.urls_together"
    urls_together.ARRIVED.clear()
    pages = await asyncio.gather(*(get("/together/") for _ in range(3)))
    assert [(p.status, p.body) for p in pages] == [(200, b"together")] * 3


async def test_a_page_that_is_not_stored_is_rendered_for_each_visitor_waiting(demo):
    # A 404 is never stored: those who waited for it render their own.
    pages = await asyncio.gather(*(get("/quiz/no-such-set/") for _ in range(3)))
    assert [p.status for p in pages] == [404] * 3


async def test_etag_gives_304_and_gzip_is_sent_to_who_asks(demo):
    first = await get("/quiz/")
    again = await get("/quiz/", headers=[("if-none-match", first.header("etag"))])
    assert (again.status, again.body) == (304, b"")
    zipped = await get("/quiz/", headers=[("accept-encoding", "gzip, br")])
    assert zipped.header("content-encoding") == "gzip"
    assert gzip.decompress(zipped.body) == first.body
    assert int(zipped.header("content-length")) == len(zipped.body) < len(first.body)


async def test_a_page_with_a_csrf_token_is_never_stored():
    first = await get("/accounts/login/")
    second = await get("/accounts/login/")
    assert b"csrfmiddlewaretoken" in first.body
    assert first.headers_named("set-cookie") and second.headers_named("set-cookie")
    assert first.body != second.body  # each visitor their own token


async def test_a_visitor_with_a_session_is_never_served_a_shared_page(demo, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    await sync_to_async(User.objects.create_user)("ada", password="pw-for-ada-123")
    shared = await get("/quiz/")
    # Ada logs in: her page names her and offers "Log out".
    login = await get("/accounts/login/")
    jar = {
        c.split("=")[0]: c.split("=")[1].split(";")[0] for c in login.headers_named("set-cookie")
    }
    body = f"csrfmiddlewaretoken={jar['csrftoken']}&username=ada&password=pw-for-ada-123"
    logged = await get(
        "/accounts/login/",
        method="POST",
        headers=[
            ("cookie", f"csrftoken={jar['csrftoken']}"),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        body=body.encode(),
    )
    assert logged.status == 302
    cookies = dict(c.split(";")[0].split("=", 1) for c in logged.headers_named("set-cookie"))
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    mine = await get("/quiz/", headers=[("cookie", cookie)])
    assert b"Log out" in mine.body and b"Log out" not in shared.body
    # ...and her page was not stored for the next anonymous visitor.
    assert (await get("/quiz/")).body == shared.body


async def test_htmx_requests_and_unlisted_pages_are_not_served_from_the_store(demo):
    await get("/quiz/")
    hits = STORE.hits
    await get("/quiz/", headers=[("hx-request", "true")])
    await get("/learn/search/?q=gil")
    await get("/learn/search/?q=gil")
    assert STORE.hits == hits


async def test_publishing_a_change_drops_the_stored_pages_at_once(demo):
    before = await get("/quiz/")
    assert b"Demo" in before.body
    demo.published = False
    await sync_to_async(demo.save)()
    after = await get("/quiz/")
    assert b"Demo" not in after.body


async def test_a_change_made_elsewhere_is_noticed_by_the_background_recheck(demo, settings):
    # A bulk update sends no signal (as another process's writes would not reach this
    # one): the periodic re-check of the content stamp finds it.
    settings.PAGE_CACHE_RECHECK_SECONDS = 0
    STORE.checked_at = -1e9
    await get("/quiz/")
    await STORE._refreshing  # the first re-check, started by that request
    before = await get("/quiz/")
    # (The importer saves the set, which moves updated_at; the stamp looks at that.)
    await sync_to_async(QuestionSet.objects.filter(pk=demo.pk).update)(
        title="Renamed", updated_at=timezone.now()
    )
    deadline = time.monotonic() + 10
    while b"Renamed" not in (await get("/quiz/")).body:
        assert time.monotonic() < deadline, "the change was never noticed"
        if STORE._refreshing is not None:
            await STORE._refreshing
    assert b"Demo" in before.body


async def test_the_lab_page_is_kept_only_seconds(settings):
    page = await get("/lab/")
    assert page.status == 200
    stored = STORE._pages["/lab/"]
    assert stored.expires is not None
    assert stored.expires - time.monotonic() <= settings.PAGE_CACHE_VIEWS["lab:index"]
