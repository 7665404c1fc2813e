"""How long a 10,000-question GIFT import takes, and how long learners' answers wait
while it runs: a real uvicorn site on loopback, learners answering over HTTP (httpx),
and `manage.py import_questions` in its own process on the same database. Prints only.

    .venv/bin/python -m quizsite.bench.import_under_load [--questions 10000] [--learners 4]

With DATABASE_URL pointing at PostgreSQL it measures that instead of a fresh SQLite
file (the database is used as it is: give it an empty one).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root

from tests.questions.load import Answers, big_gift, learner, true_false_gift  # noqa: E402
from tests.servers import REPO, Server, manage, site_env, uvicorn_argv  # noqa: E402


def timed_import(env, path: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the import process, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "import_questions", "-v", "2", str(path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.monotonic() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--learners", type=int, default=4)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="bench-import-"))
    overrides = {"DATABASE_URL": os.environ["DATABASE_URL"]} if "DATABASE_URL" in os.environ else {}
    env = site_env(var, **overrides)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    small = var / "answer-me.gift"
    small.write_text(true_false_gift(50, slug="answer-me"), encoding="utf-8")
    manage(env, "import_questions", str(small))
    big = var / "big-bank.gift"
    big.write_text(big_gift(args.questions, slug="big-bank"), encoding="utf-8")
    edited = var / "big-bank-edited.gift"
    edited.write_text(big_gift(args.questions, slug="big-bank", edit=" (edited)"), "utf-8")
    engine = "PostgreSQL" if "postgres" in env["DATABASE_URL"] else "SQLite"
    print(f"{engine}, {args.questions} questions, {args.learners} learners answering")
    server = Server(uvicorn_argv(), env, var / "uvicorn.log").start()
    try:
        for label, path in (("new set", big), ("every question changed", edited)):
            answers, stop = Answers(), threading.Event()
            threads = [
                threading.Thread(
                    target=learner, args=(server.base_url, "answer-me", 50, stop, answers)
                )
                for _ in range(args.learners)
            ]
            for thread in threads:
                thread.start()
            time.sleep(2)  # learners under way before the import starts
            with answers.lock:
                before = len(answers.statuses)
            wall, cpu, output = timed_import(env, path)
            with answers.lock:
                during = answers.latencies[before:]
                statuses = answers.statuses[before:]
            stop.set()
            for thread in threads:
                thread.join()
            print(f"\nimport ({label}): {wall:.1f} s wall, {cpu:.1f} s CPU")
            for line in output.splitlines():
                print("  " + line)
            errors = sum(1 for s in statuses if s >= 500)
            print(
                f"answers during the import: {len(during)}, longest {max(during, default=0):.2f} s,"
                f" server errors {errors}"
            )
        load = os.getloadavg()[0]
        print(f"\nload average at the end: {load:.1f} on {os.cpu_count()} cores")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
