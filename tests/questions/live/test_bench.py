"""`make bench-live` against real uvicorn servers: every simulated learner receives
every question over its WebSocket and every answer sent is recorded once. Counts only,
never timings. Two cases run two site processes sharing the channel layer, with the
learners split across them and the host on one: through the hub (`make run`'s default)
and through Redis (CI's Redis pass)."""

import os
import re
import subprocess
import sys

import pytest

from tests.servers import REPO, Hub, Server, manage, site_env, uvicorn_argv

REDIS_URL = os.environ.get("REDIS_URL", "")


def bench(env: dict, urls: list[str], learners: int, questions: int, idle: float = 0) -> str:
    argv = [sys.executable, "-m", "questions.live.bench", "--learners", str(learners)]
    argv += ["--questions", str(questions), "--idle", str(idle)]
    for url in urls:
        argv += ["--url", url]
    result = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def assert_all_delivered(output: str, learners: int, questions: int) -> None:
    assert f"joined {learners}/{learners}" in output, output
    delivered = re.findall(r"^\s+\d+\s+(\d+)/(\d+)\s", output, re.M)
    assert delivered == [(str(learners), str(learners))] * questions, output
    sent = learners * questions
    assert f"answers: sent {sent}, recorded {sent}\n" in output, output
    assert "errors: 0" in output, output


@pytest.mark.server
def test_bench_on_one_process_delivers_every_question_and_records_every_answer(
    site_server, site_server_env
):
    output = bench(site_server_env, [site_server.base_url], learners=12, questions=2)
    assert_all_delivered(output, 12, 2)


def two_processes(tmp_path, env: dict, learners: int, idle: float = 0) -> str:
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    servers = [Server(uvicorn_argv(), env, tmp_path / f"uvicorn-{n}.log") for n in range(2)]
    try:
        for server in servers:
            server.start()
        return bench(env, [s.base_url for s in servers], learners=learners, questions=2, idle=idle)
    finally:
        for server in servers:
            server.stop()


@pytest.mark.server
def test_two_processes_joined_by_the_hub_deliver_to_every_learner(tmp_path):
    hub = Hub().start()
    try:
        output = two_processes(tmp_path, site_env(tmp_path, HUB_SOCKET=hub.path), learners=16)
    finally:
        hub.remove()
    assert_all_delivered(output, 16, 2)


@pytest.mark.redis
@pytest.mark.server
@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")
def test_two_processes_on_redis_deliver_to_every_learner(tmp_path):
    env = site_env(tmp_path, REDIS_URL=REDIS_URL)
    # Idle past redis-py's 5 s default read timeout: a waiting room must survive it.
    output = two_processes(tmp_path, env, learners=16, idle=6)
    assert_all_delivered(output, 16, 2)
