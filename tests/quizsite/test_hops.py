"""The hop and query counters that the request-path tests, the lab's thread-hops and
the bench rely on."""

import asyncio

import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from django.contrib.sessions.models import Session
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpResponse
from django.urls import path

from quizsite.hops import asgi_request, count_hops, count_queries


async def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("hello", hello)]


def nothing() -> None:
    return None


async def test_a_sync_to_async_call_inside_the_block_is_one_hop():
    await sync_to_async(nothing)()  # before the block: not counted
    with count_hops() as hops, count_queries() as queries:
        await sync_to_async(nothing)()
    await sync_to_async(nothing)()  # after it: not counted either
    assert hops.names == ["nothing"]
    assert (hops.count, queries) == (1, [])


async def test_the_patches_are_removed_after_the_last_block():
    original = SyncToAsync.__call__
    with count_hops() as outer:
        with count_hops() as inner:
            await sync_to_async(nothing)()
        assert SyncToAsync.__call__ is not original
        await sync_to_async(nothing)()
    assert SyncToAsync.__call__ is original
    assert (outer.count, inner.count) == (2, 1)


async def test_two_blocks_at_once_count_their_own_work():
    async def hops(k: int):
        with count_hops() as counted:
            for _ in range(k):
                await sync_to_async(nothing)()
                await asyncio.sleep(0)  # let the other block run in between
        return counted.count

    assert await asyncio.gather(hops(2), hops(5)) == [2, 5]


@pytest.mark.django_db(transaction=True)
async def test_queries_are_counted_in_whichever_thread_runs_them():
    with count_hops() as hops, count_queries() as queries:
        await Session.objects.acount()  # one hop and one query, in a worker thread
        await sync_to_async(lambda: list(Session.objects.all()[:1]))()
    assert (hops.count, len(queries)) == (2, 2)
    assert all("django_session" in sql for sql in queries)


async def test_a_request_through_the_asgi_handler_counts_each_middleware_hook(settings):
    # The control for every exact count elsewhere: an async view with no middleware
    # costs two hops (request_started's sync receivers, response.close), and one
    # MiddlewareMixin middleware with only process_response adds exactly one.
    settings.ROOT_URLCONF = __name__
    counted = {}
    for stack in ([], ["django.middleware.clickjacking.XFrameOptionsMiddleware"]):
        settings.MIDDLEWARE = stack
        handler = ASGIHandler()
        with count_hops() as hops:
            exchange = await asgi_request(handler, "/hello")
        assert (exchange.status, exchange.body) == (200, b"hello")
        counted[len(stack)] = hops.count
    assert counted == {0: 2, 1: 3}
    assert exchange.header("X-Frame-Options") == "DENY"
