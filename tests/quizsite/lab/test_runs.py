"""The lab's claims, measured on real uvicorn and gunicorn servers through the site's API.

Timings on a shared two-core machine are noisy: every claim is a ratio with a wide margin.
"""

import os
from itertools import pairwise

import httpx


def run(site, name: str, **params) -> dict:
    response = httpx.post(site.url(f"/lab/api/experiments/{name}/runs"), json=params, timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["experiment"] == name
    return body


def most_at_once(rows) -> int:
    """How many of these requests were in flight together at the busiest moment: an
    order fact read off the server's own timestamps, which a busy machine cannot flip."""
    events = sorted([(r["start_ms"], 1) for r in rows] + [(r["end_ms"], -1) for r in rows])
    busiest = current = 0
    for _, step in events:
        current += step
        busiest = max(busiest, current)
    return busiest


def test_async_sleep_overlaps_on_one_thread(lab_site):
    delay = 1000  # overhead on a loaded machine is a few hundred ms: keep it small beside this
    body = run(lab_site, "async-sleep", n=20, delay_ms=delay)
    assert body["params"] == {"n": 20, "delay_ms": delay}
    assert body["expected_ms"] == delay
    assert len(body["requests"]) == 20
    assert most_at_once(body["requests"]) > 1  # they overlapped on one thread
    assert {(r["pid"], r["thread"]) for r in body["requests"]} == {
        (body["requests"][0]["pid"], "MainThread")
    }
    for r in body["requests"]:
        assert set(r) >= {"index", "start_ms", "end_ms", "pid", "thread", "status"}
        assert r["status"] == 200
        assert r["end_ms"] - r["start_ms"] >= delay * 0.9
    assert "20 requests, 1 thread" in body["summary"]
    assert "overlapped" in body["summary"]


def test_sync_sleep_under_uvicorn_uses_a_thread_per_request(lab_site):
    body = run(lab_site, "sync-sleep", n=8, delay_ms=300)
    assert body["threads_used"] >= 8 / 2
    assert body["threads_used"] == len({r["thread"] for r in body["requests"]})
    assert most_at_once(body["requests"]) > 1  # they overlapped, too


def test_blocking_async_is_a_staircase_and_the_heartbeat_stalls(lab_site):
    n, delay = 4, 300
    body = run(lab_site, "blocking-async", n=n, delay_ms=delay)
    assert body["total_ms"] > 0.7 * n * delay
    assert body["heartbeat"]["max_gap_ms"] > 0.7 * delay  # ticks every 20 ms when free
    assert "one at a time" in body["summary"]


def test_one_sync_wsgi_worker_takes_turns_and_threads_come_in_waves(lab_site):
    n, delay = 4, 300
    body = run(lab_site, "wsgi-workers", n=n, delay_ms=delay)
    assert body["sync_ms"] > 0.7 * n * delay  # a floor: n waits in turn cannot be shorter
    rows = {g: [r for r in body["requests"] if r["group"] == g] for g in ("sync", "threads")}
    assert most_at_once(rows["sync"]) == 1  # one request at a time
    assert most_at_once(rows["threads"]) > 1
    groups = {g["name"]: g for g in body["groups"]}
    assert groups["sync"]["threads"] == 1
    assert groups["threads"]["threads"] > 1


def test_fan_out_awaits_in_turn_and_gathers_at_once(lab_site):
    # Order, not speed (a busy machine can stretch any duration): awaited in turn, each
    # upstream call starts after the one before it has ended; with gather or a thread
    # pool, every call has started before any has ended.
    body = run(lab_site, "fan-out", k=4, delay_ms=300)

    def calls(group):
        return sorted((r["start_ms"], r["end_ms"]) for r in body["requests"] if r["group"] == group)

    sequential = calls("sequential")
    assert len(sequential) == 4
    assert all(later[0] >= earlier[1] for earlier, later in pairwise(sequential))
    for group in ("gather", "threads"):
        together = calls(group)
        assert len(together) == 4
        assert max(start for start, _ in together) < min(end for _, end in together)


def test_orm_in_async_reports_synchronous_only_operation(lab_site):
    body = run(lab_site, "orm-in-async")
    assert body["sync_error"].startswith(
        "SynchronousOnlyOperation: You cannot call this from an async context"
    )
    assert [r["status"] for r in body["requests"]] == ["error", "ok", "ok"]
    assert set(body["timings_ms"]) == {
        "sync ORM call",
        "async ORM (acount)",
        "sync_to_async(count)",
    }
    # There is no async driver: both async-looking calls ran their query in the
    # request's worker thread, one and the same, never in the event loop's thread.
    threads = body["query_threads"]
    assert threads["sync ORM call"] == body["view_thread"]
    assert threads["async ORM (acount)"] == threads["sync_to_async(count)"]
    assert threads["async ORM (acount)"] != body["view_thread"]
    assert "not in the view's thread" in body["summary"]


def test_gil_runs_the_same_chunks_four_ways_and_processes_run_elsewhere(lab_site):
    # Whether processes win depends on free cores, which a shared machine may not have:
    # the lab and `make bench` show the race, test_cpu.py tests what the GIL guarantees.
    body = run(lab_site, "gil", chunks=4, work_ms=20)
    modes = {m["mode"]: m for m in body["modes"]}
    assert set(modes) == {"serial", "threads", "processes", "asyncio tasks"}
    assert body["cpu_count"] == os.cpu_count()
    assert "GIL" in body["gil"]
    groups = {m: [r for r in body["requests"] if r["group"] == m] for m in modes}
    assert all(len(rows) == 4 for rows in groups.values())
    pids = {m: {r["pid"] for r in rows} for m, rows in groups.items()}
    assert pids["serial"] == pids["threads"] == pids["asyncio tasks"]
    assert not pids["processes"] & pids["serial"]  # the chunks ran in other processes
    assert len({r["thread"] for r in groups["threads"]}) > 1


def test_push_beats_poll_over_a_real_websocket(lab_site):
    # Polling every second delays an event by half a second on average by design; a push
    # only by the trip through the layer, so the comparison holds on a busy machine.
    body = run(lab_site, "push-vs-poll", events=3, interval_ms=1000)
    by_group = {g: [r for r in body["requests"] if r["group"] == g] for g in ("push", "poll")}
    assert [r["index"] for r in by_group["push"]] == [0, 1, 2]
    assert [r["index"] for r in by_group["poll"]] == [0, 1, 2]
    assert body["push_delay_ms"]["mean"] < body["poll_delay_ms"]["mean"]
