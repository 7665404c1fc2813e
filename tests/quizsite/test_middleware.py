"""No middleware is adapted as a whole: Django logs every adaptation on `django.request`
when DEBUG is on. That alone proves little (MiddlewareMixin classes are "async-capable"
and still hop once per hook); the hops themselves are counted in
tests/quizsite/middleware/test_request_path.py."""

import logging

import httpx
from django.core.handlers.asgi import ASGIHandler
from django.test import override_settings

from tests.servers import Server, site_env, uvicorn_argv

ADAPTED = "handler adapted"


class SyncOnlyMiddleware:
    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


def adaptation_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if ADAPTED in r.getMessage()]


@override_settings(DEBUG=True)
def test_asgi_handler_adapts_no_middleware(caplog):
    caplog.set_level(logging.DEBUG, logger="django.request")
    ASGIHandler().load_middleware(is_async=True)
    assert adaptation_messages(caplog) == []


def test_a_sync_only_middleware_would_be_caught(caplog, settings):
    # The control: the same check sees an adaptation as soon as one sneaks in.
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.SyncOnlyMiddleware"]
    caplog.set_level(logging.DEBUG, logger="django.request")
    ASGIHandler().load_middleware(is_async=True)
    assert any("SyncOnlyMiddleware" in m for m in adaptation_messages(caplog))


def test_real_uvicorn_serves_async_views_without_adaptation(tmp_path):
    env = site_env(tmp_path, DEBUG="1", DJANGO_REQUEST_LOG_LEVEL="DEBUG")
    server = Server(uvicorn_argv(), env, tmp_path / "uvicorn.log").start()
    try:
        for path in ("/", "/healthz"):
            assert httpx.get(server.url(path)).status_code == 200
    finally:
        server.stop()
    log = server.log()
    assert "/healthz" in log  # the access log was captured, so the check below can see
    assert ADAPTED not in log, log
