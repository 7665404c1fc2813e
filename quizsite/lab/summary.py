"""Sentences that say what happened in one run, computed from its data, never canned:
if the server behaves differently tomorrow, the sentence changes with it."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def seconds(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def most_at_once(rows: list[dict]) -> int:
    """The largest number of requests in progress at the same moment, on the server."""
    if not rows:
        return 0
    durations = sorted(r["end_ms"] - r["start_ms"] for r in rows)
    # A request that starts as the previous one ends is "after", not "with": allow a
    # sliver of slack for the rounding of timestamps.
    slack = max(1.0, durations[len(durations) // 2] * 0.02)
    edges = [(r["start_ms"] + slack, 1) for r in rows] + [(r["end_ms"], -1) for r in rows]
    active = peak = 0
    for _, step in sorted(edges):
        active += step
        peak = max(peak, active)
    return max(peak, 1)


def waves(rows: list[dict]) -> int:
    """How many waves the requests ran in. A request opens a new wave when it starts once
    most of the current wave has finished (at the median end of its requests): a lone
    straggler, early or late, belongs to the wave it overlaps, and a staircase is one
    wave per step."""
    if not rows:
        return 0
    durations = sorted(r["end_ms"] - r["start_ms"] for r in rows)
    slack = max(1.0, durations[len(durations) // 2] * 0.02)  # as in most_at_once
    count, ends = 0, []
    for row in sorted(rows, key=lambda r: r["start_ms"]):
        if not ends or row["start_ms"] >= sorted(ends)[len(ends) // 2] - slack:
            count, ends = count + 1, []
        ends.append(row["end_ms"])
    return count


def concurrency_sentence(rows: list[dict], group: dict) -> str:
    n, peak = len(rows), most_at_once(rows)
    where = plural(group["threads"], "thread")
    if group["processes"] > 1:
        where += f" in {plural(group['processes'], 'process')}".replace("processs", "processes")
    head = f"{plural(n, 'request')}, {where}, {seconds(group['total_ms'])}"
    if n == 1:
        return head + "."
    if peak == 1:
        return head + ": one at a time, each waited for the one before."
    if peak >= n:
        return head + ": they overlapped."
    bursts = waves(rows)
    if bursts == 1:
        return head + f": they overlapped, up to {peak} at the same moment."
    return head + f": at most {peak} at a time, in {bursts} waves."


def hops_text(stack: dict) -> str:
    low, high = stack["hops_min"], stack["hops_max"]
    return plural(high, "hop") if low == high else f"{low} to {high} hops"


def thread_hops_sentence(run: dict) -> str:
    stacks = run["stacks"]
    for g in run["groups"]:
        s = stacks[g["name"]]
        g["sentence"] = (
            f"{hops_text(s)} per request; {plural(s['threads_alive_then'], 'thread')} alive "
            f"with {plural(s['in_flight_max'], 'request')} in flight; {seconds(g['total_ms'])}."
        )
    parts = []
    for s in stacks.values():
        held = s["threads_alive_then"] > s["in_flight_max"]  # the main thread, plus one each
        parts.append(
            f"{s['label']}: {hops_text(s)} per request, "
            f"{plural(s['threads_alive_then'], 'OS thread')} alive with "
            f"{plural(s['in_flight_max'], 'request')} in flight"
            + (" (at least one thread per waiting request)" if held and s["hops_min"] else "")
        )
    saved = stacks["default"]["hops_max"] - stacks["site"]["hops_max"]
    verdict = (
        f"the site's stack saves {plural(saved, 'hop')} per request"
        if saved > 0
        else "the site's stack hops as often"
        if saved == 0
        else f"the site's stack makes {plural(-saved, 'hop')} more per request"
    )
    return "; ".join(parts) + f". {verdict[0].upper()}{verdict[1:]}."


def describe(run: dict) -> str:
    groups = run["groups"]
    for g in groups:
        rows = [r for r in run["requests"] if r["group"] == g["name"]]
        g["sentence"] = concurrency_sentence(rows, g)
    name = run["experiment"]
    if name == "fan-out":
        return (
            f"Awaiting {run['params']['k']} calls in turn took {seconds(run['sequential_ms'])}, "
            f"asyncio.gather {seconds(run['gather_ms'])} ({run['gather_speedup']}× faster), "
            f"a thread pool {seconds(run['threads_ms'])}."
        )
    if name == "gil":
        return gil_sentence(run)
    if name == "orm-in-async":
        times = run["timings_ms"]
        outcome = (
            f"raised {run['sync_error'].split(':')[0]}"
            if run["sync_error"]
            else "did not raise (unexpected)"
        )
        ran_in = {v for k, v in run["query_threads"].items() if k != "sync ORM call"} - {
            run["view_thread"]
        }
        where = (
            f"both queries ran in {', '.join(sorted(ran_in))}, not in the view's thread "
            f"({run['view_thread']})"
            if ran_in
            else f"the queries ran in the view's own thread ({run['view_thread']})"
        )
        return (
            f"The sync ORM call {outcome}; acount() took {times['async ORM (acount)']:.1f} ms and "
            f"sync_to_async(count) {times['sync_to_async(count)']:.1f} ms, both counting the "
            f"{plural(run['count'], 'row')} of the lab's django_session table (any query would "
            f"do: what matters is where it runs): {where}."
        )
    if name == "push-vs-poll":
        push, poll = run["push_delay_ms"], run["poll_delay_ms"]
        for g, delay in zip(groups, (push, poll), strict=True):
            g["sentence"] = (
                f"{plural(len(run['requests']) // 2, 'event')}, mean delay {delay['mean']:.1f} ms, worst {delay['max']:.1f} ms."
            )
        return (
            f"The WebSocket delivered each event {push['mean']:.1f} ms after it was published "
            f"on average; polling every {run['params']['interval_ms']} ms took {poll['mean']:.0f} ms."
        )
    if name == "thread-hops":
        return thread_hops_sentence(run)
    if name == "wsgi-workers":
        return " ".join(f"{g['label']}: {g['sentence']}" for g in groups)
    sentence = groups[0]["sentence"]
    if name == "blocking-async":
        sentence += f" The heartbeat's longest gap was {seconds(run['heartbeat']['max_gap_ms'])} (it ticks every 20 ms)."
    return sentence


def noise(modes: list[dict]) -> float:
    """How much the rounds of one mode varied, the worst mode's, as a fraction."""
    spreads = [
        (max(m["rounds_ms"]) - min(m["rounds_ms"])) / min(m["rounds_ms"])
        for m in modes
        if m.get("rounds_ms") and min(m["rounds_ms"]) > 0
    ]
    return max(spreads, default=0.0)


