"""Count thread hops: every `sync_to_async` call made while the block runs.

    with count_hops() as hops:
        ...                      # drive a request through the real ASGI application
    hops.count, hops.names       # how many hops, and what each one ran

A hop is one `SyncToAsync.__call__`: Django's adapted middleware hooks, signal
receivers, `response.close()`, ORM calls from async code. The patch is process-wide, so
count one request at a time.
"""

from __future__ import annotations

import asyncio
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


def _name(func) -> str:
    func = getattr(func, "func", func)  # functools.partial
    owner = getattr(func, "__self__", None)
    qualname = getattr(func, "__qualname__", repr(func))
    if owner is not None and "." not in qualname and not isinstance(owner, ModuleType):
        return f"{type(owner).__qualname__}.{qualname}"
    return qualname


@contextmanager
def count_hops() -> Iterator[Hops]:
    hops = Hops()
    original = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        hops.names.append(_name(self.func))
        return await original(self, *args, **kwargs)

    SyncToAsync.__call__ = counted
    try:
        yield hops
    finally:
        SyncToAsync.__call__ = original


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


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Every SQL statement run while the block runs, in any thread (the ORM calls of an
    async view run in worker threads, each with its own connection)."""
    from django.db.backends.utils import CursorWrapper

    statements: list[str] = []
    original = CursorWrapper._execute_with_wrappers

    def counted(self, sql, params, many, executor):
        statements.append(sql)
        return original(self, sql, params, many, executor)

    CursorWrapper._execute_with_wrappers = counted
    try:
        yield statements
    finally:
        CursorWrapper._execute_with_wrappers = original
