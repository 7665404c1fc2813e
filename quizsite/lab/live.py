"""push-vs-poll in the visitor's own browser: the site publishes a few events; each
goes to the browser through a Channels WebSocket and, separately, waits in the cache
for the browser's next htmx poll. lab.js notes when each one arrives.

This part runs in the site, not on a lab server: the browser can only reach the site,
and publishing a few events costs the site's loop nothing. The events live in the
cache (files shared by `make run`'s processes, or Redis), so a poll that lands on
another site process than the WebSocket still finds them.
"""

from __future__ import annotations

import asyncio
import time
import uuid

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

TTL = 120  # seconds a live run's events are kept
HTMX_STOP_POLLING = 286  # htmx stops an `every` trigger on this status


def key(run: str, part: str) -> str:
    return f"lab:live:{run}:{part}"


def group(run: str) -> str:
    return f"lab-live-{run}"


async def live_create(*, events: int, interval_ms: int) -> dict:
    run = uuid.uuid4().hex
    # Events off the poll's beat, so the polling delays spread over the interval.
    plan = {"events": events, "gap_ms": max(50, int(interval_ms * 0.7)), "interval_ms": interval_ms}
    await cache.aset_many(
        {key(run, "plan"): plan, key(run, "events"): [], key(run, "cursor"): -1}, TTL
    )
    return {"run": run, **plan}


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.run = self.scope["url_route"]["kwargs"]["run"]
        self.plan = await cache.aget(key(self.run, "plan"))
        self.publisher = None
        if self.plan is None:
            await self.close()
            return
        await self.channel_layer.group_add(group(self.run), self.channel_name)
        await self.accept()
        await self.send_json({"ready": True})

    async def receive_json(self, content):
        if "ping" in content:
            # The server's clock, so the browser can put both deliveries on one clock
            # (NTP-style: the browser halves the round trip).
            await self.send_json({"pong": content["ping"], "now": time.time() * 1000})
        elif content.get("start") and self.publisher is None:
            # Once per run, however many sockets ask: each run publishes its events once.
            if await cache.aadd(key(self.run, "started"), True, TTL):
                self.publisher = asyncio.create_task(self.publish())

    async def publish(self):
        events = []
        for index in range(self.plan["events"]):
            await asyncio.sleep(self.plan["gap_ms"] / 1000)
            event = {"index": index, "sent": time.time() * 1000}
            events.append(event)
            await cache.aset(key(self.run, "events"), events, TTL)  # for the poller
            await self.channel_layer.group_send(
                group(self.run), {"type": "live.event", "event": event}
            )

    async def live_event(self, message):
        await self.send_json(message["event"])

    async def disconnect(self, code):
        if getattr(self, "publisher", None):
            self.publisher.cancel()
        if getattr(self, "plan", None):
            await self.channel_layer.group_discard(group(self.run), self.channel_name)


@require_GET
@never_cache
async def live_poll(request: HttpRequest, run: str) -> HttpResponse:
    # Run ids are short hex; a longer one would only make an oversized cache key.
    plan = await cache.aget(key(run, "plan")) if len(run) <= 32 else None
    if plan is None:
        raise Http404("No such live run")
    events = await cache.aget(key(run, "events"), [])
    cursor = await cache.aget(key(run, "cursor"), -1)
    fresh = [event for event in events if event["index"] > cursor]
    last = plan["events"] - 1
    if not fresh:
        return HttpResponse(status=HTMX_STOP_POLLING if cursor == last else 204)
    await cache.aset(key(run, "cursor"), fresh[-1]["index"], TTL)
    response = render(request, "lab/_live_events.html", {"events": fresh})
    if fresh[-1]["index"] == last:
        response.status_code = HTMX_STOP_POLLING  # still swapped in, then polling stops
    return response
