"""`make bench-live`: N simulated learners in one live session, over real WebSockets,
against a running site (`make run`, or several uvicorn processes sharing Redis).

    python -m questions.live.bench --url http://127.0.0.1:8000 [--url http://...:8001]
                                   --learners 200 --questions 3

It makes a draft set and an instructor in the site's database (the same settings and
DATABASE_URL as the server), then does what a room does: the host logs in and runs the
session over HTTP; each learner joins over HTTP, opens its WebSocket (learners spread
over every --url, the host on the first), receives each question, answers it. Prints
per question how long from the host's "start" until the last learner had it (p50/p99),
the answers sent, acknowledged and recorded, and every error. Prints only: timings on a
shared machine are a measurement, never a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import ssl
import statistics
import time
from dataclasses import dataclass, field

import httpx
from websockets.asyncio.client import connect

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REV = re.compile(r'data-rev="(\d+)"')
BENCH_SET = "live-bench"
BENCH_USER = "live-bench-host"


def prepare(questions: int) -> str:
    """A draft set of single-choice questions and an instructor; returns the password."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from questions.formats.base import ParsedOption, ParsedQuestion, ParsedSet
    from questions.models import QuestionSet
    from questions.services import questionset_import
    from questions.teach.permissions import INSTRUCTORS

    parsed = ParsedSet(
        slug=BENCH_SET,
        title="Live bench",
        format="md",
        questions=[
            ParsedQuestion(
                id=f"b{n}",
                kind="single",
                title=f"Bench question {n + 1}",
                prompt=f"Bench question {n + 1}",
                options=[ParsedOption("right", True), ParsedOption("wrong", False)],
            )
            for n in range(questions)
        ],
    )
    questionset_import(parsed=parsed, dry_run=False, published=False)
    password = secrets.token_urlsafe(16)
    user, _ = User.objects.get_or_create(username=BENCH_USER)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    # A draft is its owner's: the bench host owns the bench set.
    QuestionSet.objects.filter(slug=BENCH_SET).update(owner=user)
    return password


def recorded(code: str) -> int:
    from questions.models import Response

    return Response.objects.filter(attempt__assignment_link__assignment__code=code).count()


@dataclass
class Learner:
    n: int
    base: str
    client: httpx.AsyncClient | None = None
    ws: object = None
    rev: int = -1
    received: dict[int, float] = field(default_factory=dict)  # question -> arrival time
    revealed: dict[int, float] = field(default_factory=dict)  # question -> reveal's arrival
    sent: int = 0
    acked: int = 0
    errors: list[str] = field(default_factory=list)


TLS = ssl.create_default_context()


async def form_post(client: httpx.AsyncClient, path: str, data: dict) -> httpx.Response:
    page = await client.get(path)
    token = CSRF.search(page.text)
    data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
    return await client.post(path, data=data, headers={"Referer": str(page.url)})


async def join(learner: Learner, code: str) -> None:
    # One shared TLS context: httpx would load the CA bundle per client (25 ms each).
    learner.client = httpx.AsyncClient(base_url=learner.base, timeout=60, verify=TLS)
    response = await form_post(learner.client, f"/live/{code}/", {"display_name": f"L{learner.n}"})
    if response.status_code != 302:
        raise RuntimeError(f"join answered {response.status_code}")
    cookies = "; ".join(f"{k}={v}" for k, v in learner.client.cookies.items())
    ws_url = learner.base.replace("http", "ws", 1) + f"/live/ws/{code}/"
    learner.ws = await connect(
        ws_url, origin=learner.base, additional_headers={"Cookie": cookies}, compression=None
    )
    first = json.loads(await learner.ws.recv())
    learner.rev = int(REV.search(first["stage"]).group(1))


async def listen(learner: Learner, questions: int) -> None:
    """Receive until the last question is answered; answer each new question at once."""
    question = 0
    try:
        async for raw in learner.ws:
            data = json.loads(raw)
            stage = data.get("stage", "")
            rev = data.get("rev", 0)
            if "data-live-answer" in stage and rev > learner.rev:
                learner.received[question] = time.perf_counter()
                learner.rev = rev
                question += 1
                learner.sent += 1
                await learner.ws.send(json.dumps({"answer": {"choice": ["0"]}}))
            elif "data-live-recorded" in stage:
                learner.acked += 1
            elif "data-live-verdict" in stage:
                learner.revealed[question - 1] = time.perf_counter()
                if len(learner.revealed) == questions:
                    return
            elif "data-live-error" in stage:
                learner.errors.append(re.sub(r"<[^>]+>", "", stage).split("\n")[1].strip()[:80])
    except Exception as exc:  # noqa: BLE001 - the bench reports every failure, then goes on
        learner.errors.append(f"{type(exc).__name__}: {exc}")


