"""What a request costs in thread hops and queries, counted in process through the real
ASGI application (quizsite.asgi: the page cache in front, then Django with the real
MIDDLEWARE). A hop is a `sync_to_async` call (quizsite.hops)."""

import pytest
from asgiref.sync import sync_to_async

from questions.models import Attempt, QuestionVersion
from quizsite.asgi import application
from quizsite.explainers.selectors import library_load
from quizsite.hops import asgi_request, count_hops, count_queries
from tests.questions.factories import make_set, right_answer

pytestmark = pytest.mark.django_db(transaction=True)

# Django's ASGIHandler, whatever the middleware: the `request_started` receivers
# (reset_queries, close_old_connections) are sync, and so is `response.close()`, which
# sends `request_finished`.
HANDLER = ["Signal.asend.<locals>.sync_send", "HttpResponseBase.close"]


def with_view(*names: str) -> list[str]:
    return [HANDLER[0], *names, HANDLER[1]]


async def measure(path: str, **kwargs):
    with count_hops() as hops, count_queries() as queries:
        exchange = await asgi_request(application, path, **kwargs)
    return exchange, hops.names, queries


@pytest.fixture
async def demo_set():
    # The explainers are rendered once per process, off the loop (library_load): done
    # here so each test sees a page view, not the first rendering.
    await sync_to_async(library_load)()
    return await sync_to_async(make_set)("demo", n=3)


ANONYMOUS_PAGES = {
    # path: the hops of the first request (rendered), by name
    "/": with_view(),
    "/learn/": with_view(),
    "/learn/sync-vs-async/": with_view("questionsets_by_slug"),
    "/quiz/": with_view("questionsets_for_learner"),
    "/quiz/demo/": with_view("questionset_get"),
    "/lab/": with_view(),
}


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
async def test_an_anonymous_page_costs_no_hop_in_the_middleware_then_none_at_all(demo_set, path):
    first, hops, queries = await measure(path)
    assert first.status == 200
    # Rendered once: the handler's two hops, plus one per ORM call the view awaits.
    # No middleware hook ran in a thread.
    assert hops == ANONYMOUS_PAGES[path]
    assert len(queries) == len(hops) - 2

    again, hops, queries = await measure(path)
    assert (again.status, again.body) == (200, first.body)
    assert hops == []  # answered from the page cache, before Django's handler
    assert queries == []


async def test_django_s_own_middleware_list_would_cost_a_hop_per_hook(demo_set, settings):
    # The control: the counter sees the hops of Django's MiddlewareMixin classes.
    from django.core.handlers.asgi import ASGIHandler

    from quizsite.checks import django_names

    settings.MIDDLEWARE = django_names(settings.MIDDLEWARE)
    settings.PAGE_CACHE_VIEWS = {}
    with count_hops() as hops:
        exchange = await asgi_request(ASGIHandler(), "/learn/")
    assert exchange.status == 200
    adapted = [name for name in hops.names if name not in HANDLER]
    assert len(adapted) >= 15, hops.names
    assert any("process_request" in name for name in adapted)


async def test_a_learner_s_question_page_and_answer_cost_what_they_state(demo_set):
    # A learner mid-quiz has a session cookie: nothing is shared, every page renders.
    start = await asgi_request(application, "/csrf/")
    cookie = "; ".join(c.split(";")[0] for c in start.headers_named("set-cookie"))
    token = cookie.split("csrftoken=")[1].split(";")[0]
    headers = [("cookie", cookie), ("content-type", "application/x-www-form-urlencoded")]
    body = f"csrfmiddlewaretoken={token}&mode=practice".encode()
    started, hops, queries = await measure(
        "/quiz/demo/start/", method="POST", headers=headers, body=body
    )
    assert started.status == 302, started.body
    # One hop: the set, its questions and the new attempt (one INSERT).
    assert hops == with_view("_start"), hops
    assert len(queries) == 3, queries
    session = [c.split(";")[0] for c in started.headers_named("set-cookie")]
    cookie = "; ".join([cookie, *session])
    question_url = started.header("location")

    page, hops, queries = await measure(question_url, headers=[("cookie", cookie)])
    assert page.status == 200
    assert b"Review (0 due)" in page.body  # nothing answered yet: an empty deck
    # The session is a signed cookie: reading it is no hop and no query. What remains is
    # one hop for all the view reads (Django has no async database driver): the attempt,
    # its set and the version with its options (1 and 2 queries, the first time), the
    # progress; and the nav's "Review (N due)": one count, as this learner has a deck
    # (questions.review.nav), counted in the page's hop rather than one of its own.
    assert hops == with_view("_question_page"), hops
    assert len(queries) == 6, queries
    # The set and version are kept in process (questions.cache): the next view reads 3
    # rows fewer.
    again, hops, queries = await measure(question_url, headers=[("cookie", cookie)])
    assert again.status == 200
    assert hops == with_view("_question_page"), hops
    assert len(queries) == 3, queries

    def first_right_choice():
        attempt = Attempt.objects.get()
        version = QuestionVersion.objects.get(pk=attempt.version_ids[0])
        return right_answer(version, attempt.seed)["choice"]

    choice = await sync_to_async(first_right_choice)()
    form = f"csrfmiddlewaretoken={token}&choice={choice}".encode()
    answered, hops, queries = await measure(
        question_url + "answer/",
        method="POST",
        headers=[("cookie", cookie), ("content-type", "application/x-www-form-urlencoded")],
        body=form,
    )
    assert answered.status == 302
    assert hops == with_view("_answer"), hops
    # The attempt, then 6 in the answer's transaction (the question's review card read
    # and written among them); the version comes from the process's memo.
    assert len(queries) == 7, queries
