"""CPU-bound work for the GIL experiment, run serially, in threads, in processes and as
asyncio tasks. No Django here: worker processes are spawned and import only this module.
"""

import asyncio
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def spin(iterations: int) -> int:
    """Pure Python arithmetic: holds the GIL the whole time (no I/O, no C call releases it)."""
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return total


def iterations_per_ms() -> float:
    """Measured on every run, fastest of three: other programs can only slow a sample
    down, and a rate measured while they did would make every chunk too short."""
    spin(20_000)  # warm up
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        spin(100_000)
        best = min(best, time.perf_counter() - started)
    return 100_000 / (best * 1000)


def chunk(iterations: int) -> dict:
    # The CPU time this thread really got: on busy cores it falls behind the wall time,
    # and that, not a guess, is what tells a busy machine from the GIL.
    started, cpu = time.time(), time.thread_time()
    spin(iterations)
    return {
        "start": started,
        "end": time.time(),
        "cpu_ms": (time.thread_time() - cpu) * 1000,
        "pid": os.getpid(),
        "thread": threading.current_thread().name,
    }


async def as_task(iterations: int) -> dict:
    return chunk(iterations)  # never awaits: tasks take turns, one at a time


async def all_tasks(iterations: int, chunks: int) -> list[dict]:
    return await asyncio.gather(*(as_task(iterations) for _ in range(chunks)))


def gil_status() -> str:
    check = getattr(sys, "_is_gil_enabled", None)  # Python 3.13+
    if check is None:
        return "GIL enabled (standard build)"
    return "GIL enabled" if check() else "GIL disabled (free-threaded build)"


def best_of(modes: dict, rounds: int = 3) -> list[dict]:
    """Each mode's fastest round, as timeit reports. The modes take turns round by round,
    so a burst from another program on the machine slows them all, not just one; and it
    can only ever slow a round down, so the fastest is the closest to the mode's cost."""
    best: dict[str, dict] = {}
    every: dict[str, list[float]] = {mode: [] for mode in modes}
    for _ in range(rounds):
        for mode, run in modes.items():
            started = time.perf_counter()
            results = run()
            total = (time.perf_counter() - started) * 1000
            every[mode].append(round(total, 1))
            if mode not in best or total < best[mode]["total_ms"]:
                best[mode] = {"mode": mode, "total_ms": total, "chunks": results, "rounds": rounds}
    for mode, result in best.items():
        result["rounds_ms"] = every[mode]  # the spread of the rounds is the noise
    return list(best.values())


def compare(*, chunks: int, work_ms: int) -> dict:
    iterations = int(iterations_per_ms() * work_ms)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = max(1, min(chunks, cores or 1))
    # Spawned, not forked: forking a process that runs threads can copy a held lock.
    context = multiprocessing.get_context("spawn")
    with (
        ThreadPoolExecutor(max_workers=chunks) as threads,
        ProcessPoolExecutor(max_workers=workers, mp_context=context) as processes,
    ):
        # Start every worker process before the clock runs: we time the work, not the
        # spawn. Each warm-up task waits, so each worker must take one.
        list(processes.map(time.sleep, [0.3] * workers))
        modes = best_of(
            {
                "serial": lambda: [chunk(iterations) for _ in range(chunks)],
                "threads": lambda: list(threads.map(chunk, [iterations] * chunks)),
                "processes": lambda: list(processes.map(chunk, [iterations] * chunks)),
                "asyncio tasks": lambda: asyncio.run(all_tasks(iterations, chunks)),
            }
        )
    return {
        "modes": modes,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "cpu_count": os.cpu_count(),
        "usable_cores": cores,
        "gil": gil_status(),
    }
