"""The bad-input corpus: every form and endpoint, as the URLconf lists them, fed what an
attacker or a careless user sends. No answer is a 500; every 4xx says what is wrong;
no bad input writes a row.

Part one walks the URLconf (a new URL is covered the day it is added); part two is a
table of specific inputs with the exact status and message each must get.
"""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from questions.models import Attempt
from questions.teach.models import Assignment, PendingUpload, ProblemReport
from tests.questions.factories import make_set
from tests.questions.teach.conftest import make_user
from tests.servers import free_port

pytestmark = pytest.mark.django_db

# Field names any of the site's forms reads, each given a value no form may accept:
# only invisible characters (zero-width space, right-to-left override).
INVISIBLE = "\u200b\u202e"
FIELDS = [
    "code", "display_name", "text", "next", "mode", "time_limit", "title", "opens_at",
    "closes_at", "published", "username", "password", "password1", "password2", "n",
    "delay_ms", "k", "events", "interval_ms", "choice", "answer", "draft", "q",
]  # fmt: skip
HOSTILE_FORM = {name: INVISIBLE for name in FIELDS}
THREE_MB = b"a=" + b"x" * (3 * 1024 * 1024)


def url_patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


PATTERNS = [(p, n) for p, n in url_patterns() if not p.startswith("admin/")]


def concrete(pattern: str, values: dict[str, str]) -> str:
    """A path for the pattern, each parameter given a value from `values`."""
    if pattern.startswith("teach/^"):  # the export's regex
        return f"/teach/sets/{values['slug']}/export.md"
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], pattern)
    return "/" + path


def rows() -> dict[str, int]:
    """How many rows every model of ours and auth holds (sessions are signed cookies)."""
    labels = ("questions", "teach", "auth")
    return {
        m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in labels
    }


def says_what_is_wrong(response) -> str:
    """The message a 4xx gives; fails when there is none."""
    content_type = response.get("Content-Type", "")
    body = response.content.decode(errors="replace")
    if "json" in content_type:
        message = json.loads(body)["error"]
    elif "html" in content_type:
        found = re.findall(
            r'class="[^"]*(?:message|errorlist|lab-error)[^"]*"[^>]*>(.*?)</', body, re.S
        )
        message = " ".join(found)
    else:
        message = body
    message = re.sub(r"<[^>]+>", "", message).strip()
    assert len(message) > 10, (response.status_code, body[:800])
    return message


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Lab servers that refuse at once: nothing here may reach them.
    dead = f"http://127.0.0.1:{free_port()}"
    settings.LAB_ASGI_URL = settings.LAB_WSGI_SYNC_URL = settings.LAB_WSGI_THREADS_URL = dead
    ada = make_user("ada", instructor=True)
    demo = make_set("demo", n=2, owner=ada)
    hidden = make_set("hidden", n=1, owner=ada)
    hidden.published = False
    hidden.save()
    version = demo.questions.first().current_version
    attempt = Attempt.objects.create(
        question_set=demo, owner_token="someone-else", seed=1, version_ids=[version.pk]
    )
    assignment = Assignment.objects.create(question_set=demo, owner=ada, code="ABCDEF")
    report = ProblemReport.objects.create(question=version.question, version=version, text="x")
    pending = PendingUpload.objects.create(
        token="adas-token", owner=ada, filename="x.md", text="", sha256="0"
    )
    return {
        "ada": ada,
        "eve": make_user("eve", instructor=True),
        "demo": demo,
        "draft_version": hidden.questions.first().current_version,
        "version": version,
        "attempt": attempt,
        "assignment": assignment,
        "report": report,
        "pending": pending,
    }


def hostile_values(world) -> list[dict[str, str]]:
    """For each URL parameter: real values (so the view runs) and absurd ones."""
    real = {
        "slug": "demo",
        "name": "async-sleep",
        "pk": str(world["attempt"].pk),
        "n": "1",
        "version_id": str(world["version"].pk),
        "code": "ABCDEF",
        "token": "adas-token",
        "run": "nope",
        "stable_id": "q0",
        "attempt_pk": str(world["attempt"].pk),
        "action": "next",
    }
    absurd = {key: "a" * 300 for key in real}
    absurd.update(pk="99999999999999999999", n="99999999999999999999")
    absurd["attempt_pk"] = "99999999999999999999"
    absurd["version_id"] = "99999999999999999999"
    return [real, absurd]


# A logged-in learner joins with one click, and an instructor's "Run live" starts a
# session with one: the POST has no fields to get wrong, so any POST there is real.
TAKES_NO_FIELDS = {("join", "eve"), ("create", "eve")}


