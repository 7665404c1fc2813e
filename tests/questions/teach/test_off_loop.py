"""Nothing big on the event loop: while the biggest teaching page renders, the same
uvicorn answers /healthz first. Asserted by order, not by durations.

The server is a real uvicorn serving the site's ASGI app on a loopback socket, run in a
thread of this process so the test can see the moment the page starts to render (Django's
template_rendered signal). At that moment a /healthz is sent, and the renderer waits for
its answer. Rendered in a worker thread, the page waits a moment while the loop answers
/healthz: healthz, then page. Rendered on the loop, the loop is stuck in the renderer,
/healthz cannot be answered until the wait gives up: page, then healthz."""

import threading

import httpx
import pytest
import uvicorn
from django.test import Client
from django.test.signals import template_rendered

from quizsite.asgi import application
from tests.questions.factories import make_set
from tests.servers import free_port

GIVE_UP = 10  # seconds the renderer waits for /healthz before the test calls it blocked

PAGES = {
    "/teach/sets/huge-teach/": "teach/questionset.html",
    "/teach/sets/huge-teach/analysis/": "teach/analysis.html",
}


@pytest.fixture
def live_uvicorn():
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=free_port(), lifespan="off", log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
        assert thread.is_alive(), "uvicorn did not start"
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(10)


def answer_order(base: str, path: str, template_name: str, cookies: dict) -> list[str]:
    """GET path; when template_name starts to render, GET /healthz; the order they end."""
    order, rendering, answered = [], threading.Event(), threading.Event()

    def on_render(sender, template, **kwargs):
        if template.name == template_name and not rendering.is_set():
            rendering.set()
            answered.wait(GIVE_UP)  # in whichever thread renders the page

    def get_page():
        response = httpx.get(base + path, cookies=cookies, timeout=60)
        assert response.status_code == 200 and "huge-teach" in response.text
        order.append("page")

    template_rendered.connect(on_render)
    try:
        page = threading.Thread(target=get_page)
        page.start()
        assert rendering.wait(60), f"{path} never rendered {template_name}"
        assert httpx.get(base + "/healthz", timeout=60).status_code == 200
        order.append("healthz")
        answered.set()
        page.join(60)
    finally:
        template_rendered.disconnect(on_render)
    return order


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("path", "template_name"), PAGES.items())
def test_healthz_answers_first_while_the_biggest_teach_page_renders(
    instructor, live_uvicorn, path, template_name
):
    make_set(slug="huge-teach", n=300, kinds=("single", "multiple", "short", "order"))
    login = Client()
    login.force_login(instructor)
    cookies = {"sessionid": login.cookies["sessionid"].value}
    assert answer_order(live_uvicorn, path, template_name, cookies) == ["healthz", "page"]
