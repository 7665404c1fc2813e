"""Headers every response carries, on the event loop (a native `async def __call__`, so
no thread hop), a message for bare refusals, and a refusal of non-form bodies posted to
the site's forms (only the JSON API under /lab/api/ takes anything else).

Pages that hold a learner's or an instructor's data say `Cache-Control: private,
no-store` through a decorator on their views (`never_cache`, or instructor_required for
all of /teach/), not here: which pages are personal is the view's knowledge, not a
guess from the URL.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from quizsite.middleware import SyncAndAsyncMiddleware

# Nothing on this site uses these browser features; a page that is ever injected into
# cannot either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "")


def refusal(request: HttpRequest) -> HttpResponse | None:
    """A POST to a form with a body that is not a form: the view would read no fields
    from it and act on defaults, as if the person had sent the form empty."""
    if request.method != "POST" or request.path.startswith("/lab/api/"):
        return None
    if request.content_type in FORM_TYPES or not request.META.get("CONTENT_LENGTH"):
        return None
    return HttpResponse(
        f"This address takes a form (application/x-www-form-urlencoded or multipart/"
        f"form-data), not {request.content_type}.",
        status=415,
        content_type="text/plain; charset=utf-8",
    )


def finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    # require_http_methods answers 405 with an empty body: say what the URL takes.
    if response.status_code == 405 and not getattr(response, "streaming", False):
        if not response.content:
            allowed = response.get("Allow", "")
            response.content = (
                f"{request.method} is not allowed at this address; it takes {allowed}.".encode()
            )
            response["Content-Type"] = "text/plain; charset=utf-8"
    return response


class SecurityHeadersMiddleware(SyncAndAsyncMiddleware):
    def __call__(self, request: HttpRequest):
        if self.is_async:
            return self._acall(request)
        return finish(request, refusal(request) or self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        return finish(request, refusal(request) or await self.get_response(request))
