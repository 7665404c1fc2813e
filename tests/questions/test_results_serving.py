"""Issue 9 part 3 against a real uvicorn: the results of a 5,000-question attempt are
rendered a page at a time, off the event loop, so /healthz never waits behind them."""

import asyncio
import re
from pathlib import Path

import httpx
import pytest

from tests.servers import manage

BIG = Path(__file__).parent / "big_attempt.py"


@pytest.fixture(scope="module")
def big_attempt(site_server, site_server_env) -> int:
    out = manage(site_server_env, "shell", "-c", BIG.read_text()).stdout
    return int(out.strip().splitlines()[-1])


async def log_in(client: httpx.AsyncClient) -> None:
    form = (await client.get("/accounts/login/")).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = await client.post(
        "/accounts/login/",
        data={"username": "big", "password": "big-password-123", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.text[:500]


def test_the_biggest_results_page_is_bounded(site_server, big_attempt):
    async def run():
        async with httpx.AsyncClient(base_url=site_server.base_url, timeout=120) as client:
            await log_in(client)
            page = await client.get(f"/quiz/attempts/{big_attempt}/results/?page=7")
            return page.text

    html = asyncio.run(run())
    assert html.count('class="quiz-review-item') == 50
    assert "Page 7 of 100" in html
    assert "2500 / 5000" in html  # the score counts every answer, not the page's


def test_healthz_answers_while_the_biggest_results_pages_render(site_server, big_attempt):
    finished: list[str] = []

    async def fetch(client, path, name):
        response = await client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        finished.append(name)

    async def run():
        async with httpx.AsyncClient(base_url=site_server.base_url, timeout=120) as client:
            await log_in(client)
            # Pages never rendered before: their Markdown is not in any cache yet.
            big = [
                asyncio.create_task(
                    fetch(client, f"/quiz/attempts/{big_attempt}/results/?page={n}", f"page{n}")
                )
                for n in (11, 12, 13)
            ]
            await asyncio.sleep(0.05)  # the big requests are in the server first
            await fetch(client, "/healthz", "healthz")
            await asyncio.gather(*big)

    asyncio.run(run())
    assert finished[0] == "healthz", finished
