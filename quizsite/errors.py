"""The site's error pages: each says what went wrong, in the view's own words when the
view gave some ("No assignment has this join code"), and the JSON API gets JSON.

Django's own 400 handler renders its template with no context at all, and its 404 page
shows the message only with DEBUG on. These handlers never read request.POST or the
body (the reason for a 400 is often that they cannot be read) and fall back to plain
text if the page itself cannot be rendered, so an error page never raises a second error.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

TITLES = {400: "Bad request", 403: "Not allowed", 404: "Page not found"}


def _megabytes(value: int | None) -> str:
    return f"{(value or 0) / 1024 / 1024:.1f} MB"


def bad_request_message(exception: Exception | None) -> str:
    """What to tell a person about a 400, without echoing anything sensitive."""
    if isinstance(exception, RequestDataTooBig):
        return (
            f"The request is too large: a form can send at most "
            f"{_megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)} (a question-set file at most 1 MB)."
        )
    if isinstance(exception, TooManyFieldsSent):
        return "The form sent too many fields."
    if isinstance(exception, TooManyFilesSent):
        return "The form sent too many files."
    if type(exception) is BadRequest and exception.args:
        # Django's own BadRequest messages say what is wrong with the request's format,
        # e.g. "... content type must be UTF-8 encoded."
        return str(exception.args[0])
    return "The request could not be understood: check the form and send it again."


def view_message(exception: Exception | None, status: int) -> str:
    if status == 400:
        return bad_request_message(exception)
    # A message the view raised (Http404("..."), PermissionDenied("...")); the URL
    # resolver's own 404 carries a dict, which is for DEBUG pages only.
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        return exception.args[0]
    if status == 404:
        return "There is nothing at this address."
    return "You are not allowed to do this."


def error_response(request: HttpRequest, exception: Exception | None, status: int):
    message = view_message(exception, status)
    if request.path.startswith("/lab/api/"):
        return JsonResponse({"error": message, "status": status}, status=status)
    context = {"message": message, "status": status, "title": TITLES[status]}
    context["request_path"] = request.path
    try:
        html = render_to_string("error.html", context, request=request)
    except Exception:  # the page must not fail in turn: say it in plain text
        logger.exception("The %s page could not be rendered", status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_response(request, exception, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_response(request, exception, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_response(request, exception, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/lab/api/"):
        return JsonResponse(
            {"error": "Something went wrong on our side.", "status": 500}, status=500
        )
    # A static page: whatever broke may break a template render too.
    return HttpResponse(render_to_string("500.html"), status=500)
