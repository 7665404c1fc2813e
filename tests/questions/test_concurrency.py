"""50 learners answer at once against a real uvicorn server, on the SQLite default (no
"database is locked") and on PostgreSQL through the pool: no error, no lost answer."""

import asyncio
import os
import re
from pathlib import Path

import httpx
import pytest

from tests.servers import Server, manage, site_env, uvicorn_argv

SETS = Path(__file__).parent / "fixtures" / "sets"
LEARNERS = 50
QUESTIONS = 5
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


async def learner(base_url: str, statuses: list[int]) -> int:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:

        async def send(method, url, **kwargs):
            response = await client.request(method, url, **kwargs)
            statuses.append(response.status_code)
            return response

        page = await send("GET", "/quiz/five-quick/")
        # The set page is shared by every visitor and holds no token: its script gets
        # the cookie from /csrf/ and sends the cookie's value, as this does.
        assert "csrfmiddlewaretoken" not in page.text
        await send("GET", "/csrf/")
        token = client.cookies["csrftoken"]
        started = await send(
            "POST",
            "/quiz/five-quick/start/",
            data={"csrfmiddlewaretoken": token, "mode": "practice"},
        )
        question_url = started.headers["location"]
        attempt = int(question_url.split("/")[3])
        for n in range(1, QUESTIONS + 1):
            page = await send("GET", f"/quiz/attempts/{attempt}/q/{n}/")
            token = TOKEN.search(page.text).group(1)
            answered = await send(
                "POST",
                f"/quiz/attempts/{attempt}/q/{n}/answer/",
                data={"csrfmiddlewaretoken": token, "choice": "0"},
            )
            assert answered.headers["location"] == f"/quiz/attempts/{attempt}/q/{n}/"
        return attempt


async def fifty_learners_lose_nothing(server: Server, env: dict[str, str]) -> None:
    manage(env, "import_questions", str(SETS / "five-quick.md"))
    statuses: list[int] = []
    attempts = await asyncio.gather(*(learner(server.base_url, statuses) for _ in range(LEARNERS)))
    assert len(set(attempts)) == LEARNERS
    assert all(status < 500 for status in statuses), sorted(set(statuses))
    ids = ",".join(map(str, attempts))
    counted = manage(
        env,
        "shell",
        "-c",
        "from questions.models import Response; "
        f"print(Response.objects.filter(attempt_id__in=[{ids}]).count())",
    )
    assert int(counted.stdout.split()[-1]) == LEARNERS * QUESTIONS
    log = server.log()
    assert "database is locked" not in log
    assert " 500 " not in log


async def test_fifty_learners_answering_at_once_lose_nothing(site_server, site_server_env):
    await fifty_learners_lose_nothing(site_server, site_server_env)


DATABASE_URL = os.environ.get("DATABASE_URL", "")


@pytest.mark.postgres
@pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="DATABASE_URL does not point at PostgreSQL",
)
async def test_fifty_learners_on_postgresql_through_the_pool(tmp_path):
    # The default pool (10 connections) serves 50 learners' sync request threads.
    env = site_env(tmp_path, DATABASE_URL=DATABASE_URL)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    server = Server(uvicorn_argv(), env, tmp_path / "uvicorn.log").start()
    try:
        await fifty_learners_lose_nothing(server, env)
    finally:
        server.stop()
