"""On SQLite, answers take turns within a process: one answer's hop at a time, the others
waiting as coroutines on the loop rather than as threads queued on SQLite's one writer.
Counted on the real views through the real ASGI application, in process."""

import asyncio
import threading
import time

import pytest
from asgiref.sync import sync_to_async

from questions import views
from quizsite.asgi import application
from quizsite.hops import asgi_request
from tests.questions.factories import make_set

pytestmark = pytest.mark.django_db(transaction=True)
LEARNERS = 4


async def started_learner() -> tuple[list, str, str]:
    """A learner's headers (cookies, form type), first question URL and CSRF token."""
    start = await asgi_request(application, "/csrf/")
    cookie = "; ".join(c.split(";")[0] for c in start.headers_named("set-cookie"))
    token = cookie.split("csrftoken=")[1].split(";")[0]
    headers = [("cookie", cookie), ("content-type", "application/x-www-form-urlencoded")]
    body = f"csrfmiddlewaretoken={token}&mode=practice".encode()
    started = await asgi_request(
        application, "/quiz/turns/start/", method="POST", headers=headers, body=body
    )
    assert started.status == 302, started.body
    session = [c.split(";")[0] for c in started.headers_named("set-cookie")]
    headers[0] = ("cookie", "; ".join([cookie, *session]))
    return headers, started.header("location"), token


async def test_answers_on_sqlite_take_turns_in_a_process(monkeypatch):
    await sync_to_async(make_set)("turns", n=2)
    learners = [await started_learner() for _ in range(LEARNERS)]

    real_answer = views._answer
    inside, most = 0, 0
    lock = threading.Lock()

    def answer_and_count(*args):
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        try:
            time.sleep(0.05)  # long enough for every other answer to arrive meanwhile
            return real_answer(*args)
        finally:
            with lock:
                inside -= 1

    monkeypatch.setattr(views, "_answer", answer_and_count)

    async def answer(headers, question_url, token):
        form = f"csrfmiddlewaretoken={token}&choice=0".encode()
        return await asgi_request(
            application, question_url + "answer/", method="POST", headers=headers, body=form
        )

    answered = await asyncio.gather(*(answer(*learner) for learner in learners))
    assert most == 1
    assert [a.status for a in answered] == [302] * LEARNERS
