"""`make bench`'s pieces, and the whole bench end to end with tiny sizes. Its numbers
are not checked (speed varies with the machine's load); its counts are."""

import re
import shutil
import sqlite3
import subprocess
import sys

import httpx
import pytest

from quizsite.bench import servers
from quizsite.bench.browser import form_fields
from quizsite.bench.load import parse_wrk, percentiles
from tests.servers import REPO, free_port

QUESTION_FORM = """
<form method="post" action="/quiz/attempts/7/finish/"><input type="hidden" name="x" value="no"></form>
<form class="quiz-form" method="post" action="/quiz/attempts/7/q/2/answer/">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="radio" name="choice" value="0"> <input type="radio" name="choice" value="1">
  <select name="rank-0"><option value="1">1</option><option value="2" selected>2</option></select>
  <select name="rank-1"><option value="1">1</option><option value="2">2</option></select>
  <input type="text" name="text"><button type="submit">Submit</button>
</form>"""

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:1/
  2 threads and 10 connections
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     99%    1.50s
  20000 requests in 5.00s, 2.63MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:   4000.50
"""


def test_a_form_is_filled_as_a_person_choosing_the_first_option_would():
    fields = form_fields(QUESTION_FORM, "/q/2/answer/")
    assert fields == {
        "csrfmiddlewaretoken": ["tok"],
        "choice": ["0"],
        "rank-0": ["2"],
        "rank-1": ["1"],
        "text": ["async"],
    }
    assert form_fields(QUESTION_FORM, "/q/3/answer/") is None


def test_wrk_output_is_read_with_its_units_and_errors():
    load = parse_wrk(WRK_OUTPUT)
    assert (load.rps, load.p50_ms, load.p99_ms) == (4000.5, 0.812, 1500.0)
    assert (load.requests, load.errors) == (20000, 6)


def test_percentiles_of_a_known_list():
    assert percentiles(list(range(1, 102))) == (51, 100)


def test_the_hello_project_is_startproject_with_one_view_under_two_sync_workers(tmp_path):
    project = servers.make_hello(tmp_path / "hello")
    settings = (project / "hello" / "settings.py").read_text()
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings  # Django's defaults
    port = free_port()
    hello = servers.start_hello(project, port, tmp_path / "hello.log")
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/")
        assert (response.status_code, response.text) == (200, "Hello, world")
    finally:
        hello.stop()
    assert len(re.findall(r"Booting worker", (tmp_path / "hello.log").read_text())) == 2


@pytest.mark.server
def test_the_bench_runs_end_to_end_with_tiny_sizes(site_server_env, site_var_dir, tmp_path):
    # Start from the session's prepared database (a copy), so the bench's own set-up
    # (migrate, collectstatic, load_content) has little left to do.
    with (
        sqlite3.connect(site_var_dir / "db.sqlite3") as source,
        sqlite3.connect(tmp_path / "db.sqlite3") as copy,
    ):
        source.backup(copy)
    shutil.copytree(site_var_dir / "static", tmp_path / "static")
    argv = [sys.executable, "-m", "quizsite.bench", "--seconds", "2", "--learners", "3"]
    argv += ["--page-seconds", "1", "--var-dir", str(tmp_path)]
    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=240)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "x hello" in out and "hello (gunicorn, 2 sync workers)" in out
    hops = out.split("Thread hops and queries")[1].split("==", 2)[1]
    rows = [line.split() for line in hops.strip().splitlines()[1:7]]
    assert [row[-3] for row in rows] == ["200"] * 5 + ["302"], hops
    assert all(int(row[-2]) >= 0 and int(row[-1]) >= 0 for row in rows)
    accepted, added = map(
        int, re.search(r"answers accepted (\d+), Response rows added (\d+)", out).groups()
    )
    assert accepted == added
    assert "whole run" in out  # the lab's async-sleep ran through the API
