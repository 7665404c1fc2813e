"""The live session's WebSockets: one group for the room's learners, one for the host.

The consumers keep no state that matters: on connect they render the stage from the
database, so a reload, a phone that dropped off the Wi-Fi, or a socket served by another
worker process (channels_redis) resumes exactly. A new question is rendered once by the
host's request and broadcast as HTML; everything else each consumer re-reads.
"""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.utils.datastructures import MultiValueDict

from questions.services import Owner
from questions.views import OWNER_KEY

from . import selectors, services, stages
from .models import LiveSession

HOST_REFRESH_DELAY = 0.3  # seconds: a burst of answers redraws the histogram once
NOT_ALLOWED = 4403  # WebSocket close code: application-defined, "forbidden"


def learners_group(session: LiveSession) -> str:
    return f"live-{session.pk}-learners"


def host_group(session: LiveSession) -> str:
    return f"live-{session.pk}-host"


async def broadcast(session: LiveSession, *, new_question: bool = False) -> None:
    """Tell both groups that the session moved on. A new question goes out as the
    rendered stage itself: the room gets it without a database read per learner."""
    layer = get_channel_layer()
    if new_question and session.phase == LiveSession.QUESTION:
        html = await database_sync_to_async(stages.learner_stage)(session=session, link=None)
        message = {"type": "live.question", "html": html, "rev": session.revision}
    else:
        message = {"type": "live.refresh"}
    await layer.group_send(learners_group(session), message)
    await layer.group_send(host_group(session), {"type": "live.refresh"})


async def host_nudge(session: LiveSession) -> None:
    """A learner joined or answered: the host's lobby or histogram changes."""
    await get_channel_layer().group_send(host_group(session), {"type": "live.refresh"})


@database_sync_to_async
def _player(scope, code: str):
    session = selectors.live_get(code=code)
    if session is None:
        return None, None
    user = scope["user"]
    owner = Owner(
        user.pk if user.is_authenticated else None,
        "" if user.is_authenticated else scope["session"].get(OWNER_KEY, ""),
    )
    return session, selectors.live_player(session=session, owner=owner)


class LearnerConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.session, self.link = await _player(
            self.scope, self.scope["url_route"]["kwargs"]["code"]
        )
        if self.link is None:
            await self.close(code=NOT_ALLOWED)  # join over HTTP first
            return
        await self.channel_layer.group_add(learners_group(self.session), self.channel_name)
        await self.accept()
        await self.send_stage()

    async def disconnect(self, code):
        if getattr(self, "link", None) is not None:
            await self.channel_layer.group_discard(learners_group(self.session), self.channel_name)

    @database_sync_to_async
    def _stage(self, error: str = "") -> tuple[str, int]:
        self.session = selectors.live_refetch(session=self.session)
        context = stages.learner_context(session=self.session, link=self.link, error=error)
        return stages.render_stage(context), self.session.revision

    async def send_stage(self, error: str = "") -> None:
        html, rev = await self._stage(error)
        await self.send_json({"stage": html, "rev": rev})

    async def receive_json(self, content):
        answer = content.get("answer")
        if not isinstance(answer, dict):
            await self.send_stage("Send an answer as a form's fields.")
            return
        data = MultiValueDict(
            {
                str(k): [str(x) for x in (v if isinstance(v, list) else [v])][:50]
                for k, v in list(answer.items())[:50]
            }
        )
        error = ""
        try:
            await database_sync_to_async(services.live_answer)(
                session=self.session, attempt=self.link.attempt, data=data
            )
        except services.LiveRefused as exc:
            error = str(exc)
        else:
            await host_nudge(self.session)
        await self.send_stage(error)

    async def live_question(self, message):
        await self.send_json({"stage": message["html"], "rev": message["rev"]})

    async def live_refresh(self, message):
        await self.send_stage()


class HostConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        code = self.scope["url_route"]["kwargs"]["code"]
        self.session = await database_sync_to_async(selectors.live_get)(code=code)
        user = self.scope["user"]
        self.redraw = None
        if self.session is None or not user.is_authenticated or self.session.host_id != user.pk:
            self.session = None
            await self.close(code=NOT_ALLOWED)
            return
        await self.channel_layer.group_add(host_group(self.session), self.channel_name)
        await self.accept()
        await self.send_panel()

    async def disconnect(self, code):
        if self.redraw is not None:
            self.redraw.cancel()
        if getattr(self, "session", None) is not None:
            await self.channel_layer.group_discard(host_group(self.session), self.channel_name)

    @database_sync_to_async
    def _panel(self) -> str:
        self.session = selectors.live_refetch(session=self.session)
        token = self.scope.get("cookies", {}).get("csrftoken", "")
        return stages.host_panel(session=self.session, csrf_token=token)

    async def send_panel(self) -> None:
        await self.send_json({"panel": await self._panel(), "rev": self.session.revision})

    async def live_refresh(self, message):
        # Coalesce: many answers in a burst make one redraw, and the handler returns at
        # once so the consumer's queue never backs up behind the redraw.
        if self.redraw is None or self.redraw.done():
            self.redraw = asyncio.create_task(self._redraw_soon())

    async def _redraw_soon(self):
        await asyncio.sleep(HOST_REFRESH_DELAY)
        await self.send_panel()
