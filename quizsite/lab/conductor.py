"""The conductor: fans concurrent requests out from the server to the lab servers and
collects what each one reports. Browsers open about six connections per host, so N
concurrent requests must leave from here, not from N fetches in the page."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
import time
import weakref
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp
import httpx
from django.conf import settings

RESTARTING_REASON = "is not answering: it is restarting. Try again in a few seconds."
BUSY_REASON = "is busy: it is still working through earlier requests. Try again in a few seconds."


class LabUnavailable(Exception):
    """A lab server did not answer: refused the connection (the supervisor is restarting
    it), or took too long (it is busy with other requests)."""

    def __init__(self, server: str, reason: str = RESTARTING_REASON):
        super().__init__(f"The {server} {reason}")
        self.server = server
        self.retry_after = 3


@dataclass(frozen=True)
class LabServer:
    key: str
    label: str
    setting: str

    @property
    def url(self) -> str:
        # Read per call, so a test's override_settings reaches the conductor too.
        return getattr(settings, self.setting)


ASGI = LabServer("asgi", "lab ASGI worker (uvicorn)", "LAB_ASGI_URL")
WSGI_SYNC = LabServer("wsgi-sync", "lab WSGI sync worker (gunicorn)", "LAB_WSGI_SYNC_URL")
WSGI_THREADS = LabServer(
    "wsgi-threads", "lab WSGI threaded worker (gunicorn)", "LAB_WSGI_THREADS_URL"
)
SERVERS = (ASGI, WSGI_SYNC, WSGI_THREADS)


@functools.cache
def tls() -> ssl.SSLContext:
    # Loading the CA bundle costs tens of milliseconds: once per process, not per run.
    return httpx.create_ssl_context()


# Enough for every run allowed at once (LAB_MAX_CONCURRENT_RUNS × the largest fan-out).
MAX_CONNECTIONS = 256
# Each loop's pool, and the suspended generator that closes it when the loop ends.
_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple] = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def client():
    """Lend the event loop's one connection pool; it stays open for the next run.

    Keep-alive connections, opened before a run's clock starts (warm() below), so a
    picture shows the server's concurrency, not TCP handshakes; a pool per loop because
    a connection belongs to the loop that opened it (the management command and tests
    run their own loops). Idle connections expire before the lab servers close them
    (gunicorn's gthread keeps one 2 s, uvicorn 5 s), so a reused one is never half
    closed. Generous read timeout: the longest run (a blocked loop) lasts up to the
    serial budget.

    aiohttp rather than httpx: the client's own cost lands on every timeline. Sending
    50 requests at once took httpx about 4 ms of CPU each (the last one left 190 ms
    after the first, for an `async-sleep` of 50 x 1 s that then lasted 1.23 s); aiohttp
    parses HTTP in C, and the same run lasts about 1.03-1.06 s."""
    loop = asyncio.get_running_loop()
    held = _pools.get(loop)
    if held is None or held[0].closed:
        http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS, keepalive_timeout=1.5, ssl=tls()),
            timeout=aiohttp.ClientTimeout(total=30.0, connect=3.0),
        )
        keeper = _closed_with_the_loop(http)
        await anext(keeper)
        held = _pools[loop] = (http, keeper)
    yield held[0]


async def _closed_with_the_loop(http: aiohttp.ClientSession):
    """Suspended for the loop's life: when the loop ends, asyncio.run() (and so
    async_to_sync and the test runner) closes its async generators, and this closes the
    pool on its own loop."""
    try:
        yield
    finally:
        await http.close()


async def warm(server: LabServer, connections: int) -> None:
    """Open `connections` keep-alive connections to a server: as many requests at once,
    each held briefly so that none can reuse another's connection."""
    async with client() as http:
        await together(
            *(call(http, server, "async-sleep", delay_ms=50) for _ in range(connections))
        )


