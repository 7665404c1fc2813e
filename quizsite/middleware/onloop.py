"""Django's own middleware, run on the event loop instead of in a thread.

Under ASGI, `MiddlewareMixin.__acall__` (django/utils/deprecation.py) runs every
`process_request` and `process_response` through `sync_to_async(thread_sensitive=True)`,
and `BaseHandler` wraps a sync `process_view` the same way: Django's default list costs
about 15 thread hops per request, and the first one starts a worker thread that the
request then keeps until it ends. "Async-capable" is not "no hop".

The hooks of the classes below only read headers and cookies and set headers: a few
microseconds of CPU, no I/O. So `OnLoop` calls Django's own hooks directly from an
`async def` and keeps Django's behaviour byte for byte (tests/quizsite/middleware
compares each twin with the original). Under WSGI nothing changes: MiddlewareMixin's
sync path runs.

Sessions are on the list only because SESSION_ENGINE is the signed-cookie backend, whose
load and save are HMAC work on a cookie; with a database or cache engine,
`SessionMiddleware.process_response` would do I/O on the loop, so `OnLoopSession` refuses
to start with one (Django's ticket #37177 is the open work to do this upstream).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.core.exceptions import ImproperlyConfigured
from django.middleware import clickjacking, common, csp, csrf, security

# Session engines whose load() and save() do no I/O.
NO_IO_SESSION_ENGINES = {"django.contrib.sessions.backends.signed_cookies"}


class OnLoop:
    """Mix in before a MiddlewareMixin subclass whose hooks do no I/O."""

    def __init__(self, get_response):
        super().__init__(get_response)
        if self.async_mode and hasattr(self, "process_view"):
            # BaseHandler adapts a sync process_view with sync_to_async in async mode; an
            # instance attribute that is a coroutine function is taken as it is. Under
            # WSGI the class's sync method stays, so nothing is adapted there either.
            sync_process_view = self.process_view

            async def process_view(request, view_func, view_args, view_kwargs):
                return sync_process_view(request, view_func, view_args, view_kwargs)

            self.process_view = process_view

    async def __acall__(self, request):
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            response = self.process_response(request, response)
        return response


class SecurityMiddleware(OnLoop, security.SecurityMiddleware):
    pass


class SessionMiddleware(OnLoop, sessions.SessionMiddleware):
    def __init__(self, get_response):
        if settings.SESSION_ENGINE not in NO_IO_SESSION_ENGINES:
            raise ImproperlyConfigured(
                f"{__name__}.SessionMiddleware runs on the event loop and needs a session "
                f"engine that does no I/O ({', '.join(sorted(NO_IO_SESSION_ENGINES))}); "
                f"SESSION_ENGINE is {settings.SESSION_ENGINE!r}: use Django's "
                "SessionMiddleware with it."
            )
        super().__init__(get_response)


class CommonMiddleware(OnLoop, common.CommonMiddleware):
    pass


class CsrfViewMiddleware(OnLoop, csrf.CsrfViewMiddleware):
    def __init__(self, get_response):
        if settings.CSRF_USE_SESSIONS and settings.SESSION_ENGINE not in NO_IO_SESSION_ENGINES:
            raise ImproperlyConfigured("CSRF_USE_SESSIONS needs a session engine with no I/O.")
        super().__init__(get_response)


class AuthenticationMiddleware(OnLoop, auth.AuthenticationMiddleware):
    # process_request only installs the lazy request.user and request.auser; the lookup
    # itself is awaited by quizsite.accounts.middleware.ResolvedUserMiddleware.
    pass


class MessageMiddleware(OnLoop, messages.MessageMiddleware):
    # Messages live in a cookie, and overflow into the (cookie) session.
    pass


class XFrameOptionsMiddleware(OnLoop, clickjacking.XFrameOptionsMiddleware):
    pass


class ContentSecurityPolicyMiddleware(OnLoop, csp.ContentSecurityPolicyMiddleware):
    pass
