"""Teaching pages that grow with the data: a page of questions at a time, rendered off
the event loop. A set of 5,000 questions rendered whole, on the loop, held every other
request of the process (a /healthz too) for seconds."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

PER_PAGE = 50


def page_of(items: list, *, number) -> Page:
    """One page of items; a missing, bad or too large number gives the nearest page."""
    page = Paginator(items, PER_PAGE).get_page(number)
    page.elided = list(page.paginator.get_elided_page_range(page.number))
    return page


def page_number_of(position: int) -> int:
    """The page on which the item at this 0-based position appears."""
    return position // PER_PAGE + 1


async def render_off_loop(
    request: HttpRequest, template: str, context: dict, *, status: int = 200
) -> HttpResponse:
    # Template rendering and Markdown are CPU work: on the loop they would stall every
    # request of this process. thread_sensitive=True puts it in this request's own
    # thread, where its earlier queries ran, so a lazy query in a template (the user in
    # the header) uses the connection Django closes when the request ends.
    html = await sync_to_async(render_to_string)(template, context, request)
    return HttpResponse(html, status=status)
