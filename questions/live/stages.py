"""What a learner's screen (the stage) and the host's panel show, built from the
database and rendered to HTML. Sync functions: views and consumers call them through
sync_to_async, so the queries and the template work stay off the event loop.

The one rule of the quiz engine holds here too: correctness and feedback enter a
learner's context only once the host has revealed the question.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from questions.grading import display_order
from questions.presenters import feedback, markdown
from questions.teach.models import AssignmentAttempt
from questions.teach.previews import letter

from . import selectors
from .models import LiveSession
from .services import COUNTDOWNS, GRACE

LEARNER_TEMPLATE = "live/learner.html"
HOST_TEMPLATE = "live/host.html"
RANKING_SHOWN = 10
BAR_WIDTH = 240  # px of the longest histogram bar


@lru_cache(maxsize=64)
def qr_svg(url: str) -> str:
    """The join URL as an inline SVG QR code. segno draws with attributes (fill, stroke,
    transform), never style=, so the CSP's style-src needs no exception. Tens of
    milliseconds of pure Python: called off the loop, and once per URL."""
    svg = segno.make(url, error="m").svg_inline(
        scale=6, border=2, dark="#000", light="#fff", svgclass="live-qr", lineclass=None
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup around our URL, escaped by segno


def question_view(*, session: LiveSession, version) -> dict:
    options = list(version.options.all())
    order = display_order(
        seed=session.seed, version_id=version.pk, count=len(options), kind=version.kind
    )
    return {
        "version": version,
        "n": session.index + 1,
        "total": len(session.version_ids),
        "prompt_html": markdown(version.prompt) if version.prompt != version.title else "",
        "order": order,
        "options": [
            {"index": i, "letter": letter(i), "html": markdown(options[p].text)}
            for i, p in enumerate(order)
        ],
        "ranks": range(1, len(options) + 1),
    }


def _timing(session: LiveSession) -> dict:
    deadline = session.deadline
    return {
        # The screen counts down to the announced end; the server's grace is not shown.
        "deadline_ms": int((deadline - GRACE).timestamp() * 1000) if deadline else None,
        "time_up": bool(deadline and timezone.now() > deadline),
    }


def _reveal_attempt(session: LiveSession):
    """What presenters.feedback needs of an attempt: the room's seed and the set."""
    question_set = session.assignment.question_set
    return SimpleNamespace(
        seed=session.seed, question_set=question_set, question_set_id=question_set.pk
    )


# What the whole room shares at one revision of a session (the question, the ranking,
# the reveal of one particular answer) is worked out once per process, not once per
# learner: after a reveal, 200 consumers ask for their stage at the same moment. The
# revision is in every key, so a change of state can never serve an old entry.
_SHARED: OrderedDict[tuple, object] = OrderedDict()
SHARED_SIZE = 512


def shared(key: tuple, make: Callable[[], object]):
    if key in _SHARED:
        _SHARED.move_to_end(key)
        return _SHARED[key]
    value = _SHARED[key] = make()
    while len(_SHARED) > SHARED_SIZE:
        _SHARED.popitem(last=False)
    return value


def learner_context(
    *, session: LiveSession, link: AssignmentAttempt | None, error: str = ""
) -> dict:
    """The stage of one learner (link), or of a learner who has not answered yet (None):
    the latter is the same for the whole room, so it is rendered once and broadcast."""
    context = {"session": session, "phase": session.phase, "error": error, "response": None}
    context.update(_timing(session))
    if session.phase in (LiveSession.QUESTION, LiveSession.REVEAL, LiveSession.RANKING):
        at = (session.pk, session.revision)
        version = shared(("version", *at), lambda: selectors.live_version(session=session))
        if version is not None:
            context["question"] = shared(
                ("question", *at), lambda: question_view(session=session, version=version)
            )
            response = link and selectors.live_response(session=session, attempt_id=link.attempt_id)
            context["response"] = response
            if session.phase != LiveSession.QUESTION:
                answer = response.answer if response else {}
                context["feedback"] = shared(
                    ("feedback", *at, json.dumps(answer, sort_keys=True)),
                    lambda: feedback(
                        attempt=_reveal_attempt(session), version=version, answer=answer
                    ),
                )
    if session.phase in (LiveSession.RANKING, LiveSession.ENDED):
        ranking = shared(
            ("ranking", session.pk, session.revision),
            lambda: selectors.live_ranking(session=session),
        )
        context["ranking"] = ranking[:RANKING_SHOWN]
        context["mine"] = next(
            (r for r in ranking if link and r.attempt_id == link.attempt_id), None
        )
        context["players"] = len(ranking)
    context["answered"] = answered = context["response"] is not None
    context["waiting"] = session.phase != LiveSession.ENDED and not (
        session.phase == LiveSession.QUESTION and not answered and not session.paused
    )
    return context


def render_stage(context: dict, *, request=None) -> str:
    return render_to_string(LEARNER_TEMPLATE + "#stage", context, request=request)


def learner_stage(*, session: LiveSession, link: AssignmentAttempt | None, **kwargs) -> str:
    return render_stage(learner_context(session=session, link=link), **kwargs)


def host_context(*, session: LiveSession) -> dict:
    context = {
        "session": session,
        "phase": session.phase,
        "players": selectors.live_player_names(session=session),
        "countdowns": COUNTDOWNS,
        "total": len(session.version_ids),
    }
    context.update(_timing(session))
    if session.phase in (LiveSession.QUESTION, LiveSession.REVEAL, LiveSession.RANKING):
        version = selectors.live_version(session=session)
        if version is not None:
            view = question_view(session=session, version=version)
            tally = selectors.live_tally(session=session, version=version, order=view["order"])
            context["question"] = view
            context["tally"] = tally
            revealed = session.phase != LiveSession.QUESTION
            options = list(version.options.all())
            most = max(tally.picks, default=0) or 1
            context["bars"] = [
                {
                    "letter": letter(i),
                    "count": count,
                    "width": round(BAR_WIDTH * count / most),
                    "y": 28 * i,
                    # Which bar is right is shown on the projector only after the reveal.
                    "correct": revealed and options[view["order"][i]].correct,
                }
                for i, count in enumerate(tally.picks)
            ]
            context["chart_height"] = 28 * len(tally.picks)
            if revealed:
                context["feedback"] = feedback(
                    attempt=_reveal_attempt(session), version=version, answer={}
                )
    if session.phase in (LiveSession.RANKING, LiveSession.ENDED):
        context["ranking"] = selectors.live_ranking(session=session)[:RANKING_SHOWN]
    return context


def host_panel(*, session: LiveSession, request=None, csrf_token: str = "", error: str = "") -> str:
    context = {**host_context(session=session), "error": error}
    if csrf_token:
        # Rendered for a WebSocket: no request, so the forms carry the cookie's token.
        context["csrf_token"] = csrf_token
    return render_to_string(HOST_TEMPLATE + "#panel", context, request=request)
