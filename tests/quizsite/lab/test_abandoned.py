"""A cancelled run's requests do not keep gunicorn's sync worker busy: the requests
still queued when their client hung up are skipped (499), not slept through."""

import asyncio
import re

import httpx
import pytest

from tests.quizsite.lab.conftest import gunicorn_argv
from tests.servers import Server

pytestmark = pytest.mark.server


def test_queued_requests_of_a_cancelled_run_are_skipped(site_server_env, site_var_dir):
    env = {**site_server_env, "LAB_SERVE_TARGETS": "1"}
    access_log = site_var_dir / "abandoned-access.log"
    argv = gunicorn_argv("--worker-class", "sync", "--access-logfile", str(access_log))
    server = Server(argv, env, site_var_dir / "abandoned.log")
    server.start(ready_path="/lab/targets/whoami/")

    async def run_then_cancel():
        async with httpx.AsyncClient(timeout=30) as http:
            url = server.url("/lab/targets/sync-sleep/?delay_ms=1000")
            tasks = [asyncio.create_task(http.get(url)) for _ in range(4)]
            await asyncio.sleep(0.4)  # all four sent; the worker is in the first one
            for task in tasks:
                task.cancel()  # what a run does when the browser goes away
            await asyncio.gather(*tasks, return_exceptions=True)
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.get(server.url("/lab/targets/whoami/"))

    try:
        after = asyncio.run(run_then_cancel())
    finally:
        server.stop()
    assert after.status_code == 200
    statuses = re.findall(
        r'"GET /lab/targets/sync-sleep/\S* HTTP/1.1" (\d+)', access_log.read_text()
    )
    # The request the worker was in finishes; the three queued behind it are skipped.
    assert sorted(statuses) == ["200", "499", "499", "499"], statuses
