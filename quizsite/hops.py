"""Count thread hops and SQL queries: what the work inside a block costs.

    with count_hops() as hops, count_queries() as queries:
        exchange = await asgi_request(application, "/quiz/")
    hops.count, hops.names       # how many hops, and what each one ran
    len(queries)                 # the SQL statements, in any thread

A hop is one `SyncToAsync.__call__`: Django's adapted middleware hooks, signal
receivers, `response.close()`, ORM calls from async code.

Counts follow the block's own work through a context variable: into tasks created
inside the block, and into the threads `sync_to_async` runs code in (asgiref copies
the context there). Two blocks running at once in two tasks therefore count separately
(the lab's thread-hops experiment counts each of N concurrent requests this way); work
started before the block is not counted. The class patches are installed while any
block is open, and removed when the last one closes.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType

from asgiref.sync import SyncToAsync


@dataclass
class Hops:
    names: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.names)


# The blocks open in this context (nested blocks each count).
_hops: contextvars.ContextVar[tuple[Hops, ...]] = contextvars.ContextVar("hops", default=())
_queries: contextvars.ContextVar[tuple[list, ...]] = contextvars.ContextVar("queries", default=())
_lock = threading.Lock()
_users = 0
_originals: dict[str, object] = {}


def _name(func) -> str:
    func = getattr(func, "func", func)  # functools.partial
    owner = getattr(func, "__self__", None)
    # Never repr(): a bound method's repr shows its owner, and a QuerySet's runs a query.
    qualname = getattr(func, "__qualname__", None) or type(func).__qualname__
    if owner is not None and "." not in qualname and not isinstance(owner, ModuleType):
        return f"{type(owner).__qualname__}.{qualname}"
    return qualname


def _counting_call(self, *args, **kwargs):
    # Not `async def`: the original is a coroutine function, so calling it returns its
    # coroutine unchanged; the hop is noted when the call is made.
    for hops in _hops.get():
        hops.names.append(_name(self.func))
    return _originals["call"](self, *args, **kwargs)


def _counting_execute(self, sql, params, many, executor):
    # Class-wide rather than connection.execute_wrapper(): a connection belongs to one
    # thread, and an async view's queries run in whichever thread sync_to_async picks.
    for statements in _queries.get():
        statements.append(sql)
    return _originals["execute"](self, sql, params, many, executor)


@contextmanager
def _patched() -> Iterator[None]:
    from django.db.backends.utils import CursorWrapper

    global _users
    with _lock:
        _users += 1
        if _users == 1:
            _originals["call"] = SyncToAsync.__call__
            _originals["execute"] = CursorWrapper._execute_with_wrappers
            SyncToAsync.__call__ = _counting_call
            CursorWrapper._execute_with_wrappers = _counting_execute
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                SyncToAsync.__call__ = _originals.pop("call")
                CursorWrapper._execute_with_wrappers = _originals.pop("execute")


@contextmanager
def count_hops() -> Iterator[Hops]:
    """The hops made by the work inside the block (see the module)."""
    hops = Hops()
    with _patched():
        token = _hops.set((*_hops.get(), hops))
        try:
            yield hops
        finally:
            _hops.reset(token)


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Every SQL statement run by the work inside the block, in any thread (the ORM
    calls of an async view run in worker threads, each with its own connection)."""
    statements: list[str] = []
    with _patched():
        token = _queries.set((*_queries.get(), statements))
        try:
            yield statements
        finally:
            _queries.reset(token)


@dataclass
class Exchange:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None

    def headers_named(self, name: str) -> list[str]:
        wanted = name.lower().encode()
        return [v.decode("latin-1") for k, v in self.headers if k.lower() == wanted]


async def asgi_request(
    app,
    path: str,
    *,
    method: str = "GET",
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
) -> Exchange:
    """One HTTP request through an ASGI application in this process, as uvicorn would
    send it (host 127.0.0.1), without a socket: for counting what a request costs."""
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")]
        + [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers or []],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict] = []
    finished = asyncio.Event()

    async def receive():
        if messages:
            return messages.pop(0)
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            finished.set()

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Exchange(start["status"], list(start.get("headers", [])), content)
