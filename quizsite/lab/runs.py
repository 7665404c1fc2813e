"""How each experiment runs: which lab server it calls, how, and what the model predicts.
Every runner returns the same shape (see run_experiment); summary.py adds the sentences."""

from __future__ import annotations

import asyncio
import math
import time
import uuid

from django.conf import settings

from . import conductor as c
from .delivery import push_vs_poll
from .stacks import thread_hops
from .summary import describe


async def timed_fan_out(http, server, path, *, n, t0, name, **query):
    started = time.perf_counter()
    rows = await c.fan_out(http, server, path, n=n, t0=t0, group=name, **query)
    return rows, (time.perf_counter() - started) * 1000


async def overlapping(name: str, label: str, path: str, *, n: int, delay_ms: int) -> dict:
    t0 = c.now()
    async with c.client() as http:
        rows, total = await timed_fan_out(
            http, c.ASGI, path, n=n, t0=t0, name=name, delay_ms=delay_ms
        )
    return {
        "requests": rows,
        "groups": [c.group(name, label, rows, total_ms=total, expected_ms=delay_ms)],
    }


async def async_sleep(*, n: int, delay_ms: int) -> dict:
    return await overlapping(
        "async", "async def + await asyncio.sleep", "async-sleep", n=n, delay_ms=delay_ms
    )


async def sync_sleep(*, n: int, delay_ms: int) -> dict:
    run = await overlapping(
        "sync", "def + time.sleep, under uvicorn", "sync-sleep", n=n, delay_ms=delay_ms
    )
    run["threads_used"] = run["groups"][0]["threads"]
    return run


async def blocking_async(*, n: int, delay_ms: int) -> dict:
    t0 = c.now()
    async with c.client() as http:

        async def blocked():
            await asyncio.sleep(0.1)  # the heartbeat starts first, on the same loop
            return await timed_fan_out(
                http, c.ASGI, "blocking-async", n=n, t0=t0, name="blocking", delay_ms=delay_ms
            )

        beat, (rows, total) = await c.together(
            c.call(http, c.ASGI, "heartbeat", duration_ms=n * delay_ms + 300), blocked()
        )
        ticks = [round((tick - t0) * 1000, 1) for tick in beat["ticks"]]
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)] or [0]
    label = "async def + time.sleep (blocks the loop)"
    return {
        "requests": rows,
        "groups": [c.group("blocking", label, rows, total_ms=total, expected_ms=n * delay_ms)],
        "heartbeat": {"every_ms": 20, "ticks_ms": ticks, "max_gap_ms": round(max(gaps), 1)},
    }


async def wsgi_workers(*, n: int, delay_ms: int) -> dict:
    t0, threads = c.now(), settings.LAB_WSGI_THREADS
    async with c.client() as http:
        (sync_rows, sync_ms), (threaded_rows, threaded_ms) = await c.together(
            timed_fan_out(
                http, c.WSGI_SYNC, "sync-sleep", n=n, t0=t0, name="sync", delay_ms=delay_ms
            ),
            timed_fan_out(
                http, c.WSGI_THREADS, "sync-sleep", n=n, t0=t0, name="threads", delay_ms=delay_ms
            ),
        )
    return {
        "requests": sync_rows + threaded_rows,
        "groups": [
            c.group(
                "sync",
                "gunicorn, 1 sync worker",
                sync_rows,
                total_ms=sync_ms,
                expected_ms=n * delay_ms,
            ),
            c.group(
                "threads",
                f"gunicorn, 1 worker × {threads} threads",
                threaded_rows,
                total_ms=threaded_ms,
                expected_ms=math.ceil(n / threads) * delay_ms,
            ),
        ],
        "sync_ms": round(sync_ms, 1),
        "threaded_ms": round(threaded_ms, 1),
        "threads": threads,
    }


FAN_OUT_MODES = [
    ("sequential", "await one after another", "fan-out-sequential"),
    ("gather", "asyncio.gather", "fan-out-gather"),
    ("threads", "def + thread pool", "fan-out-threads"),
]


async def fan_out(*, k: int, delay_ms: int) -> dict:
    t0, rows, groups, own = c.now(), [], [], {}
    async with c.client() as http:
        for name, label, path in FAN_OUT_MODES:
            started = time.perf_counter()
            parent = await c.call(http, c.ASGI, path, k=k, delay_ms=delay_ms)
            total = (time.perf_counter() - started) * 1000
            calls = [
                c.request_row(call, t0=t0, group=name, index=i)
                for i, call in enumerate(parent["calls"])
            ]
            expected = k * delay_ms if name == "sequential" else delay_ms
            rows += calls
            groups.append(c.group(name, label, calls, total_ms=total, expected_ms=expected))
            own[f"{name}_ms"] = round(total, 1)
    own["gather_speedup"] = round(own["sequential_ms"] / own["gather_ms"], 2)
    return {"requests": rows, "groups": groups, **own}