def gil_sentence(run: dict) -> str:
    """Never names a winner the data cannot support: on busy cores, or inside the noise,
    it says so instead of teaching the opposite of the lesson."""
    by_mode = {m["mode"]: m for m in run["modes"]}
    threads, processes = by_mode["threads"], by_mode["processes"]
    wobble = noise(run["modes"])
    head = (
        f"{run['gil']}, {plural(run['usable_cores'], 'usable core')}: threads ran at "
        f"{threads['speedup']}× the serial speed, processes at {processes['speedup']}×, "
        f"asyncio tasks at {by_mode['asyncio tasks']['speedup']}× "
        + (
            f"(rounds varied by up to {wobble:.0%})."
            if wobble < 1
            else f"(the slowest round of a mode took up to {1 + wobble:.1f}× its fastest)."
        )
    )
    possible = min(run["params"].get("chunks", 1), run["usable_cores"])
    if possible < 2:
        return head + " With one chunk or one core nothing can run in parallel: no mode can win."
    load = run.get("load_average")
    load_note = f", load average {load:.1f} on {run['cpu_count']} cores" if load is not None else ""
    if "cores_used" in processes and processes["cores_used"] < 1 + (possible - 1) / 2:
        return head + (
            f" The machine was busy: the worker processes got {processes['cores_used']:.2f} "
            f"cores' worth of CPU time{load_note}, so processes could not use a second core "
            "and this run shows no winner. On free cores processes finish up to "
            f"{possible}× faster; threads cannot, while the GIL is on."
        )
    best, other = sorted((threads, processes), key=lambda m: m["speedup"], reverse=True)
    if best["speedup"] - other["speedup"] <= wobble * best["speedup"]:
        return head + " The difference is inside the noise: no winner this time."
    return head + f" {best['mode'].capitalize()} won."
