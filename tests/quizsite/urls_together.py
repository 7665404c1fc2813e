"""A URLconf for tests/quizsite/test_pagecache.py: a view that answers only once three
requests are inside it at the same time."""

import asyncio

from django.http import HttpResponse
from django.urls import include, path

ARRIVED: list[asyncio.Event] = []


async def together(request):
    mine = asyncio.Event()
    ARRIVED.append(mine)
    if len(ARRIVED) >= 3:
        for event in ARRIVED:
            event.set()
    try:
        await asyncio.wait_for(mine.wait(), timeout=5)
    except TimeoutError:
        return HttpResponse("alone", status=504)
    return HttpResponse("together")


urlpatterns = [path("together/", together, name="together"), path("", include("quizsite.urls"))]
