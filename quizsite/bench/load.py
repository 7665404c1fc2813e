"""Requests per second and latency percentiles for one URL: Debian's wrk when it is
installed (apt-get install wrk), else an asyncio + httpx loop (slower itself: its
numbers are lower bounds, and the report says which tool measured)."""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass

import httpx


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def tool() -> str:
    return "wrk" if shutil.which("wrk") else "httpx"


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(out: str) -> Load:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    if socket := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(n) for n in socket.groups())
    return Load(rps, p50, p99, errors, requests)


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk(url: str, *, seconds: int, connections: int, headers: dict, method: str, body: str) -> Load:
    script = "\n".join(
        [f"wrk.method = {lua_string(method)}", f"wrk.body = {lua_string(body)}"]
        + [f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        # wrk counts a request slower than its 2 s default timeout as an error, and
        # drops it from the latencies: a busy machine needs longer.
        argv = [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            lua.name,
            url,
        ]
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


async def httpx_loop(
    url: str, *, seconds: int, connections: int, headers: dict, method: str, body: str
) -> Load:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30, headers=headers) as client:
        until = time.perf_counter() + seconds

        async def worker():
            nonlocal errors
            while time.perf_counter() < until:
                started = time.perf_counter()
                try:
                    response = await client.request(method, url, content=body or None)
                    errors += response.status_code >= 400
                except httpx.HTTPError:
                    errors += 1
                latencies.append((time.perf_counter() - started) * 1000)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    return Load(len(latencies) / elapsed, *percentiles(latencies), errors, len(latencies))


def percentiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[98]


def measure(
    url: str,
    *,
    seconds: int,
    connections: int = 10,
    headers: dict | None = None,
    method: str = "GET",
    body: str = "",
) -> Load:
    options = dict(
        seconds=seconds, connections=connections, headers=headers or {}, method=method, body=body
    )
    if tool() == "wrk":
        return wrk(url, **options)
    return asyncio.run(httpx_loop(url, **options))
