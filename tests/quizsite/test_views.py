import re

import pytest

from quizsite.lab.experiments import EXPERIMENTS


@pytest.mark.django_db
async def test_healthz_reports_a_healthy_database(async_client):
    response = await async_client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}
    assert "no-store" in response["Cache-Control"]


async def test_healthz_refuses_post(async_client):
    response = await async_client.post("/healthz")
    assert response.status_code == 405


async def test_home_leads_to_the_three_parts(async_client):
    response = await async_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for href in ('href="/learn/"', 'href="/quiz/"', 'href="/lab/"'):
        assert href in html
    assert "Is Django sync or async?" in html


async def test_every_page_carries_a_csp_with_no_inline_code_and_no_nonce(async_client):
    # No nonce: a page must be the same bytes for every anonymous visitor (page cache),
    # so nothing inline is allowed at all.
    first, second = [await async_client.get("/") for _ in range(2)]
    policy = first["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    assert "nonce" not in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "<script>" not in first.content.decode()
    assert "<style" not in first.content.decode()
    assert first.content == second.content
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]


async def test_htmx_requests_get_their_token_from_the_cookie_script(async_client):
    html = (await async_client.get("/")).content.decode()
    assert "hx-headers" not in html
    assert 'data-csrf-url="/csrf/" data-csrf-cookie="csrftoken"' in html
    assert re.search(r'<script src="/static/js/csrf\.js" defer>', html)


async def test_unknown_page_gets_the_site_404(async_client):
    response = await async_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


async def test_home_table_rows_link_to_the_experiments_that_show_them(async_client):
    html = (await async_client.get("/")).content.decode()
    names = re.findall(r'href="/lab/#([a-z-]+)"', html)
    assert names == ["async-sleep", "sync-sleep", "blocking-async", "wsgi-workers", "wsgi-workers"]
    assert set(names) <= set(EXPERIMENTS)


async def test_home_table_says_when_where_and_with_what_it_was_measured(async_client):
    html = (await async_client.get("/")).content.decode()
    caption = re.search(r"<caption>(.*?)</caption>", html, re.S).group(1)
    assert re.search(r"\d{1,2} \w+ 20\d\d", caption)  # a date
    for what in ("2-core", "Python 3.", "Django 6.", "uvicorn 0.", "gunicorn "):
        assert what in caption, what
