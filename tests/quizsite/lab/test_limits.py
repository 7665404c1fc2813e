"""The lab's limits under concurrency: thirty runs sent at once from one client never
get past the limits, with the in-process counters and with Redis, and nothing is left
counted afterwards (a count below zero would let every later run through)."""

from __future__ import annotations

import asyncio
import os

import pytest

from quizsite import counters
from quizsite.lab import limits, services

REDIS_URL = os.environ.get("REDIS_URL", "")
BACKENDS = [
    "local",
    pytest.param(
        "redis",
        marks=[
            pytest.mark.redis,
            pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set"),
        ],
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request, settings):
    settings.REDIS_URL = REDIS_URL if request.param == "redis" else ""
    counters.local_reset()
    if request.param == "redis":
        import redis

        with redis.Redis.from_url(REDIS_URL) as r:
            for key in r.scan_iter(f"{counters.PREFIX}*"):
                r.delete(key)
    yield request.param
    counters.local_reset()


class Recorder:
    """Stands in for the lab servers: a run that lasts a moment and records how many
    runs, and how many requests, were under way at once."""

    def __init__(self):
        self.runs = self.requests = self.max_runs = self.max_requests = 0

    async def __call__(self, name, params):
        weight = limits.run_requests(name, params)
        self.runs += 1
        self.requests += weight
        self.max_runs = max(self.max_runs, self.runs)
        self.max_requests = max(self.max_requests, self.requests)
        try:
            await asyncio.sleep(0.05)
        finally:
            self.runs -= 1
            self.requests -= weight
        return {"experiment": name}


@pytest.fixture
def recorder(monkeypatch):
    fake = Recorder()
    monkeypatch.setattr(services, "run_experiment", fake)
    return fake


async def burst(async_client, body: bytes, count: int = 30) -> list[int]:
    responses = await asyncio.gather(
        *(
            async_client.post(
                "/lab/api/experiments/async-sleep/runs", body, content_type="application/json"
            )
            for _ in range(count)
        )
    )
    for response in responses:
        if response.status_code == 429:
            assert response.json()["error"].startswith("Busy:")
            assert int(response["Retry-After"]) >= 1
    return [r.status_code for r in responses]


async def assert_nothing_held():
    assert await counters.lease_total(limits.RUNS_KEY) == 0
    assert await counters.lease_total(limits.REQUESTS_KEY) == 0


async def test_thirty_runs_at_once_stay_within_the_limits(
    backend, recorder, async_client, settings
):
    settings.LAB_RUNS_PER_MINUTE, settings.LAB_MAX_CONCURRENT_RUNS = 12, 2
    accepted = 0
    for _ in range(2):  # two bursts: the second must not find a count gone wrong
        statuses = await burst(async_client, b'{"n": 2, "delay_ms": 10}')
        assert set(statuses) <= {200, 429}
        accepted += statuses.count(200)
        assert recorder.max_runs <= 2
        await assert_nothing_held()
    assert 1 <= accepted <= 12


async def test_requests_in_flight_are_capped_across_runs(backend, recorder, async_client, settings):
    settings.LAB_RUNS_PER_MINUTE, settings.LAB_MAX_CONCURRENT_RUNS = 1000, 30
    settings.LAB_MAX_REQUESTS_IN_FLIGHT = 120
    statuses = await burst(async_client, b'{"n": 50, "delay_ms": 10}')
    assert statuses.count(200) >= 1
    assert recorder.max_requests <= 120
    assert recorder.max_runs <= 2  # 50 requests each: two fit under 120, three do not
    alone = await async_client.post(
        "/lab/api/experiments/wsgi-workers/runs",
        b'{"n": 50, "delay_ms": 10}',
        content_type="application/json",
    )
    assert alone.status_code == 200  # 100 requests fit when nothing else runs
    await assert_nothing_held()


async def test_a_cancelled_run_gives_its_slot_back(backend, recorder, settings):
    settings.LAB_RUNS_PER_MINUTE, settings.LAB_MAX_CONCURRENT_RUNS = 1000, 1
    started = asyncio.Event()

    async def hold():
        async with limits.run_slot(client="c", requests=5):
            started.set()
            await asyncio.sleep(30)

    task = asyncio.create_task(hold())
    await started.wait()
    assert await counters.lease_total(limits.RUNS_KEY) == 1
    assert await counters.lease_total(limits.REQUESTS_KEY) == 5
    with pytest.raises(limits.Busy, match="at most 1 experiments at once"):
        async with limits.run_slot(client="d"):
            pass
    task.cancel()  # the browser went away
    with pytest.raises(asyncio.CancelledError):
        await task
    await assert_nothing_held()


async def test_a_lease_left_by_a_dead_process_frees_itself(backend):
    token = await counters.lease_acquire("t:dead", weight=3, limit=3, ttl=0.2)
    assert token is not None
    assert await counters.lease_acquire("t:dead", weight=1, limit=3, ttl=0.2) is None
    await asyncio.sleep(0.3)
    assert await counters.lease_total("t:dead") == 0
    assert await counters.lease_acquire("t:dead", weight=3, limit=3, ttl=0.2) is not None
    await counters.lease_release("t:dead", token)  # releasing a lease twice changes nothing
    await counters.lease_release("t:dead", token)
    assert await counters.lease_total("t:dead") == 3


async def test_hits_count_atomically_and_the_window_is_set_once(backend):
    counts = await asyncio.gather(*(counters.hit("t:hits", window=0.5) for _ in range(30)))
    assert sorted(counts) == list(range(1, 31))  # no two callers saw the same count
    await asyncio.sleep(0.6)
    assert await counters.hit("t:hits", window=0.5) == 1  # the window ended: a fresh count


def test_sync_hits_from_threads_count_atomically(backend):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(10) as pool:
        counts = list(pool.map(lambda _: counters.hit_sync("t:sync", window=5), range(40)))
    assert sorted(counts) == list(range(1, 41))
