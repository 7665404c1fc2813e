"""What the GIL guarantees, measured as CPU time, which a busy machine cannot inflate:
threads running Python code never use more than one core between them, and processes
do the same work in other processes. Whether processes finish sooner depends on free
cores (the lab and `make bench` show that race; a test on a shared machine cannot)."""

import multiprocessing
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from quizsite.lab import cpu

CHUNKS = 4

gil_on = pytest.mark.skipif(
    not getattr(sys, "_is_gil_enabled", lambda: True)(),
    reason="a free-threaded build has no GIL to test",
)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.fixture(scope="module")
def iterations() -> int:
    return int(cpu.iterations_per_ms() * 100)  # about 100 ms of CPU per chunk


@gil_on
def test_cpu_bound_threads_never_use_more_than_one_core(iterations):
    wall, used = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=CHUNKS) as pool:
        results = list(pool.map(cpu.chunk, [iterations] * CHUNKS))
    wall, used = time.perf_counter() - wall, time.process_time() - used
    assert len(results) == CHUNKS
    assert len({r["thread"] for r in results}) > 1  # really several threads at once
    # process_time() counts every thread of this process: with two cores free and no
    # GIL it would approach 2 cores; with the GIL it stays at one, or below when busy.
    assert used / wall <= 1.3, f"{used:.3f} s of CPU in {wall:.3f} s"


def test_processes_do_the_work_in_children_whose_cpu_time_adds_up(iterations):
    started = time.process_time()
    cpu.spin(iterations)
    one_chunk = time.process_time() - started

    mine, theirs = time.process_time(), children_cpu()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        results = list(pool.map(cpu.chunk, [iterations] * CHUNKS))
    # RUSAGE_CHILDREN counts children once they are waited for: the pool is shut down.
    mine, theirs = time.process_time() - mine, children_cpu() - theirs

    assert len(results) == CHUNKS
    assert os.getpid() not in {r["pid"] for r in results}
    # The children spent at least the work's CPU time (plus their own start-up), and
    # this process did not do it itself.
    assert theirs >= 0.7 * CHUNKS * one_chunk, (theirs, one_chunk)
    assert mine < 0.5 * CHUNKS * one_chunk, (mine, one_chunk)
