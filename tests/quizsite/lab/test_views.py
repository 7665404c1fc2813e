"""The lab page, its form and its fragments, rendered in-process against the real lab
servers of the session (tests/quizsite/lab/conftest.py)."""

import re

from quizsite.lab.experiments import EXPERIMENTS
from tests.servers import free_port


async def test_lab_page_has_a_section_per_experiment_with_its_real_source(
    async_client, lab_servers, lab_settings
):
    response = await async_client.get("/lab/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in EXPERIMENTS:
        section = html.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]
        assert f'action="/lab/runs/{name}/#{name}"' in section
        assert f'hx-post="/lab/runs/{name}/"' in section
        # Shared by every visitor (page cache): the token comes from static/js/csrf.js.
        assert "csrfmiddlewaretoken" not in section
        assert "Read the explainer" in section
    # The source shown is the target's own, escaped, including the line that matters.
    assert "await asyncio.sleep(delay_of(request))" in html
    assert "time.sleep(delay_of(request))  # noqa: ASYNC251" in html
    assert "asyncio.gather(*(client.get(upstream_url(request)) for _ in range(k)))" in html
    assert "is restarting" not in html
    assert 'style="' not in html  # the CSP forbids inline styles


async def test_htmx_run_returns_just_the_run_card_with_its_timeline(
    async_client, lab_servers, lab_settings
):
    response = await async_client.post(
        "/lab/runs/async-sleep/", {"n": "5", "delay_ms": "100"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<article class="lab-run')
    # Five bars in each of the two layouts (wide and narrow), and a legend swatch.
    assert len(re.findall(r'<rect class="bar s\d', html)) == 2 * 5 + 1
    assert "5 requests, 1 thread" in html
    assert "<table>" in html and html.count("<tr>") == 1 + 5
    assert 'style="' not in html


async def test_without_javascript_the_form_post_shows_the_whole_page_with_the_result(
    async_client, lab_servers, lab_settings
):
    response = await async_client.post("/lab/runs/sync-sleep/", {"n": "4", "delay_ms": "100"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    section = html.split('id="sync-sleep"', 1)[1].split("</section>", 1)[0]
    assert 'value="4"' in section  # the form keeps what was asked
    assert "4 requests, 4 threads" in section
    assert "<svg" in section
    other = html.split('id="async-sleep"', 1)[1].split("</section>", 1)[0]
    assert "<article" not in other


async def test_a_parameter_out_of_range_is_explained_in_place(
    async_client, lab_servers, lab_settings
):
    response = await async_client.post(
        "/lab/runs/async-sleep/", {"n": "99", "delay_ms": "100"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "n must be at most 50" in response.content.decode()


async def test_rate_limit_per_client_says_when_to_come_back(
    async_client, lab_servers, lab_settings
):
    lab_settings.LAB_RUNS_PER_MINUTE = 2
    for _ in range(2):
        ok = await async_client.post(
            "/lab/api/experiments/orm-in-async/runs", b"{}", content_type="application/json"
        )
        assert ok.status_code == 200
    busy = await async_client.post(
        "/lab/api/experiments/orm-in-async/runs", b"{}", content_type="application/json"
    )
    assert busy.status_code == 429
    body = busy.json()
    assert "at most 2 runs a minute" in body["error"]
    assert f"try again in {body['retry_after']} s" in body["error"]
    assert 1 <= int(busy["Retry-After"]) <= 60


async def test_a_lab_server_that_is_down_is_restarting_never_a_500(async_client, settings):
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings.LAB_ASGI_URL = settings.LAB_WSGI_SYNC_URL = settings.LAB_WSGI_THREADS_URL = dead
    page = await async_client.get("/lab/")
    assert page.status_code == 200
    assert (
        "The lab ASGI worker (uvicorn) is not answering: it is restarting" in page.content.decode()
    )
    run = await async_client.post(
        "/lab/runs/async-sleep/", {"n": "2", "delay_ms": "10"}, headers={"HX-Request": "true"}
    )
    assert run.status_code == 503
    assert "is restarting" in run.content.decode()
    for name in ("wsgi-workers", "fan-out", "push-vs-poll", "gil", "orm-in-async"):
        api = await async_client.post(
            f"/lab/api/experiments/{name}/runs", b"{}", content_type="application/json"
        )
        assert api.status_code == 503, name
    assert api.json()["retry_after"] == 3


async def test_opening_a_run_url_again_leads_to_its_form(async_client):
    response = await async_client.get("/lab/runs/blocking-async/")
    assert response.status_code == 302
    assert response["Location"] == "/lab/#blocking-async"
    assert (await async_client.get("/lab/runs/no-such-experiment/")).status_code == 404
    assert (await async_client.put("/lab/runs/blocking-async/")).status_code == 405


def test_rate_limits_count_per_visitor_behind_a_proxy(rf, settings):
    from quizsite.lab.views import client_of

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    settings.BEHIND_PROXY = False
    assert client_of(request) == "10.0.0.1"  # no proxy declared: the header is not trusted
    settings.BEHIND_PROXY = True
    assert client_of(request) == "203.0.113.9"  # what our proxy saw; "1.2.3.4" is forgeable


async def test_a_busy_lab_server_is_called_busy_and_named_not_restarting(async_client, settings):
    import socket

    # Accepts connections (the kernel's backlog) but never answers: a sync worker in the
    # middle of a long run looks exactly like this.
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(16)
    dead = f"http://127.0.0.1:{free_port()}"
    settings.LAB_ASGI_URL = settings.LAB_WSGI_THREADS_URL = dead
    settings.LAB_WSGI_SYNC_URL = f"http://127.0.0.1:{busy.getsockname()[1]}"
    try:
        html = (await async_client.get("/lab/")).content.decode()
    finally:
        busy.close()
    assert "The lab WSGI sync worker (gunicorn) is busy with other requests" in html
    assert "The lab WSGI sync worker (gunicorn) is not answering" not in html
    assert "The lab ASGI worker (uvicorn) is not answering: it is restarting" in html
