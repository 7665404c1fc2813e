"""The lab ASGI worker's entry point: the site's application, plus the `thread-hops`
target served behind two middleware stacks and counted per request.

    uvicorn quizsite.lab.asgi:application   # with LAB_SERVE_TARGETS=1

`/lab/targets/thread-hops/?stack=site` goes through the site's own application, exactly
as every other request does (whatever settings.MIDDLEWARE is); `?stack=default` goes
through a second ASGIHandler built with the MIDDLEWARE list of a new `startproject`.
Both reach the same view. Around each such request a hop counter runs (quizsite.hops,
scoped to that request's context), and its count, taken after Django has finished the
request (response.close() included), is added to the JSON the view returned.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from django.core.handlers.asgi import ASGIHandler
from django.test.utils import override_settings

from quizsite import hops
from quizsite.asgi import application as site_application
from quizsite.lab.stacks import DEFAULT_MIDDLEWARE

PATH = "/lab/targets/thread-hops/"


class StackHandler(ASGIHandler):
    """An ASGIHandler whose middleware chain is built from a given list, not settings.

    BaseHandler.load_middleware() reads settings.MIDDLEWARE, so the list is swapped in
    for the one call that builds the chain, here in __init__: at import time, before the
    server accepts a connection, so no request can see the swap (override_settings is
    not safe while requests run in other threads). The chain is fixed from then on."""

    def __init__(self, middleware: list[str]):
        self.middleware = list(middleware)
        with override_settings(MIDDLEWARE=self.middleware):
            super().__init__()  # ASGIHandler.__init__ calls load_middleware(is_async=True)


default_stack = StackHandler(DEFAULT_MIDDLEWARE)
STACKS = {"default": default_stack, "site": site_application}


def stack_of(scope) -> str | None:
    if scope["type"] != "http" or scope["path"] != PATH:
        return None
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("stack", [""])[0]
    return asked if asked in STACKS else None


async def application(scope, receive, send):
    if (stack := stack_of(scope)) is None:
        return await site_application(scope, receive, send)
    messages = []

    async def hold(message):
        # Held back until Django is done with the request, so its last hops count.
        messages.append(message)

    with hops.count_hops() as counts:
        await STACKS[stack](scope, receive, hold)
    start, *body = messages
    try:
        data = json.loads(b"".join(m.get("body", b"") for m in body))
    except ValueError:  # not the view's JSON (an error page): pass it on as it is
        for message in messages:
            await send(message)
        return
    payload = json.dumps({**data, "stack": stack, "hops": counts.count}).encode()
    headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
    await send({**start, "headers": [*headers, (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
