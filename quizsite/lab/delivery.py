"""push-vs-poll, measured by the conductor: it listens on a real WebSocket to the lab
ASGI worker and polls the same events over HTTP, and notes when each one arrives.
Both clocks are this machine's (the lab servers run on loopback beside the site)."""

from __future__ import annotations

import asyncio
import json
import uuid

import websockets

from . import conductor as c


async def push_vs_poll(*, events: int, interval_ms: int) -> dict:
    run, t0 = uuid.uuid4().hex, c.now()
    ws_url = c.ASGI.url.replace("http", "ws", 1) + f"/lab/ws/events/{run}/"
    pushed, polled = {}, {}
    gap_ms = max(50, int(interval_ms * 0.7))  # off the poll's beat, so delays vary
    try:
        async with (
            c.client() as http,
            websockets.connect(ws_url, origin=c.ASGI.url, open_timeout=3) as socket,
        ):
            if json.loads(await socket.recv()) != {"ready": True}:
                raise c.LabUnavailable(c.ASGI.label)

            async def listen():
                while len(pushed) < events:
                    event = json.loads(await socket.recv())
                    pushed[event["index"]] = (event["sent"], c.now())

            async def poll():
                while len(polled) < events:
                    found = await c.call(
                        http, c.ASGI, "events/poll", run=run, after=max(polled, default=-1)
                    )
                    for event in found["events"]:
                        polled[event["index"]] = (event["sent"], c.now())
                    await asyncio.sleep(interval_ms / 1000)

            async with asyncio.timeout(events * gap_ms / 1000 + 2 * interval_ms / 1000 + 10):
                await c.together(
                    listen(),
                    poll(),
                    c.call(http, c.ASGI, "events/publish", run=run, count=events, gap_ms=gap_ms),
                )
    except (OSError, TimeoutError, websockets.InvalidHandshake, websockets.ConnectionClosed) as exc:
        # Refused, cut off or silent: the lab worker is down or restarting.
        raise c.LabUnavailable(c.ASGI.label) from exc
    rows, groups, own = [], [], {}
    for name, label, seen, expected in [
        ("push", "WebSocket (Channels)", pushed, 0),
        ("poll", f"polling every {interval_ms} ms", polled, interval_ms / 2),
    ]:
        mine = [
            {
                "index": i,
                "group": name,
                "start_ms": round((sent - t0) * 1000, 1),
                "end_ms": round((got - t0) * 1000, 1),
                "pid": 0,
                "thread": name,
                "status": "ok",
            }
            for i, (sent, got) in sorted(seen.items())
        ]
        delays = [r["end_ms"] - r["start_ms"] for r in mine]
        own[f"{name}_delay_ms"] = {
            "mean": round(sum(delays) / len(delays), 1),
            "max": round(max(delays), 1),
        }
        rows += mine
        groups.append(
            c.group(name, label, mine, total_ms=sum(delays) / len(delays), expected_ms=expected)
        )
    return {"requests": rows, "groups": groups, **own}