# --- Part one: the URLconf, walked ----------------------------------------------------
@pytest.mark.parametrize("role", ["anonymous", "eve"])
@pytest.mark.parametrize(("pattern", "name"), PATTERNS, ids=[n or p for p, n in PATTERNS])
def test_every_url_survives_hostile_input(world, role, pattern, name):
    client = Client()
    if role != "anonymous":
        client.force_login(world[role])
    for real, values in zip((True, False), hostile_values(world), strict=True):
        url = concrete(pattern, values)
        before = rows()
        answers = [
            client.get(url, {"q": INVISIBLE * 500, "next": "https://evil.example/"}),
            client.post(url, HOSTILE_FORM),
        ]
        if real:  # the URL exists: its view gets each malformed body
            answers += [
                client.post(
                    url, b"a=b", content_type="application/x-www-form-urlencoded; charset=utf-16"
                ),
                client.post(url, THREE_MB, content_type="application/x-www-form-urlencoded"),
                client.post(url, b"[" * 100_000, content_type="application/json"),
                client.put(url, b"x", content_type="text/plain"),
            ]
        for response in answers:
            assert response.status_code < 500, (url, response.status_code)
            if response.status_code >= 400:
                says_what_is_wrong(response)
        if (name, role) not in TAKES_NO_FIELDS:
            assert rows() == before, url


# --- Part two: specific inputs, exact answers -----------------------------------------
API = "/lab/api/experiments/async-sleep/runs"


def lab_api(body: bytes, content_type: str = "application/json", **headers):
    return lambda client, world: client.post(API, body, content_type=content_type, **headers)


CASES = {
    "infinity": (lab_api(b'{"n": Infinity}'), 400, "Infinity is not a number JSON allows"),
    "nan": (lab_api(b'{"delay_ms": NaN}'), 400, "NaN is not a number JSON allows"),
    "huge-number": (lab_api(b'{"n": 1e999}'), 400, "n must be a whole number"),
    "deep-nesting": (lab_api(b"[" * 4000), 400, "nested too deeply"),
    "not-an-object": (lab_api(b"[1, 2]"), 400, "must be a JSON object"),
    "not-utf8": (lab_api(b'{"n": "\xff"}'), 400, "UTF-8"),
    "text-plain": (lab_api(b"{}", "text/plain"), 415, "application/json"),
    "form-encoded": (lab_api(b"n=2", "application/x-www-form-urlencoded"), 415, "JSON"),
    "cross-origin": (
        lab_api(b"{}", headers={"Origin": "https://evil.example"}),
        403,
        "Runs from other sites are refused",
    ),
    "big-body": (lab_api(b'{"n": 2, "x": "' + b"y" * 5000 + b'"}'), 413, "too large"),
    "three-mb-api": (lab_api(THREE_MB), 413, "too large"),
    "unknown-experiment": (
        lambda c, w: c.post("/lab/api/experiments/nope/runs", b"{}", "application/json"),
        404,
        "No experiment called nope",
    ),
    "api-get-on-run": (lambda c, w: c.get(API), 405, "GET is not allowed here"),
    "api-nowhere": (lambda c, w: c.get("/lab/api/nothing"), 404, "nothing at this address"),
    "unknown-parameter": (lab_api(b'{"m": 1}'), 400, "unknown parameter m"),
    "lab-form-huge-n": (
        lambda c, w: c.post("/lab/runs/async-sleep/", {"n": "1e999"}),
        400,
        "n must be a whole number",
    ),
    "utf16-form": (
        lambda c, w: c.post(
            "/join/", b"code=ABCDEF", "application/x-www-form-urlencoded; charset=utf-16"
        ),
        400,
        "must be UTF-8 encoded",
    ),
    "three-mb-form": (
        lambda c, w: c.post("/join/", THREE_MB, "application/x-www-form-urlencoded"),
        400,
        "The request is too large",
    ),
    "unknown-join-code": (
        lambda c, w: c.get("/join/ZZZZZZ/"),
        404,
        "No assignment has this join code",
    ),
    "invisible-join-name": (
        lambda c, w: c.post("/join/ABCDEF/", {"display_name": "\u200b\u200d\u202e"}),
        400,
        "only of invisible characters",
    ),
    "short-join-code": (
        lambda c, w: c.post("/join/", {"code": "AB"}),
        400,
        "at least 6 characters",
    ),
    "report-on-draft": (
        lambda c, w: c.get(f"/report/{w['draft_version'].pk}/"),
        404,
        "No such question",
    ),
    "post-report-on-draft": (
        lambda c, w: c.post(f"/report/{w['draft_version'].pk}/", {"text": "leak?"}),
        404,
        "No such question",
    ),
    "invisible-report": (
        lambda c, w: c.post(f"/report/{w['version'].pk}/", {"text": "\u200b\u202e"}),
        400,
        "Say what is wrong",
    ),
    "homoglyph-signup": (
        lambda c, w: c.post(
            "/accounts/signup/",
            {"username": "\u0430d\u0430", "password1": "x9!long-pass", "password2": "x9!long-pass"},
        ),
        400,
        "looks the same as an existing one",
    ),
    "zero-width-signup": (
        lambda c, w: c.post(
            "/accounts/signup/",
            {"username": "\u200b", "password1": "x9!long-pass", "password2": "x9!long-pass"},
        ),
        400,
        "made only of invisible characters",
    ),
    "bogus-mode": (
        lambda c, w: c.post("/quiz/demo/start/", {"mode": "bogus"}),
        400,
        "Choose practice or exam mode",
    ),
    "start-by-get": (lambda c, w: c.get("/quiz/demo/start/"), 405, "GET is not allowed"),
    "someone-elses-attempt": (
        lambda c, w: c.get(f"/quiz/attempts/{w['attempt'].pk}/results/"),
        403,
        "",
    ),
}
AS_ADA = {
    "closed-assignment": (
        lambda c, w: c.post(
            "/teach/sets/demo/assign/",
            {"mode": "practice", "closes_at": "2001-01-01T10:00"},
        ),
        400,
        "The closing time has passed",
    ),
    "gift-named-md": (
        lambda c, w: c.post(
            "/teach/upload/",
            {"file": SimpleUploadedFile("set.md", b"::Q1:: Is it? {=yes ~no}\n")},
        ),
        400,
        "looks like Moodle GIFT",
    ),
    "publish-garbage": (
        lambda c, w: c.post("/teach/sets/demo/publish/", {"published": "yes"}),
        400,
        "Send published=1",
    ),
    "gone-upload": (
        lambda c, w: c.get("/teach/upload/not-a-token/"),
        404,
        "This upload is gone",
    ),
    "no-such-set": (lambda c, w: c.get("/teach/sets/nope/"), 404, "No such question set"),
}


