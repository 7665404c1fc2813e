"""Each on-loop twin behaves as the Django middleware it extends: the same requests
through Django's classes and through the site's give the same statuses, headers,
cookies and pages (tokens and signatures aside), in async and in sync mode."""

import re
from http.cookies import SimpleCookie

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.asgi import ASGIHandler
from django.test import Client

from quizsite.checks import django_names
from quizsite.hops import asgi_request, count_hops
from quizsite.middleware.onloop import SessionMiddleware
from tests.questions.factories import make_set

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
ATTEMPT = re.compile(r"/attempts/\d+/")  # each conversation starts its own attempt
SECRET = "correct horse battery staple"


def cookies_of(exchange) -> dict[str, dict]:
    """Each cookie set, with its attributes but not its value (random or signed)."""
    found = {}
    for header in exchange.headers_named("set-cookie"):
        cookie = SimpleCookie(header)
        for name, morsel in cookie.items():
            found[name] = {k: v for k, v in morsel.items() if v and k != "expires"}
    return found


def comparable(exchange) -> tuple:
    headers = sorted(
        (k.decode().lower(), ATTEMPT.sub("/attempts/N/", v.decode()))
        for k, v in exchange.headers
        if k.lower() not in (b"set-cookie", b"date", b"expires")  # clocks move on
    )
    return exchange.status, headers, cookies_of(exchange), TOKEN.sub(b"TOKEN", exchange.body)


async def conversation(app) -> list[tuple]:
    """A visitor's requests, each answer made comparable. Cookies are carried along."""
    jar: dict[str, str] = {}
    seen = []

    async def send(path, **kwargs):
        headers = kwargs.pop("headers", [])
        if jar:
            headers.append(("cookie", "; ".join(f"{k}={v}" for k, v in jar.items())))
        exchange = await asgi_request(app, path, headers=headers, **kwargs)
        for header in exchange.headers_named("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                jar[name] = morsel.value
        seen.append(comparable(exchange))
        return exchange

    form = [("content-type", "application/x-www-form-urlencoded")]
    await send("/")
    await send("/quiz")  # CommonMiddleware: APPEND_SLASH
    await send("/quiz/demo/start/", method="POST", headers=list(form), body=b"mode=practice")
    await send("/accounts/login/")
    token = jar["csrftoken"]
    bad = f"csrfmiddlewaretoken={token}&username=ada&password=nope".encode()
    await send("/accounts/login/", method="POST", headers=list(form), body=bad)
    good = f"csrfmiddlewaretoken={token}&username=ada&password={SECRET}".encode()
    await send("/accounts/login/", method="POST", headers=list(form), body=good)
    await send("/quiz/")
    token = jar["csrftoken"]  # logging in rotates it
    start = f"csrfmiddlewaretoken={token}&mode=practice".encode()
    await send("/quiz/demo/start/", method="POST", headers=list(form), body=start)
    await send("/accounts/logout/", method="POST", headers=list(form), body=start)
    return seen


@pytest.fixture
async def world(settings):
    settings.PAGE_CACHE_VIEWS = {}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    await sync_to_async(make_set)("demo", n=2)
    await sync_to_async(User.objects.create_user)("ada", password=SECRET)


async def test_the_twins_answer_exactly_as_django_s_classes(world, settings):
    ours = await conversation(ASGIHandler())
    settings.MIDDLEWARE = django_names(settings.MIDDLEWARE)
    theirs = await conversation(ASGIHandler())
    assert [entry[0] for entry in ours] == [200, 301, 403, 200, 200, 302, 200, 302, 302]
    for mine, django_s in zip(ours, theirs, strict=True):
        assert mine == django_s


async def test_the_twins_make_no_hop_where_django_s_classes_make_many(world, settings):
    with count_hops() as ours:
        await conversation(ASGIHandler())
    settings.MIDDLEWARE = django_names(settings.MIDDLEWARE)
    with count_hops() as theirs:
        await conversation(ASGIHandler())
    hooks = [n for n in ours.names if "process_" in n]
    assert hooks == []
    assert len([n for n in theirs.names if "process_" in n]) > 9 * 10


def test_under_wsgi_the_twins_run_their_plain_sync_path(world):
    # The test client is a WSGI-style handler: the same classes, no event loop.
    client = Client(enforce_csrf_checks=True)
    assert client.get("/").status_code == 200
    assert client.post("/quiz/demo/start/", {"mode": "practice"}).status_code == 403
    assert client.get("/accounts/login/").cookies["csrftoken"]


def test_the_session_twin_refuses_an_engine_that_would_do_io_on_the_loop(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"

    async def get_response(request):
        return None

    with pytest.raises(ImproperlyConfigured, match="signed_cookies"):
        SessionMiddleware(get_response)
