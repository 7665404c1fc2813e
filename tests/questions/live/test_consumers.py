"""The WebSockets, through the site's real ASGI application (origin check, sessions,
auth, routing) and the in-memory channel layer."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.test import Client

from questions.live.models import LiveSession
from questions.live.selectors import live_version
from questions.models import Response
from quizsite.asgi import application
from tests.questions.factories import SECRET_FEEDBACK, right_answer
from tests.questions.teach.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://127.0.0.1")


class WebsocketCommunicator(ApplicationCommunicator):
    """channels.testing's communicator, minus its package's import of daphne."""

    def __init__(self, app, path: str, headers: list):
        scope = {"type": "websocket", "path": path, "query_string": b"", "headers": headers}
        scope.update(subprotocols=[], client=("127.0.0.1", 5000), server=("127.0.0.1", 80))
        super().__init__(app, scope)

    async def connect(self) -> tuple[bool, int | None]:
        await self.send_input({"type": "websocket.connect"})
        message = await self.receive_output(5)
        if message["type"] == "websocket.close":
            return False, message.get("code")
        return True, None

    async def send_json_to(self, data) -> None:
        await self.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive_json_from(self, wait: float = 5):
        message = await self.receive_output(wait)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def disconnect(self, code: int = 1000) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(5)


def cookie_header(client: Client) -> tuple[bytes, bytes]:
    return (b"cookie", "; ".join(f"{k}={v.value}" for k, v in client.cookies.items()).encode())


def learner_client(session, name: str) -> Client:
    client = Client()
    client.post(f"/live/{session.code}/", {"display_name": name})
    return client


def host_client(host) -> Client:
    client = Client()
    client.force_login(host)
    return client


async def connect(path: str, client: Client | None, origin=ORIGIN) -> WebsocketCommunicator:
    headers = [origin] + ([cookie_header(client)] if client else [])
    return WebsocketCommunicator(application, path, headers=headers)


async def test_a_learner_gets_the_question_when_the_host_starts_it_and_resumes_after_a_drop(
    live, host
):
    ada = await sync_to_async(learner_client)(live, "Ada")
    ws = await connect(f"/live/ws/{live.code}/", ada)
    connected, _ = await ws.connect()
    assert connected
    assert "You are in" in (await ws.receive_json_from())["stage"]

    hosting = await sync_to_async(host_client)(host)
    await sync_to_async(hosting.post)(f"/live/host/{live.code}/next/")
    session = await LiveSession.objects.aget(pk=live.pk)
    version = await sync_to_async(live_version)(session=session)
    pushed = await ws.receive_json_from()
    assert version.title in pushed["stage"] and pushed["rev"] == session.revision
    assert SECRET_FEEDBACK not in pushed["stage"]
    await ws.disconnect()

    # The phone drops and comes back mid-question: the same question, still open.
    again = await connect(f"/live/ws/{live.code}/", ada)
    assert (await again.connect())[0]
    resumed = (await again.receive_json_from())["stage"]
    assert version.title in resumed and "data-live-answer" in resumed

    answer = await sync_to_async(right_answer)(version, live.seed)
    await again.send_json_to({"answer": answer})
    assert "Answer recorded" in (await again.receive_json_from())["stage"]
    await again.send_json_to({"answer": answer})
    refused = (await again.receive_json_from())["stage"]
    assert "already answered" in refused
    assert await Response.objects.acount() == 1
    await again.disconnect()


async def test_the_host_socket_sees_joins_and_answers_and_is_the_hosts_only(live, host):
    hosting = await sync_to_async(host_client)(host)
    ws = await connect(f"/live/ws/host/{live.code}/", hosting)
    assert (await ws.connect())[0]
    assert "Nobody yet" in (await ws.receive_json_from())["panel"]
    await sync_to_async(learner_client)(live, "Grace")
    panel = (await ws.receive_json_from())["panel"]
    assert "Grace" in panel
    await ws.disconnect()

    stranger = await sync_to_async(host_client)(
        await sync_to_async(make_user)("eve", instructor=True)
    )
    for client in (stranger, None):
        refused = await connect(f"/live/ws/host/{live.code}/", client)
        connected, code = await refused.connect()
        assert not connected


async def test_a_socket_from_another_site_or_before_joining_is_refused(live):
    ada = await sync_to_async(learner_client)(live, "Ada")
    evil = await connect(f"/live/ws/{live.code}/", ada, origin=(b"origin", b"https://evil.example"))
    assert not (await evil.connect())[0]
    nobody = await connect(f"/live/ws/{live.code}/", None)
    assert not (await nobody.connect())[0]


async def test_many_learners_each_get_the_question_once(live, host):
    clients = [await sync_to_async(learner_client)(live, f"L{n}") for n in range(12)]
    sockets = [await connect(f"/live/ws/{live.code}/", c) for c in clients]
    for ws in sockets:
        assert (await ws.connect())[0]
        await ws.receive_json_from()
    hosting = await sync_to_async(host_client)(host)
    await sync_to_async(hosting.post)(f"/live/host/{live.code}/next/")
    stages = await asyncio.gather(*(ws.receive_json_from() for ws in sockets))
    assert len({s["stage"] for s in stages}) == 1 and "data-live-answer" in stages[0]["stage"]
    for ws in sockets:
        assert await ws.receive_nothing(0.05)
        await ws.disconnect()
