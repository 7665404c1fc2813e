"""A learner's browser, reduced to what the quiz needs: cookies, the CSRF token, and
filling in a form the way a person who picks the first option would."""

from __future__ import annotations

import re
import ssl
from html.parser import HTMLParser

import httpx


class FormFields(HTMLParser):
    """The fields of the first form whose action contains `action`, with the values a
    browser would submit after choosing the first option of every choice."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.found = action, False, False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.found and self.action in (a.get("action") or ""):
            self.inside = self.found = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                self.data[name] = [a.get("value", "")]
            elif kind in ("radio", "checkbox"):
                self.data.setdefault(name, [a.get("value", "on")])
            elif kind not in ("submit", "button"):
                self.data[name] = ["async"]
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.data[self._select] = [a.get("value", "")]

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            self.data.setdefault(self._select, [self._first_option or ""])
            self._select = None


def form_fields(html: str, action: str) -> dict[str, list[str]] | None:
    parser = FormFields(action)
    parser.feed(html)
    return parser.data if parser.found else None


async def csrf_headers(client: httpx.AsyncClient) -> dict[str, str]:
    """What static/js/csrf.js does: the csrftoken cookie's value as X-CSRFToken, the
    cookie fetched from /csrf/ first when no page has set one (shared, page-cached
    pages carry no token)."""
    if not client.cookies.get("csrftoken"):
        await client.get("/csrf/")
    token = client.cookies.get("csrftoken")
    return {"X-CSRFToken": token} if token else {}


async def submit(client: httpx.AsyncClient, path: str, data: dict) -> httpx.Response:
    """POST a form as the browser would, with the CSRF token."""
    return await client.post(path, data=data, headers=await csrf_headers(client))


def cookie_header(client: httpx.AsyncClient) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


# One TLS context for every client (the bench speaks plain HTTP anyway): httpx builds one
# per client otherwise, loading the CA bundle, 25 ms of the learners' own CPU each, so a
# class of 200 starting together blocked its loop for 5 s and timed that as the site's.
_TLS = ssl.create_default_context()


def new_client(base_url: str, timeout: float = 30) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url, timeout=timeout, follow_redirects=False, verify=_TLS
    )


async def start_attempt(client: httpx.AsyncClient, slug: str) -> tuple[str, list]:
    """Open a set's page and start a practice attempt; (question 1's path, timings)."""
    timings = []
    page = await client.get(f"/quiz/{slug}/")
    timings.append(("set page", page))
    data = form_fields(page.text, f"/quiz/{slug}/start/") or {}
    data["mode"] = ["practice"]
    started = await submit(client, f"/quiz/{slug}/start/", data)
    timings.append(("start", started))
    return started.headers.get("location", ""), timings


def question_number(path: str) -> int:
    match = re.search(r"/q/(\d+)/", path)
    return int(match.group(1)) if match else 0