async def gil(*, chunks: int, work_ms: int) -> dict:
    async with c.client() as http:
        result = await c.call(http, c.ASGI, "gil", chunks=chunks, work_ms=work_ms)
    rows, groups, serial = [], [], result["modes"][0]["total_ms"]
    cores = result["usable_cores"]
    for mode in result["modes"]:
        name = mode["mode"]
        # Each mode's best round came at a different moment: each is drawn from its own
        # start, so the bars compare directly.
        t0 = min(chunk["start"] for chunk in mode["chunks"])
        mine = [
            c.request_row(chunk, t0=t0, group=name, index=i)
            for i, chunk in enumerate(mode["chunks"])
        ]
        parallel = name == "processes" or (name == "threads" and "disabled" in result["gil"])
        # The model, against the serial time measured in this run: the machine's speed
        # varies from moment to moment, the ratios are what the GIL decides.
        expected = (
            chunks * work_ms
            if name == "serial"
            else serial / (min(chunks, cores) if parallel else 1)
        )
        rows += mine
        groups.append(c.group(name, name, mine, total_ms=mode["total_ms"], expected_ms=expected))
        mode["speedup"] = round(serial / mode["total_ms"], 2)
        # Cores really used: the CPU time the chunks got over the wall time they took.
        mode["cores_used"] = round(
            sum(chunk.get("cpu_ms", 0) for chunk in mode["chunks"]) / mode["total_ms"], 2
        )
        del mode["chunks"]
    return {
        "requests": rows,
        "groups": groups,
        "modes": result["modes"],
        "start_ms_from": "the start of each mode",
        "load_average": result.get("load_average"),
        "cpu_count": result["cpu_count"],
        "usable_cores": cores,
        "gil": result["gil"],
    }


async def orm_in_async() -> dict:
    t0 = c.now()
    async with c.client() as http:
        result = await c.call(http, c.ASGI, "orm-in-async")
    rows, at = [], (result["start"] - t0) * 1000
    for i, (label, seconds) in enumerate(result["timings"].items()):
        failed = i == 0 and bool(result["error"])
        rows.append(
            {
                "index": i,
                "group": label,
                "start_ms": round(at, 1),
                "end_ms": round(at + seconds * 1000, 1),
                "pid": result["pid"],
                # Where the query ran (the sync call never got to run one).
                "thread": result["threads"].get(label, result["thread"]),
                "status": "error" if failed else "ok",
            }
        )
        at += seconds * 1000
    groups = [
        c.group(r["group"], r["group"], [r], total_ms=r["end_ms"] - r["start_ms"], expected_ms=0)
        for r in rows
    ]
    return {
        "requests": rows,
        "groups": groups,
        "sync_error": result["error"],
        "timings_ms": {k: round(v * 1000, 2) for k, v in result["timings"].items()},
        "count": result["count"],
        "view_thread": result["thread"],
        "query_threads": result["threads"],
    }


IN_TURN = {"fan-out", "gil", "orm-in-async", "thread-hops"}
# Connections each experiment opens to the lab ASGI worker at once. They are opened
# before the clock starts, as a browser's keep-alive connections would be: the run
# then times the server, not N TCP handshakes. (gunicorn's sync worker closes every
# connection after one response, so the WSGI comparison has nothing to warm.)
WARM = {
    "async-sleep": lambda params: params["n"],
    "sync-sleep": lambda params: params["n"],
    "blocking-async": lambda params: params["n"] + 1,
    "thread-hops": lambda params: params["n"],
}
RUNNERS = {
    "async-sleep": async_sleep,
    "sync-sleep": sync_sleep,
    "blocking-async": blocking_async,
    "wsgi-workers": wsgi_workers,
    "fan-out": fan_out,
    "gil": gil,
    "orm-in-async": orm_in_async,
    "push-vs-poll": push_vs_poll,
    "thread-hops": thread_hops,
}


async def run_experiment(name: str, params: dict[str, int]) -> dict:
    """Run one experiment (params already cleaned) and return the API's JSON shape."""
    if name in WARM:
        await c.warm(c.ASGI, WARM[name](params))
    started = time.perf_counter()
    run = await RUNNERS[name](**params)
    # Groups that run one after another add up; groups that run at once overlap.
    combine = sum if name in IN_TURN else max
    total_ms = round((time.perf_counter() - started) * 1000, 1)
    result = {
        "id": uuid.uuid4().hex[:12],
        "experiment": name,
        "params": params,
        "total_ms": total_ms,
        # What the model predicts, and the same thing measured: the whole run also holds
        # set-up (a pool's start, the gil's other rounds) that no model line covers.
        "expected_ms": round(combine(g["expected_ms"] for g in run["groups"]), 1),
        "measured_ms": round(combine(g["total_ms"] for g in run["groups"]), 1),
        **run,
    }
    result["summary"] = describe(result)
    return result
