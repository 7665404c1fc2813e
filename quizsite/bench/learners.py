"""A class clicking through quizzes: each learner has its own cookies, opens a set,
starts a practice attempt, answers every question through the real form (with the
CSRF token), reads the feedback, finishes and reads the results, then the next set,
until the time is up. Every step is timed; anything but the expected status is an
error.

`think` is the reading time in seconds before each click a person makes (opening the set,
starting it, answering, moving on from the feedback, finishing), drawn uniformly from half to one and
a half times it; the redirects a browser follows by itself (to the question, the feedback,
the results) come at once. With think 0 every learner clicks the moment a page arrives:
a closed loop that keeps `learners` requests in flight, so each step waits about
learners / throughput whatever the site does; a stress test, not a class."""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

from .browser import form_fields, new_client, question_number, submit
from .load import percentiles

STEPS = ["set page", "start", "question", "answer", "feedback", "finish", "results"]
EXPECTED = {
    "set page": 200,
    "start": 302,
    "question": 200,
    "answer": 302,
    "feedback": 200,
    "finish": 302,
    "results": 200,
}


@dataclass
class Tally:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    answers_accepted: int = 0
    sets_finished: int = 0

    def note(self, step: str, response: httpx.Response, elapsed_ms: float) -> bool:
        self.timings[step].append(elapsed_ms)
        ok = response.status_code == EXPECTED[step]
        if not ok:
            self.errors[step] += 1
        return ok

    def rows(self) -> list[tuple[str, int, float, float, int]]:
        return [
            (step, len(self.timings[step]), *percentiles(self.timings[step]), self.errors[step])
            for step in STEPS
            if self.timings[step] or self.errors[step]
        ]


async def timed(tally: Tally, step: str, call) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await call
    except httpx.HTTPError:
        tally.errors[step] += 1
        return None
    return response if tally.note(step, response, (time.perf_counter() - started) * 1000) else None


async def learner(
    base_url: str, slugs: list[str], first: int, until: float, tally: Tally, think: float = 0
) -> None:
    async def read() -> None:
        if think:
            await asyncio.sleep(think * random.uniform(0.5, 1.5))

    async with new_client(base_url) as client:
        turn = first
        while time.perf_counter() < until:
            slug = slugs[turn % len(slugs)]
            turn += 1
            await read()  # the link to the set: arriving, or done reading the results
            page = await timed(tally, "set page", client.get(f"/quiz/{slug}/"))
            if page is None:
                continue
            data = {**(form_fields(page.text, f"/quiz/{slug}/start/") or {}), "mode": ["practice"]}
            await read()
            started = await timed(tally, "start", submit(client, f"/quiz/{slug}/start/", data))
            if started is None:
                continue
            path = started.headers["location"]
            while time.perf_counter() < until:
                n = question_number(path)
                question = await timed(tally, "question", client.get(path))
                fields = question and form_fields(question.text, f"/q/{n}/answer/")
                if not fields:
                    break
                await read()
                answered = await timed(tally, "answer", submit(client, f"{path}answer/", fields))
                if answered is None:
                    break
                tally.answers_accepted += 1
                feedback = await timed(tally, "feedback", client.get(answered.headers["location"]))
                if feedback is None:
                    break
                await read()
                if f"/q/{n + 1}/" in feedback.text:
                    path = path.replace(f"/q/{n}/", f"/q/{n + 1}/")
                    continue
                finish = form_fields(feedback.text, "/finish/")
                pk = path.split("/attempts/")[1].split("/")[0]
                finish_path = f"/quiz/attempts/{pk}/finish/"
                finished = await timed(tally, "finish", submit(client, finish_path, finish or {}))
                if finished is not None:
                    results = await timed(
                        tally, "results", client.get(finished.headers["location"])
                    )
                    tally.sets_finished += results is not None
                break


async def class_run(
    base_url: str, slugs: list[str], *, learners: int, seconds: float, think: float = 0
) -> tuple[Tally, float]:
    tally = Tally()
    began = time.perf_counter()
    until = began + seconds
    await asyncio.gather(
        *(learner(base_url, slugs, i, until, tally, think) for i in range(learners))
    )
    return tally, time.perf_counter() - began
