"""Django's ASGI handler, with each request's sync work on a reused thread.

Django's `ASGIHandler` opens a `ThreadSensitiveContext` per request. Its first
thread-sensitive hop (the `request_started` receivers) then starts a new OS thread, and
the end of the request joins it: every rendered request pays for a thread's start and
join, and, since Django's connections belong to a thread, for opening and closing its
own database connection (for SQLite, a file open, two PRAGMAs and some thirty Python
functions registered on the connection).

`ReusedThreadsASGIHandler` keeps Django's semantics (all of one request's thread-sensitive
work runs serially on one thread, and no other request's work runs there meanwhile) but
leases that thread from a small pool of single-thread executors, through asgiref's own
`ThreadSensitiveContext(executor=...)`. A thread outlives its request, so its
connection can too: with `CONN_MAX_AGE` unset (persistent), Django's own
`close_old_connections` at the start and end of each request still closes a broken or
mid-transaction connection, and keeps a good one for the next request on that thread.
The number of threads, and so of connections, is bounded: `keep` idle threads at most;
past that, a request takes a fresh thread that is closed (connections first) after it.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler
from django.db import connections


def _rename(name: str) -> None:
    threading.current_thread().name = name


class ThreadLeases:
    """Single-thread executors lent to one request at a time. Used from one event loop
    only (the process's), so the idle list needs no lock."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._idle: list[ThreadPoolExecutor] = []
        self.started = 0  # threads ever started: what the tests count

    def acquire(self) -> ThreadPoolExecutor:
        if self._idle:
            return self._idle.pop()  # the most recently used: its connection is warm
        self.started += 1
        executor = ThreadPoolExecutor(max_workers=1)
        # Named once, for the lab's tables and for py-spy: "request-3".
        executor.submit(_rename, f"request-{self.started}")
        return executor

    def release(self, executor: ThreadPoolExecutor) -> None:
        if len(self._idle) < self.keep:
            self._idle.append(executor)
            return
        # One too many: close its connections in its own thread (they belong to it),
        # then let the thread end. Neither step blocks the event loop.
        executor.submit(connections.close_all)
        executor.shutdown(wait=False)

    @property
    def idle(self) -> int:
        return len(self._idle)


class ReusedThreadsASGIHandler(ASGIHandler):
    def __init__(self, keep: int = 16) -> None:
        super().__init__()
        self.leases = ThreadLeases(keep)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self.leases.acquire()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.leases.release(executor)