def target(server: LabServer, path: str, **query) -> str:
    return f"{server.url}/lab/targets/{path}/" + (f"?{urlencode(query)}" if query else "")


async def call(http: aiohttp.ClientSession, server: LabServer, path: str, **query) -> dict:
    """One request to a lab target; its JSON, with the HTTP status."""
    try:
        async with http.get(target(server, path, **query)) as response:
            if response.status >= 500 or "json" not in response.headers.get("content-type", ""):
                raise LabUnavailable(server.label)
            return {**await response.json(), "status": response.status}
    except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
        connect = isinstance(exc, aiohttp.ConnectionTimeoutError)
        raise LabUnavailable(server.label, RESTARTING_REASON if connect else BUSY_REASON) from exc
    except aiohttp.ClientError as exc:
        raise LabUnavailable(server.label) from exc


async def together(*coroutines) -> list:
    """Run coroutines at once; the first failure cancels the others and is raised as is.

    A TaskGroup cancels every sibling when one fails or when the run itself is cancelled
    (the browser went away), so no request outlives its run."""
    try:
        async with asyncio.TaskGroup() as tasks:
            pending = [tasks.create_task(coroutine) for coroutine in coroutines]
    except ExceptionGroup as failures:
        raise failures.exceptions[0] from None
    return [task.result() for task in pending]


async def fan_out(
    http: aiohttp.ClientSession,
    server: LabServer,
    path: str,
    *,
    n: int,
    t0: float,
    group: str,
    **query,
) -> list[dict]:
    """N concurrent requests to one target, laid on the run's time axis (t0, wall clock)."""
    results = await together(*(call(http, server, path, **query) for _ in range(n)))
    return [request_row(data, t0=t0, group=group, index=i) for i, data in enumerate(results)]


def group(name: str, label: str, rows: list[dict], *, total_ms: float, expected_ms: float) -> dict:
    return {
        "name": name,
        "label": label,
        "total_ms": round(total_ms, 1),
        "expected_ms": round(expected_ms, 1),
        "threads": len({(r["pid"], r["thread"]) for r in rows}),
        "processes": len({r["pid"] for r in rows}),
    }


def request_row(data: dict, *, t0: float, group: str, index: int) -> dict:
    return {
        "index": index,
        "group": group,
        "start_ms": round((data["start"] - t0) * 1000, 1),
        "end_ms": round((data["end"] - t0) * 1000, 1),
        "pid": data["pid"],
        "thread": data["thread"],
        "status": data.get("status", 200),
    }


UP, BUSY, DOWN = "up", "busy", "down"


async def health(server: LabServer) -> str:
    """UP; BUSY when it accepted the connection but did not answer in time (a sync
    worker in the middle of a run answers only when it is done); DOWN when nothing
    accepts connections: the supervisor is restarting it."""
    try:
        # Short: the lab page must not wait long for a server that is restarting.
        async with (
            aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(ssl=tls()),
                timeout=aiohttp.ClientTimeout(connect=1.0, sock_read=1.0),
            ) as http,
            http.get(target(server, "whoami")) as response,
        ):
            status = response.status
    except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError):
        return DOWN
    except TimeoutError:  # connected, no answer in time (ServerTimeoutError is one too)
        return BUSY
    except aiohttp.ClientError:
        return DOWN
    return UP if status == 200 else DOWN


# The lab page shows which servers are down; probing all of them on every page view cost
# more than rendering it. A few seconds of staleness is fine for "restarting".
HEALTH_TTL = 3.0
_health: tuple[float, dict[str, str]] | None = None


async def servers_health() -> dict[str, str]:
    global _health
    if _health is not None and time.monotonic() - _health[0] < HEALTH_TTL:
        return _health[1]
    states = await asyncio.gather(*(health(server) for server in SERVERS))
    result = {server.key: state for server, state in zip(SERVERS, states, strict=True)}
    _health = (time.monotonic(), result)
    return result


def now() -> float:
    return time.time()
