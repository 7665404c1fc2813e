"""`make bench` (see __init__.py). Prints; asserts nothing about speed."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from . import inprocess, learners, load, servers
from .browser import cookie_header, csrf_headers, form_fields, new_client, start_attempt

EXPLAINER = "sync-vs-async"
SETS = ["sync-vs-async", "the-gil", "wsgi-vs-asgi", "async-views-and-orm"]


def say(text: str = "") -> None:
    print(text, flush=True)


def arguments(argv: list[str] | None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m quizsite.bench", description=__doc__)
    parser.add_argument(
        "--seconds", type=int, default=int(env("BENCH_SECONDS", 60)), help="the class run"
    )
    parser.add_argument("--learners", type=int, default=int(env("BENCH_LEARNERS", 200)))
    parser.add_argument(
        "--think",
        type=float,
        default=float(env("BENCH_THINK", 2)),
        help="a learner's mean reading time before each click, in the class runs that read",
    )
    parser.add_argument(
        "--page-seconds", type=int, default=int(env("BENCH_PAGE_SECONDS", 5)), help="per page"
    )
    parser.add_argument(
        "--connections", type=int, default=int(env("BENCH_CONNECTIONS", 10)), help="per page"
    )
    parser.add_argument("--var-dir", type=Path, help="keep the bench's database and logs here")
    return parser.parse_args(argv)


async def attempt_for_pages(base: str) -> tuple[str, dict]:
    """A learner with a started attempt: its question 1 path and the headers that are
    its session (cookie, CSRF), for the load tool and the in-process count."""
    async with new_client(base) as client:
        path, _ = await start_attempt(client, SETS[0])
        page = await client.get(path)
        fields = form_fields(page.text, "/q/1/answer/") or {}
        return path, {
            "cookie": cookie_header(client),
            **(await csrf_headers(client)),
            "fields": fields,
        }


def form_body(fields: dict[str, list[str]]) -> str:
    return str(httpx.QueryParams([(k, v) for k, values in fields.items() for v in values]))


def pages(question: str, session: dict, body: str) -> list[inprocess.Page]:
    headers = {"Cookie": session["cookie"]}
    post = {
        **headers,
        "X-CSRFToken": session.get("X-CSRFToken", ""),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return [
        inprocess.Page("/", "/"),
        inprocess.Page(f"explainer /learn/{EXPLAINER}/", f"/learn/{EXPLAINER}/"),
        inprocess.Page("/quiz/", "/quiz/"),
        inprocess.Page("/lab/", "/lab/"),
        inprocess.Page("question page (started attempt)", question, headers=headers),
        inprocess.Page("answer POST", f"{question}answer/", "POST", post, body),
    ]


def measure_pages(base: str, hello: str, pages_: list[inprocess.Page], args) -> None:
    say(
        f"== Requests per second: {load.tool()}, {args.connections} connections, {args.page_seconds} s per URL =="
    )

    def measure(url: str, **request) -> load.Load:
        # One second of the same load first, not counted: each of the site's processes
        # then has the page rendered and stored, as in a server that has run a while
        # (a process renders each page the first time it is asked for it).
        options = {"connections": args.connections, **request}
        load.measure(url, seconds=1, **options)
        return load.measure(url, seconds=args.page_seconds, **options)

    reference = measure(hello)
    say(f"{'URL':<40} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x hello':>8}")
    say(
        f"{'hello (gunicorn, 2 sync workers)':<40} {reference.rps:>8.0f} {reference.p50_ms:>8.1f} {reference.p99_ms:>8.1f} {reference.errors:>7} {1:>8.2f}"
    )
    for page in pages_:
        result = measure(base + page.path, headers=page.headers, method=page.method, body=page.body)
        ratio = result.rps / reference.rps if reference.rps else 0
        say(
            f"{page.label[:40]:<40} {result.rps:>8.0f} {result.p50_ms:>8.1f} {result.p99_ms:>8.1f} {result.errors:>7} {ratio:>8.3f}"
        )
    say(
        "(the answer POST repeats one answer: the first is recorded, the rest are refused as already answered)"
    )


async def count_pages(pages_: list[inprocess.Page], session: dict, question: str) -> None:
    say(
        "\n== Thread hops and queries per request (in process: the real ASGI app and middleware) =="
    )
    say(f"{'page':<40} {'status':>6} {'hops':>5} {'queries':>8}")
    # Question 1 is answered by now: the question page and the answer are counted on
    # questions 2 and 3, each the second of two requests (the first fills caches).
    later = [question.replace("/q/1/", f"/q/{n}/") for n in (2, 3)]
    for page in pages_:
        if page.method == "GET":
            path = later[0] if page.path == question else page.path
            page = inprocess.Page(page.label, path, headers=page.headers)
            await inprocess.count(page)
            counted = await inprocess.count(page)
        else:
            for path in later:
                shown = await inprocess.count(
                    inprocess.Page("", path, headers={"Cookie": session["cookie"]})
                )
                fields = form_fields(shown.body.decode(), f"{path}answer/") or {}
                answer = inprocess.Page(
                    page.label, f"{path}answer/", "POST", page.headers, form_body(fields)
                )
                counted = await inprocess.count(answer)
        say(f"{page.label[:40]:<40} {counted.status:>6} {counted.hops:>5} {counted.queries:>8}")


def class_run(base: str, args, count: int, think: float) -> None:
    reading = (
        f"reading {think * 0.5:g}-{think * 1.5:g} s before each click"
        if think
        else "no reading time: a click the moment a page arrives (a stress test)"
    )
    say(
        f"\n== {count} learners for {args.seconds} s, {reading} (asyncio + httpx, real forms and CSRF) =="
    )
    before, cpu = inprocess.responses_recorded(), time.process_time()
    tally, elapsed = asyncio.run(
        learners.class_run(base, SETS, learners=count, seconds=args.seconds, think=think)
    )
    # The learners share the machine with the site: if this process needed most of a
    # core, part of every latency below is the load generator's own queue.
    cpu = (time.process_time() - cpu) / elapsed
    rows = inprocess.responses_recorded() - before
    say(f"{'step':<10} {'count':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for step, count, p50, p99, errors in tally.rows():
        say(f"{step:<10} {count:>7} {p50:>8.1f} {p99:>8.1f} {errors:>7}")
    say(
        f"answers accepted {tally.answers_accepted}, Response rows added {rows}, "
        f"{tally.answers_accepted / elapsed:.1f} answers/s, sets finished {tally.sets_finished}, "
        f"errors {sum(tally.errors.values())} (elapsed {elapsed:.1f} s; "
        f"the learners' own process used {cpu:.0%} of a core)"
    )


def lab_async_sleep(base: str) -> None:
    say("\n== Lab: async-sleep, n=50 x 1 s, through the API ==")
    response = httpx.post(
        f"{base}/lab/api/experiments/async-sleep/runs", json={"n": 50, "delay_ms": 1000}, timeout=60
    )
    body = response.json()
    if response.status_code != 200:
        say(f"failed: {response.status_code} {body.get('error')}")
        return
    starts = [r["start_ms"] for r in body["requests"]]
    say(
        f"whole run {body['total_ms']:.0f} ms (ideal 1000); first request started at {min(starts):.0f} ms, last at {max(starts):.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="quizsite-bench-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    env = servers.site_env(var_dir)
    say(f"Bench database, logs and hello project in {var_dir}")
    servers.prepare(env)
    port, hello_port = servers.free_ports(4), servers.free_ports(1)
    base, hello = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{hello_port}/"
    running = []
    try:
        running.append(servers.start_site(env, port, var_dir / "site.log"))
        project = servers.make_hello(var_dir / "hello")
        running.append(servers.start_hello(project, hello_port, var_dir / "hello.log"))
        say(
            f"site (make run's supervisor) on {base}, hello on {hello}; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n"
        )
        question, session = asyncio.run(attempt_for_pages(base))
        body = form_body(session["fields"])
        pages_ = pages(question, session, body)
        measure_pages(base, hello, pages_, args)

        inprocess.setup({**env, **servers.lab_urls(port)})
        asyncio.run(count_pages(pages_, session, question))
        # A class at its desk (reading), the same class clicking without reading (the
        # stress case), and the 50 learners the answer's p99 goal is stated for.
        class_run(base, args, args.learners, args.think)
        class_run(base, args, args.learners, 0)
        class_run(base, args, 50, args.think)
        lab_async_sleep(base)
    finally:
        for process in reversed(running):
            process.stop()
    if not args.var_dir:
        shutil.rmtree(var_dir, ignore_errors=True)  # kept (and named above) if it failed
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"\n(bench took {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    sys.exit(code)
