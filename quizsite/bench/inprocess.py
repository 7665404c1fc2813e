"""Thread hops and queries per request, counted inside this process: the site's real
ASGI application and middleware, driven with a minimal ASGI scope (quizsite.hops),
against the bench's own database. Call setup() once the environment points at it."""

from __future__ import annotations

import os
from dataclasses import dataclass


def setup(env: dict[str, str]) -> None:
    # The same settings as the site's processes: its database, secret key (so the
    # bench learner's session cookie is valid here too) and lab servers.
    os.environ.update(env)
    import django

    django.setup()
    # As in a server that has run for a while: the page cache knows the content stamp.
    # (A fresh process's first requests wait for that check, one hop, once: it would be
    # counted against the first page measured.)
    from quizsite.pagecache import STORE

    STORE.recheck_sync()


@dataclass
class Page:
    label: str
    path: str
    method: str = "GET"
    headers: dict | None = None
    body: str = ""


@dataclass
class Counted:
    status: int
    hops: int
    queries: int
    body: bytes


async def count(page: Page) -> Counted:
    from quizsite.asgi import application
    from quizsite.hops import asgi_request, count_hops, count_queries

    with count_hops() as hops, count_queries() as queries:
        exchange = await asgi_request(
            application,
            page.path,
            method=page.method,
            headers=list((page.headers or {}).items()),
            body=page.body.encode(),
        )
    return Counted(exchange.status, hops.count, len(queries), exchange.body)


def responses_recorded() -> int:
    from questions.models import Response

    return Response.objects.count()
