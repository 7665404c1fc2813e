"""Abuse limits of the conductor: runs per client per minute, runs at once, and requests
in flight on the lab servers.

Every count is atomic (quizsite/counters.py) and holds across every site process (the
lab servers are shared by all of them): in the hub under `make run`, or in Redis.
"""

from __future__ import annotations

import time
from contextlib import asynccontextmanager

from django.conf import settings

from quizsite import counters

RUNS_KEY = "lab:runs"
REQUESTS_KEY = "lab:requests"
# A lease held by a process that died frees itself after this: longer than the longest
# run (about 12 s plus the conductor's timeouts), short enough that a leak heals soon.
LEASE_TTL = 60


class Busy(Exception):
    def __init__(self, message: str, retry_after: int):
        super().__init__(f"{message}: try again in {retry_after} s.")
        self.retry_after = retry_after


def run_requests(name: str, params: dict[str, int]) -> int:
    """How many requests a run keeps in flight on the lab servers at most."""
    n = params.get("n", 1)
    return {
        "wsgi-workers": 2 * n,  # both gunicorn servers at once
        "blocking-async": n + 1,  # and the heartbeat
        "fan-out": params.get("k", 1) + 1,  # one parent and its upstream calls at a time
        "push-vs-poll": 2,  # the WebSocket and the poller
    }.get(name, n)


async def rate_check(*, client: str) -> None:
    """Count one run for this client in this minute, or raise Busy."""
    now = time.time()
    window = int(now // 60)
    key = f"lab:rate:{client}:{window}"
    if await counters.hit(key, window=61) > settings.LAB_RUNS_PER_MINUTE:
        raise Busy(
            f"Busy: at most {settings.LAB_RUNS_PER_MINUTE} runs a minute per visitor",
            retry_after=max(1, 60 - int(now % 60)),
        )


@asynccontextmanager
async def run_slot(*, client: str, requests: int = 1):
    """Hold one of the site's run slots and room for `requests` requests, or raise Busy."""
    await rate_check(client=client)
    run = await counters.lease_acquire(
        RUNS_KEY, weight=1, limit=settings.LAB_MAX_CONCURRENT_RUNS, ttl=LEASE_TTL
    )
    if run is None:
        raise Busy(
            f"Busy: the lab runs at most {settings.LAB_MAX_CONCURRENT_RUNS} experiments at once",
            retry_after=5,
        )
    try:
        room = await counters.lease_acquire(
            REQUESTS_KEY,
            weight=requests,
            limit=settings.LAB_MAX_REQUESTS_IN_FLIGHT,
            ttl=LEASE_TTL,
        )
        if room is None:
            raise Busy(
                f"Busy: this run needs {requests} requests and the lab servers take at most "
                f"{settings.LAB_MAX_REQUESTS_IN_FLIGHT} at once",
                retry_after=5,
            )
        try:
            yield
        finally:
            await counters.lease_release(REQUESTS_KEY, room)
    finally:
        # Also when the run is cancelled because the browser went away.
        await counters.lease_release(RUNS_KEY, run)
