"""The lab's JSON API: list the experiments, run one. Every answer is JSON, errors too.

The API changes no one's data, so it takes no session or CSRF token. What stops any web
page from spending the lab through its visitors' browsers: a run must be sent as
`application/json` (a type no plain form or `no-cors` fetch can send, so a browser asks
the site first with a preflight, which it refuses), and a request whose `Origin` is
another site's is refused outright. The limits in limits.py protect the lab servers.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from quizsite.throttle import client_address

from .experiments import EXPERIMENTS
from .services import experiment_outcome

# A run's parameters fit in a few dozen bytes.
MAX_BODY_BYTES = 4096


def error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, "status": status, **extra}, status=status)


def api_view(*methods: str):
    """Only these methods, and every refusal as JSON with a message (404 and 405 too)."""

    def decorate(view: Callable[..., Awaitable[JsonResponse]]):
        @wraps(view)
        async def wrapper(request: HttpRequest, *args, **kwargs) -> JsonResponse:
            if request.method not in methods:
                response = error(405, f"{request.method} is not allowed here: use {methods[0]}")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return await view(request, *args, **kwargs)
            except Http404 as exc:
                return error(404, str(exc))

        return csrf_exempt(wrapper)

    return decorate


def cross_origin(request: HttpRequest) -> str:
    """The other site's origin when the request comes from one; "" otherwise."""
    origin = request.META.get("HTTP_ORIGIN", "")
    if not origin:
        return ""
    own = f"{request.scheme}://{request.get_host()}"
    if origin == own or origin in settings.CSRF_TRUSTED_ORIGINS:
        return ""
    return origin


def parse_params(request: HttpRequest) -> dict:
    """The body as a JSON object of parameters; raises ValueError with what is wrong."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
        raise ValueError(f"the body is too large: at most {MAX_BODY_BYTES} bytes")
    try:
        body = request.body
    except RequestDataTooBig:
        raise ValueError(f"the body is too large: at most {MAX_BODY_BYTES} bytes") from None
    if len(body) > MAX_BODY_BYTES:
        raise ValueError(f"the body is too large: at most {MAX_BODY_BYTES} bytes")

    def no_constants(name: str):
        raise ValueError(f"{name} is not a number JSON allows")

    try:
        data = json.loads(body or b"{}", parse_constant=no_constants)
    except RecursionError:
        raise ValueError("the body is nested too deeply: send a flat JSON object") from None
    except UnicodeDecodeError:
        raise ValueError("the body must be UTF-8 JSON") from None
    except ValueError as exc:
        raise ValueError(f"the body is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError('the body must be a JSON object, e.g. {"n": 10}')
    return data


@api_view("GET", "HEAD")
async def experiments(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"experiments": [e.as_json() for e in EXPERIMENTS.values()]})


@api_view("POST")
async def run(request: HttpRequest, name: str) -> JsonResponse:
    if name not in EXPERIMENTS:
        raise Http404(f"No experiment called {name}: GET /lab/api/experiments/ lists them")
    if origin := cross_origin(request):
        return error(403, f"Runs from other sites are refused (Origin: {origin}).")
    if request.content_type != "application/json":
        return error(
            415,
            f"Send the parameters as JSON with Content-Type: application/json "
            f"(not {request.content_type or 'nothing'}).",
        )
    try:
        data = parse_params(request)
    except ValueError as exc:
        status = 413 if "too large" in str(exc) else 400
        return error(status, str(exc))
    status, body = await experiment_outcome(name=name, data=data, client=client_address(request))
    response = JsonResponse(body, status=status)
    if "retry_after" in body:
        response["Retry-After"] = str(body["retry_after"])
    return response
