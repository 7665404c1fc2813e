"""The catalogue of experiments: what each shows, its parameters and their limits, the
target views whose source the page shows, and the explainer section it illustrates.
How each one runs is in runs.py; this module is data and validation only."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from . import cpu, events, stacks, targets


class ParamError(ValueError):
    """A parameter out of its limits; the message names the parameter and the limit."""


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    default: int
    min: int
    max: int
    unit: str = ""

    def clean(self, raw) -> int:
        if isinstance(raw, bool):
            raise ParamError(f"{self.name} must be a whole number")
        try:
            value = int(raw)
        except (TypeError, ValueError, OverflowError):  # OverflowError: int(float("inf"))
            raise ParamError(f"{self.name} must be a whole number") from None
        if isinstance(raw, float) and raw != value:
            raise ParamError(f"{self.name} must be a whole number")
        if value < self.min:
            raise ParamError(f"{self.name} must be at least {self.min}")
        if value > self.max:
            raise ParamError(f"{self.name} must be at most {self.max}")
        return value

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "default": self.default,
            "min": self.min,
            "max": self.max,
            "unit": self.unit,
        }


N = Param("n", "Requests", 10, 1, 50)
DELAY = Param("delay_ms", "Wait per request", 500, 10, 2000, "ms")


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    shows: str
    params: tuple[Param, ...]
    code: tuple[Callable, ...]
    explainer: tuple[str, str]  # (explainer slug, section anchor)
    # Experiments whose requests run one after another are capped on total wait.
    serial_budget_ms: int | None = None
    extra: dict = field(default_factory=dict)

    @cached_property
    def source(self) -> str:
        # Read from the running code, so the page can never show something else.
        return "\n\n".join(inspect.getsource(function).rstrip() for function in self.code)

    def clean(self, data: dict) -> dict[str, int]:
        known = {param.name: param for param in self.params}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ParamError(
                f"unknown parameter {unknown[0]}: {self.name} takes {', '.join(known) or 'none'}"
            )
        values = {name: param.clean(data.get(name, param.default)) for name, param in known.items()}
        if self.serial_budget_ms and values["n"] * values["delay_ms"] > self.serial_budget_ms:
            raise ParamError(
                f"n × delay_ms must be at most {self.serial_budget_ms} here: "
                "these requests take turns, so the run lasts about that long"
            )
        return values

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "params": [param.as_json() for param in self.params],
            **({"max_n_times_delay_ms": self.serial_budget_ms} if self.serial_budget_ms else {}),
        }


EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in [
        Experiment(
            "async-sleep",
            "Async views that await",
            "N requests to an async view that awaits asyncio.sleep. While one waits, the "
            "event loop runs the others: every view runs on the loop's one thread, and the "
            "run lasts about one wait. (Each request may still hold an idle thread of its "
            "own if its middleware hops; the thread-hops experiment counts them.)",
            (N, DELAY),
            (targets.async_sleep,),
            ("sync-vs-async", "the-event-loop"),
        ),
        Experiment(
            "sync-sleep",
            "Sync views under uvicorn",
            "N requests to a plain def view calling time.sleep, on the same uvicorn worker. "
            "Django runs each sync request in a thread of its own, so they overlap too: the "
            "difference from async is the number of threads, not the time.",
            (N, DELAY),
            (targets.sync_sleep,),
            ("how-django-runs-your-view", "a-sync-view-under-asgi"),
        ),
        Experiment(
            "blocking-async",
            "A blocked event loop: the staircase",
            "An async view that calls time.sleep instead of awaiting. The loop cannot switch "
            "while it sleeps, so the requests run one after another, and a heartbeat task "
            "on the same loop stops ticking.",
            (N, DELAY),
            (targets.blocking_async, targets.heartbeat),
            ("sync-vs-async", "blocking-the-event-loop"),
            serial_budget_ms=10_000,
        ),
        Experiment(
            "wsgi-workers",
            "WSGI worker models: the waves",
            "The same sync view on gunicorn, once with one sync worker (one request at a "
            "time) and once with one worker of several threads (a wave per thread count).",
            (N, DELAY),
            (targets.sync_sleep,),
            ("wsgi-vs-asgi", "worker-models"),
            serial_budget_ms=10_000,
        ),
        Experiment(
            "fan-out",
            "Fan-out: K upstream calls in one request",
            "One request that calls K upstream services: awaiting them one after another, "
            "with asyncio.gather, and the sync way with a thread pool. Async helps only "
            "when the waits overlap.",
            (
                Param("k", "Upstream calls", 4, 1, 10),
                Param("delay_ms", "Wait per upstream call", 500, 10, 2000, "ms"),
            ),
            (targets.fan_out_sequential, targets.fan_out_gather, targets.fan_out_threads),
            ("sync-vs-async", "asyncio-gather"),
        ),
        Experiment(
            "gil",
            "The GIL: CPU-bound work four ways",
            "The same CPU-bound chunks run serially, in threads, in processes and as asyncio "
            "tasks (the best of three rounds each). Only processes use more than one core "
            "while the GIL is on.",
            (
                Param("chunks", "Chunks", 4, 1, 8),
                Param("work_ms", "CPU per chunk", 50, 10, 100, "ms"),
            ),
            (targets.gil, cpu.spin, cpu.compare, cpu.best_of),
            ("the-gil", "cpu-bound-vs-io-bound-threads"),
        ),
        Experiment(
            "orm-in-async",
            "The ORM in an async view",
            "A sync ORM call inside an async view raises SynchronousOnlyOperation; the async "
            "ORM and sync_to_async both work, by running the query in a thread.",
            (),
            (targets.orm_in_async,),
            ("async-views-and-orm", "synchronousonlyoperation"),
        ),
        Experiment(
            "push-vs-poll",
            "Push vs poll",
            "The lab worker publishes events; a Channels WebSocket delivers each at once, "
            "while a poller finds it at its next poll, on average half an interval late.",
            (
                Param("events", "Events", 5, 1, 20),
                Param("interval_ms", "Poll interval", 500, 100, 2000, "ms"),
            ),
            (events.EventsConsumer, events.publish),
            ("django-channels", "channel-layers-and-groups"),
        ),
        Experiment(
            "thread-hops",
            "Thread hops on the request path",
            "The same async view, which only awaits, behind Django's default middleware and "
            "behind this site's, N requests at once: how many times each request hopped to "
            "a thread (sync_to_async calls), and how many OS threads were alive while they "
            "all waited.",
            (N, DELAY),
            (targets.thread_hops, stacks.thread_hops),
            ("how-django-runs-your-view", "async-capable-is-not-hop-free"),
        ),
    ]
}
