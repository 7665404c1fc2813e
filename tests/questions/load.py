"""Learners answering over real HTTP, for the import-under-load test and bench script:
each starts an attempt on a set of true/false questions and answers until told to stop,
recording every answer's status and latency."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

import httpx

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def true_false_gift(n: int, *, slug: str) -> str:
    """A set learners can answer blind: every answer `choice=0` is recorded."""
    questions = [f"::Statement {i}:: Statement number {i} is true. {{T}}" for i in range(n)]
    return "\n\n".join([f"$CATEGORY: {slug}", *questions]) + "\n"


def big_gift(n: int, *, slug: str, edit: str = "") -> str:
    questions = [
        f"::Question {i}:: Which call blocks the event loop in case {i}{edit}? {{\n"
        f"\t=time.sleep({i})#Blocks the thread.\n\t~await asyncio.sleep({i})#Yields.\n"
        f"\t~%50%requests.get(url)#Half marks.\n\t####Explanation {i}.\n}}"
        for i in range(n)
    ]
    return "\n\n".join([f"// title: Big bank\n$CATEGORY: {slug}", *questions]) + "\n"


@dataclass
class Answers:
    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses.append(status)
            self.latencies.append(seconds)


def _start(client: httpx.Client, slug: str, token: str) -> tuple[httpx.Response, str]:
    """Start an attempt. The set's page is shared (page-cached) and holds no token: the
    first POST gets the site's confirmation page, whose form carries one."""
    data = {"csrfmiddlewaretoken": token} if token else {}
    origin = {"Origin": str(client.base_url).rstrip("/")}
    response = client.post(f"/quiz/{slug}/start/", data=data, headers=origin)
    if response.status_code == 403 and (found := TOKEN_RE.search(response.text)):
        token = found.group(1)
        response = client.post(
            f"/quiz/{slug}/start/", data={"csrfmiddlewaretoken": token}, headers=origin
        )
    return response, token


def learner(base_url: str, slug: str, size: int, stop: threading.Event, answers: Answers):
    """One learner: attempts after attempt, one answer at a time, until `stop`."""
    token = ""
    with httpx.Client(base_url=base_url, timeout=120) as client:
        while not stop.is_set():
            started, token = _start(client, slug, token)
            if started.status_code != 302:
                answers.add(started.status_code, 0.0)
                time.sleep(0.1)
                continue
            question = started.headers["location"]
            for n in range(1, size + 1):
                if stop.is_set():
                    return
                url = question.replace("/q/1/", f"/q/{n}/") + "answer/"
                began = time.monotonic()
                response = client.post(url, data={"csrfmiddlewaretoken": token, "choice": "0"})
                answers.add(response.status_code, time.monotonic() - began)
