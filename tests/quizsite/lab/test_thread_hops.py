"""thread-hops: the same async view behind Django's default middleware and behind the
site's, on the session's real lab ASGI worker. Counts only, never timings."""

import ast
import re
from pathlib import Path

import django
import httpx
import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path

from quizsite.hops import asgi_request, count_hops
from quizsite.lab.asgi import StackHandler
from quizsite.lab.stacks import DEFAULT_MIDDLEWARE, in_flight
from tests.servers import manage


async def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("hello", hello)]


def run(site, **params) -> dict:
    response = httpx.post(
        site.url("/lab/api/experiments/thread-hops/runs"), json=params, timeout=60
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_default_middleware_is_what_startproject_writes():
    template = Path(django.__file__).parent / "conf/project_template/project_name/settings.py-tpl"
    source = re.search(r"^MIDDLEWARE = \[.*?\]", template.read_text(), re.M | re.S).group(0)
    assert ast.literal_eval(source.split("=", 1)[1].strip()) == DEFAULT_MIDDLEWARE


async def test_a_stack_handler_uses_its_own_list_and_leaves_the_settings_alone(settings):
    settings.ROOT_URLCONF = __name__
    site_list = list(settings.MIDDLEWARE)
    bare, clickjacking = (
        StackHandler([]),
        StackHandler(["django.middleware.clickjacking.XFrameOptionsMiddleware"]),
    )
    assert settings.MIDDLEWARE == site_list
    counted = []
    for handler in (bare, clickjacking):
        with count_hops() as hops:
            exchange = await asgi_request(handler, "/hello")
        assert (exchange.status, exchange.body) == (200, b"hello")
        counted.append(hops.count)
    assert counted == [2, 3]  # request_started + close; one more for process_response
    assert exchange.header("X-Frame-Options") == "DENY"


def test_in_flight_counts_the_views_running_at_a_moment():
    rows = [
        {"start_ms": 0, "end_ms": 10},
        {"start_ms": 5, "end_ms": 15},
        {"start_ms": 12, "end_ms": 20},
    ]
    assert [in_flight(rows, at) for at in (1, 6, 11, 13, 30)] == [1, 2, 1, 2, 0]


def test_every_request_is_counted_and_each_waiting_request_holds_a_thread(lab_site):
    n = 6
    body = run(lab_site, n=n, delay_ms=400)
    assert [g["name"] for g in body["groups"]] == ["default", "site"]
    rows = {name: [r for r in body["requests"] if r["group"] == name] for name in body["stacks"]}
    assert all(len(mine) == n for mine in rows.values())
    for r in rows["default"]:
        # Seven MiddlewareMixin middleware: at least one hop each, plus the signal's.
        assert r["hops"] > len(DEFAULT_MIDDLEWARE)
        # The view only awaits, yet the main thread and one per request it overlapped
        # with were alive: each request's first hop started a thread that waits with it.
        assert r["in_flight"] >= 1
        assert r["threads_alive"] >= r["in_flight"] + 1
    assert all(r["hops"] >= 0 and r["status"] == 200 for r in rows["site"])
    for name, stack in body["stacks"].items():
        hops = [r["hops"] for r in rows[name]]
        assert (stack["hops_min"], stack["hops_max"]) == (min(hops), max(hops))
        assert stack["in_flight_max"] == max(r["in_flight"] for r in rows[name])
    default = body["stacks"]["default"]
    assert f"{default['hops_max']} hops per request" in body["summary"]
    assert f"with {default['in_flight_max']} requests in flight" in body["summary"]


def test_the_command_runs_it(lab_env, lab_servers):
    out = manage(lab_env, "lab", "thread-hops", "--n", "2", "--delay-ms", "100").stdout
    assert "Django's default MIDDLEWARE (7):" in out.splitlines()[-1]
    assert sum(line.startswith("site ") for line in out.splitlines()) == 2


@pytest.fixture
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


async def test_the_lab_page_draws_it_with_hops_per_request(
    async_client, lab_servers, lab_settings, _fresh_limits
):
    response = await async_client.post(
        "/lab/runs/thread-hops/", {"n": "3", "delay_ms": "100"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Six bars in each of the two layouts (wide and narrow), and a legend swatch.
    assert html.count('<rect class="bar s') == 2 * (2 * 3) + 1
    assert '<th scope="col" class="num">hops</th>' in html
    assert "hops per request" in html
