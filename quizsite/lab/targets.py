"""The views the experiments call: they run on the lab servers only (LAB_SERVE_TARGETS),
never in the site, so a target that blocks its event loop on purpose blocks nobody else.

The lab page shows the source of these functions as it is, so keep them short and
free of anything but the point each one makes. Every target answers with when it started
and ended (wall clock, so the conductor can lay all of them on one axis), and which
process and thread served it.
"""

import asyncio
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import SynchronousOnlyOperation
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import cpu


def stamp(started: float, **extra) -> JsonResponse:
    return JsonResponse(
        {
            "start": started,
            "end": time.time(),
            "pid": os.getpid(),
            "thread": threading.current_thread().name,
            **extra,
        }
    )


def int_param(request: HttpRequest, name: str, default: int, most: int) -> int:
    # The conductor validates first; lab servers still cap what they are asked to do.
    return min(int(request.GET.get(name, default)), most)


def delay_of(request: HttpRequest) -> float:
    return int_param(request, "delay_ms", 100, most=2000) / 1000


# --- 1. async-sleep: waits overlap on one event loop --------------------------------
@require_GET
async def async_sleep(request):
    started = time.time()
    await asyncio.sleep(delay_of(request))  # gives the loop back while it waits
    return stamp(started)


# --- 2. sync-sleep: Django runs a sync view in a thread of its own ------------------
@require_GET
def sync_sleep(request):
    started = time.time()
    time.sleep(delay_of(request))  # blocks this request's thread, not the loop
    return stamp(started)


# --- 3. blocking-async: time.sleep in an async view blocks the whole loop -----------
@require_GET
async def blocking_async(request):
    started = time.time()
    # The bug, on purpose: nothing else on this loop runs while it sleeps. (Linters catch
    # it: ruff's ASYNC251 rule is silenced here.)
    time.sleep(delay_of(request))  # noqa: ASYNC251
    return stamp(started)


@require_GET
@never_cache
async def heartbeat(request):
    """Ticks every 20 ms for a while; a late tick means something blocked the loop."""
    until = time.time() + int_param(request, "duration_ms", 1000, most=15_000) / 1000
    ticks = []
    while (now := time.time()) < until:
        ticks.append(now)
        await asyncio.sleep(0.02)
    return stamp(ticks[0] if ticks else time.time(), ticks=ticks)


# --- 5. fan-out: one request, K upstream calls ---------------------------------------
def upstream_url(request: HttpRequest) -> str:
    # Always our own lab ASGI worker: no URL comes from the user.
    return (
        f"{settings.LAB_ASGI_URL}/lab/targets/async-sleep/?delay_ms={int(delay_of(request) * 1000)}"
    )


@require_GET
async def fan_out_sequential(request):
    started, k = time.time(), int_param(request, "k", 4, most=10)
    async with httpx.AsyncClient(timeout=30) as client:
        calls = [await client.get(upstream_url(request)) for _ in range(k)]  # one by one
    return stamp(started, calls=[call.json() for call in calls])


@require_GET
async def fan_out_gather(request):
    started, k = time.time(), int_param(request, "k", 4, most=10)
    async with httpx.AsyncClient(timeout=30) as client:
        calls = await asyncio.gather(*(client.get(upstream_url(request)) for _ in range(k)))
    return stamp(started, calls=[call.json() for call in calls])


@require_GET
def fan_out_threads(request):
    started, k = time.time(), int_param(request, "k", 4, most=10)
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(max_workers=k) as pool:
        calls = list(pool.map(lambda _: client.get(upstream_url(request)), range(k)))
    return stamp(started, calls=[call.json() for call in calls])


# --- 6. gil: the same CPU-bound chunks four ways -------------------------------------
@require_GET
def gil(request):
    # A sync view: its own thread, so the CPU work never touches the event loop.
    started = time.time()
    chunks, work_ms = (
        int_param(request, "chunks", 4, most=8),
        int_param(request, "work_ms", 50, most=100),
    )
    return stamp(started, **cpu.compare(chunks=chunks, work_ms=work_ms))


# --- 7. orm-in-async: the ORM is sync-only ------------------------------------------
@require_GET
async def orm_in_async(request):
    began, timings, error = time.time(), {}, ""
    started = time.perf_counter()
    try:
        Session.objects.count()  # a sync ORM call on the event loop's thread
    except SynchronousOnlyOperation as exc:
        error = f"{type(exc).__name__}: {exc}"
    timings["sync ORM call"] = time.perf_counter() - started

    # Record the thread every query really runs in. Connections are per thread, so the
    # recorder is installed from the request's sync thread: where acount() and
    # sync_to_async() send their queries (thread_sensitive, one thread per request).
    ran_in: list[str] = []
    recorder = await sync_to_async(_record_query_threads)(ran_in)
    try:
        started = time.perf_counter()
        count = await Session.objects.acount()  # the async API: runs in a thread for you
        timings["async ORM (acount)"] = time.perf_counter() - started

        started = time.perf_counter()
        same = await sync_to_async(Session.objects.count)()  # what acount does inside
        timings["sync_to_async(count)"] = time.perf_counter() - started
    finally:
        # Looked up inside the worker thread: `connection` is that thread's connection.
        await sync_to_async(lambda: connection.execute_wrappers.remove(recorder))()
    threads = {"sync ORM call": threading.current_thread().name}  # refused before any query
    threads.update(zip(("async ORM (acount)", "sync_to_async(count)"), ran_in, strict=False))
    return stamp(began, error=error, count=count, same=same, timings=timings, threads=threads)


def _record_query_threads(ran_in: list[str]):
    """Add a wrapper to this thread's connection that notes each query's thread; return it."""

    def wrapper(execute, sql, params, many, context):
        ran_in.append(threading.current_thread().name)
        return execute(sql, params, many, context)

    connection.execute_wrappers.append(wrapper)
    return wrapper


# --- 8. thread-hops: the same view behind two middleware stacks -------------------
@require_GET
async def thread_hops(request):
    # Served behind Django's default stack and behind the site's (quizsite/lab/asgi.py
    # counts each request's hops). The view itself only awaits: any thread alive here
    # was started by the request path around it.
    started, delay = time.time(), delay_of(request)
    await asyncio.sleep(delay / 2)
    sampled, threads_alive = time.time(), threading.active_count()  # mid-request
    await asyncio.sleep(delay / 2)
    return stamp(started, sampled=sampled, threads_alive=threads_alive)


# --- health: what the supervisor and the lab page ask -------------------------------
@require_GET
@never_cache
async def whoami(request):
    return stamp(time.time())
