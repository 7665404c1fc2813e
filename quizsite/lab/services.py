"""Running an experiment on behalf of a visitor: validate, take a slot, run."""

from __future__ import annotations

from .conductor import LabUnavailable
from .experiments import EXPERIMENTS, ParamError
from .limits import Busy, rate_check, run_requests, run_slot
from .live import live_create
from .runs import run_experiment

# What each failure means for the visitor, as an HTTP status.
FAILURES = {ParamError: 400, Busy: 429, LabUnavailable: 503}


async def experiment_run(*, name: str, data: dict, client: str) -> dict:
    """The run as the API returns it; raises one of FAILURES' exceptions."""
    params = EXPERIMENTS[name].clean(data)
    async with run_slot(client=client, requests=run_requests(name, params)):
        return await run_experiment(name, params)


async def experiment_outcome(*, name: str, data: dict, client: str) -> tuple[int, dict]:
    """(status, body): the run, or {"error": ...} with the status that explains it."""
    try:
        return 200, await experiment_run(name=name, data=data, client=client)
    except tuple(FAILURES) as exc:
        body = {"error": str(exc), "experiment": name}
        if retry_after := getattr(exc, "retry_after", None):
            body["retry_after"] = retry_after
        return FAILURES[type(exc)], body


async def live_run_create(*, data: dict, client: str) -> dict:
    """A push-vs-poll run for the visitor's browser; raises ParamError or Busy."""
    params = EXPERIMENTS["push-vs-poll"].clean(data)
    await rate_check(client=client)
    live = await live_create(events=params["events"], interval_ms=params["interval_ms"])
    return {**live, "indexes": range(live["events"])}