async def until(done, limit: float = 60) -> None:
    """Wait until done() holds, for at most `limit` seconds."""
    deadline = time.monotonic() + limit
    # Polls the learners' counters: 200 tasks bump them; an Event per count is no simpler.
    while not done() and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.02)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


async def run(urls: list[str], learners_n: int, questions: int, password: str, idle: float) -> None:
    host = httpx.AsyncClient(base_url=urls[0], timeout=60)
    await form_post(host, "/accounts/login/", {"username": BENCH_USER, "password": password})

    async def act(path: str) -> httpx.Response:
        token = host.cookies.get("csrftoken", "")  # rotated at login: read it each time
        return await host.post(path, headers={"X-CSRFToken": token})

    created = await act(f"/live/new/{BENCH_SET}/")
    if created.status_code != 302:
        raise SystemExit(
            f"Could not create the session: {created.status_code} (is the host logged in?)"
        )
    code = created.headers["location"].rstrip("/").rsplit("/", 1)[-1]
    print(f"session {code}: {learners_n} learners over {len(urls)} server(s): {', '.join(urls)}")

    learners = [Learner(n, urls[n % len(urls)]) for n in range(learners_n)]
    gate = asyncio.Semaphore(20)  # joins are HTTP + a handshake each: not all at once

    async def gated(learner: Learner) -> None:
        async with gate:
            try:
                await join(learner, code)
            except Exception as exc:  # noqa: BLE001
                learner.errors.append(f"join: {type(exc).__name__}: {exc}")

    started = time.perf_counter()
    await asyncio.gather(*(gated(learner) for learner in learners))
    joined = [learner for learner in learners if learner.ws is not None]
    print(f"joined {len(joined)}/{learners_n} in {time.perf_counter() - started:.1f} s")
    listeners = [asyncio.create_task(listen(learner, questions)) for learner in joined]
    if idle:
        # A room waits in the lobby: idle sockets must still be there when it starts.
        await asyncio.sleep(idle)

    print("question  delivered  p50 ms  p99 ms  max ms  sent/acked  reveal p50/p99 ms")
    for q in range(questions):
        t0 = time.perf_counter()
        await act(f"/live/host/{code}/next/")
        await until(lambda q=q: all(q in x.received and x.acked > q for x in joined))
        delays = [(x.received[q] - t0) * 1000 for x in joined if q in x.received]
        sent = sum(1 for x in joined if x.sent > q)
        acked = sum(1 for x in joined if x.acked > q)
        t1 = time.perf_counter()
        await act(f"/live/host/{code}/reveal/")
        # As in a room, the next question comes after everyone has seen the reveal.
        await until(lambda q=q: all(q in x.revealed for x in joined))
        reveals = [(x.revealed[q] - t1) * 1000 for x in joined if q in x.revealed] or [0.0]
        print(
            f"{q + 1:>8}  {len(delays):>4}/{len(joined):<4}  {statistics.median(delays or [0]):6.0f}"
            f"  {pct(delays or [0], 99):6.0f}  {max(delays or [0]):6.0f}  {sent:>4}/{acked:<5}"
            f"  {statistics.median(reveals):.0f}/{pct(reveals, 99):.0f}"
        )
    await asyncio.wait(listeners, timeout=10)
    await act(f"/live/host/{code}/end/")
    for learner in joined:
        await learner.ws.close()
    for learner in learners:
        if learner.client:
            await learner.client.aclose()
    await host.aclose()

    sent = sum(learner.sent for learner in learners)
    from asgiref.sync import sync_to_async

    in_db = await sync_to_async(recorded)(code)
    errors = [e for learner in learners for e in learner.errors]
    print(f"answers: sent {sent}, recorded {in_db}{'' if sent == in_db else '  <-- MISMATCH'}")
    print(f"errors: {len(errors)}")
    for error in sorted(set(errors))[:10]:
        print(f"  {errors.count(error)} x {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", action="append", help="a site server (repeat for several)")
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--idle", type=float, default=0, help="seconds in the lobby first")
    args = parser.parse_args()
    password = prepare(args.questions)
    urls = args.url or ["http://127.0.0.1:8000"]
    asyncio.run(run(urls, args.learners, args.questions, password, args.idle))


if __name__ == "__main__":
    main()
