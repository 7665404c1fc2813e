"""Each request's sync work runs on a thread leased from a pool (quizsite/handler.py):
threads, and the database connections that belong to them, outlive a request."""

import asyncio
import threading

import pytest
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.db import connections
from django.db.backends.signals import connection_created

from quizsite.asgi import django_asgi_app
from quizsite.handler import ThreadLeases
from quizsite.hops import asgi_request

pytestmark = pytest.mark.django_db(transaction=True)


class Opened:
    """Counts database connections opened, in any thread."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, **kwargs):
        with self.lock:
            self.count += 1


@pytest.fixture
def opened():
    counter = Opened()
    connection_created.connect(counter, weak=False)
    yield counter
    connection_created.disconnect(counter)


async def test_requests_one_after_another_share_one_thread_and_one_connection(opened):
    leases = django_asgi_app.leases
    started = leases.started
    for _ in range(5):
        exchange = await asgi_request(django_asgi_app, "/healthz")
        assert exchange.status == 200  # /healthz runs a query in the request's thread
    # Django's own handler would have started 5 threads and opened 5 connections.
    assert leases.started - started <= 1
    assert opened.count <= 1


async def test_requests_at_once_each_get_their_own_thread_and_all_come_back(opened):
    leases = django_asgi_app.leases
    started = leases.started
    exchanges = await asyncio.gather(*(asgi_request(django_asgi_app, "/healthz") for _ in range(4)))
    assert [e.status for e in exchanges] == [200] * 4
    assert leases.started - started <= 4
    assert leases.idle >= 4 or leases.idle == leases.keep
    # A second round finds the threads, and their connections, already there.
    before = opened.count
    started = leases.started
    await asyncio.gather(*(asgi_request(django_asgi_app, "/healthz") for _ in range(4)))
    assert leases.started == started
    assert opened.count == before


async def test_one_request_runs_its_sync_work_on_one_thread_and_no_other_request_shares_it():
    leases = ThreadLeases(keep=2)
    seen: dict[str, list[int]] = {"a": [], "b": []}
    both_in = threading.Barrier(2, timeout=5)

    def note(name):
        seen[name].append(threading.get_ident())
        both_in.wait()  # both requests are inside their sync code at the same moment

    async def request(name):
        executor = leases.acquire()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await sync_to_async(note)(name)
                await sync_to_async(lambda: seen[name].append(threading.get_ident()))()
        finally:
            leases.release(executor)

    await asyncio.gather(request("a"), request("b"))
    assert len(set(seen["a"])) == 1 and len(set(seen["b"])) == 1
    assert set(seen["a"]) != set(seen["b"])
    assert leases.started == 2 and leases.idle == 2


async def test_threads_past_the_pool_size_close_their_connections_and_end(monkeypatch):
    # The test database is in memory, where Django's close() keeps the connection open;
    # so note which threads ask for their connection to be closed.
    closed_in = []
    wrapper_class = type(connections["default"])
    close = wrapper_class.close
    monkeypatch.setattr(
        wrapper_class,
        "close",
        lambda self: (closed_in.append(threading.current_thread()), close(self))[1],
    )
    leases = ThreadLeases(keep=1)
    kept, extra = leases.acquire(), leases.acquire()

    def connect():
        connections["default"].ensure_connection()  # this thread's own connection
        return threading.current_thread()

    kept_thread = await asyncio.wrap_future(kept.submit(connect))
    extra_thread = await asyncio.wrap_future(extra.submit(connect))
    leases.release(kept)
    leases.release(extra)  # one more than the pool keeps
    await asyncio.to_thread(extra_thread.join, 5)
    assert not extra_thread.is_alive()
    assert closed_in == [extra_thread]  # before it ended, in its own thread
    assert kept_thread.is_alive()
    assert leases.acquire() is kept
