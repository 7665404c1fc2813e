"""Throttling of the forms people can hammer: log in, sign up, problem reports, joins.

Each action counts per client address and, where there is one, per account (the user
name typed, or the learner). A hit is counted before the work is done, atomically
(quizsite/counters.py), so thirty requests sent at once cannot all slip under the limit
the way a read-then-write check lets them.

Why not django-axes: it covers logins only, its lockout check reads the failures from
the database and the signal handler writes them later (concurrent attempts all pass the
read), and its backend and handlers are sync. This is a few lines on the same atomic
counters as the lab's limits.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import counters

# action -> ((per what, at most, in seconds), ...). THROTTLE_RATES in settings overrides.
RATES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "login": (("address", 30, 900), ("account", 10, 900)),
    "signup": (("address", 10, 3600),),
    "report": (("address", 30, 3600), ("account", 10, 3600)),
    "join": (("address", 60, 600),),
}


@dataclass
class Throttled(Exception):
    message: str
    retry_after: int

    def __str__(self) -> str:
        return self.message


def client_address(request: HttpRequest) -> str:
    """Who a limit counts against. Behind a proxy REMOTE_ADDR is the proxy itself: take
    the last X-Forwarded-For entry, the one our proxy added (earlier entries come from the
    client and can say anything)."""
    if settings.BEHIND_PROXY and (forwarded := request.META.get("HTTP_X_FORWARDED_FOR")):
        return forwarded.split(",")[-1].strip() or "unknown"
    return request.META.get("REMOTE_ADDR") or "unknown"


def _rates(action: str):
    return getattr(settings, "THROTTLE_RATES", {}).get(action, RATES[action])


def _keys(action: str, request: HttpRequest, account: str):
    # "Alice" and "alice " are one account to a person guessing passwords.
    account = unicodedata.normalize("NFKC", account).strip().casefold()
    for per, limit, window in _rates(action):
        value = client_address(request) if per == "address" else account
        if value:
            yield f"throttle:{action}:{per}:{value}", limit, window, per


WHAT = {
    "login": "login attempts",
    "signup": "sign-ups",
    "report": "problem reports",
    "join": "attempts to join an assignment",
}


def _refuse(action: str, per: str, limit: int, window: int) -> Throttled:
    span = f"{window // 60} minutes" if window < 3600 else f"{window // 3600} hour(s)"
    whom = "from your address" if per == "address" else "for this account"
    return Throttled(
        f"Too many {WHAT[action]} {whom}: at most {limit} in {span}. "
        f"Please wait {max(1, window // 60)} minutes and try again.",
        retry_after=window,
    )


async def throttle_check(*, action: str, request: HttpRequest, account: str = "") -> None:
    """Count this request against every limit of the action; raise Throttled if over."""
    for key, limit, window, per in _keys(action, request, account):
        if await counters.hit(key, window=window) > limit:
            raise _refuse(action, per, limit, window)


def throttle_check_sync(*, action: str, request: HttpRequest, account: str = "") -> None:
    for key, limit, window, per in _keys(action, request, account):
        if counters.hit_sync(key, window=window) > limit:
            raise _refuse(action, per, limit, window)


def throttled_response(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = render(request, "throttled.html", {"message": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