@pytest.mark.parametrize("case", sorted(CASES) + sorted(AS_ADA))
def test_specific_bad_input_gets_its_status_and_message(world, case):
    client = Client()
    send, status, message = CASES.get(case) or AS_ADA[case]
    if case in AS_ADA:
        client.force_login(world["ada"])
    before = rows()
    response = send(client, world)
    assert response.status_code == status, (case, response.content[:600])
    assert message in says_what_is_wrong(response)
    assert rows() == before
    if case == "closed-assignment":
        assert not Assignment.objects.filter(created_at__gte=timezone.now()).exists()


def test_login_is_throttled_per_account_and_says_so(world):
    client = Client()
    for _ in range(10):
        response = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})
        assert response.status_code == 200  # the form again, "enter a correct username"
    response = client.post("/accounts/login/", {"username": "ADA ", "password": "wrong"})
    assert response.status_code == 429
    assert "Too many login attempts for this account" in says_what_is_wrong(response)
    assert int(response["Retry-After"]) > 0
    # Another account from the same address is not locked by it (until the address limit).
    other = client.post("/accounts/login/", {"username": "eve", "password": "wrong"})
    assert other.status_code == 200


def test_joins_and_reports_are_throttled_per_address(world, settings):
    settings.THROTTLE_RATES = {"join": (("address", 3, 600),), "report": (("address", 2, 3600),)}
    for _ in range(3):
        assert Client().post("/join/ABCDEF/", {"display_name": ""}).status_code == 400
    response = Client().post("/join/ABCDEF/", {"display_name": "Zed"})
    assert response.status_code == 429  # a fresh cookie jar does not reset it
    assert "Too many attempts to join an assignment from your address" in says_what_is_wrong(
        response
    )
    url = f"/report/{world['version'].pk}/"
    for _ in range(2):
        assert Client().post(url, {"text": "typo"}).status_code == 302
    before = ProblemReport.objects.count()
    assert Client().post(url, {"text": "typo"}).status_code == 429
    assert ProblemReport.objects.count() == before


# --- On a real server, with CSRF checks and every middleware -----------------------------
@pytest.mark.parametrize(
    ("path", "body", "content_type", "status", "message"),
    [
        (
            "/join/",
            b"code=ABCDEF",
            "application/x-www-form-urlencoded; charset=utf-16",
            400,
            "must be UTF-8 encoded",
        ),
        ("/join/", THREE_MB, "application/x-www-form-urlencoded", 400, "The request is too large"),
        (
            "/lab/api/experiments/async-sleep/runs",
            b'{"n": Infinity}',
            "application/json",
            400,
            "Infinity is not a number JSON allows",
        ),
    ],
)
def test_on_a_real_server_bad_bodies_get_their_message(
    site_server, path, body, content_type, status, message
):
    import httpx

    with httpx.Client(base_url=site_server.base_url, timeout=30) as http:
        http.get("/join/")  # a CSRF cookie, sent back as the header: the check passes
        headers = {"Content-Type": content_type, "X-CSRFToken": http.cookies["csrftoken"]}
        response = http.post(path, content=body, headers=headers)
    assert response.status_code == status, response.text[:500]
    assert message in response.text
    assert response.headers["Permissions-Policy"].startswith("accelerometer=()")
