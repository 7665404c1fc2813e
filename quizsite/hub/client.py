"""A site process's side of the hub: one connection per event loop, and a blocking call
for sync code."""

from __future__ import annotations

import asyncio
import itertools
import logging
import socket
from collections.abc import Awaitable, Callable

from . import pack, unpacker

log = logging.getLogger("quizsite.hub")
CONNECT_TIMEOUT = 2.0
REPLY_TIMEOUT = 10.0

Handler = Callable[[dict], Awaitable[None]]


class Link:
    """One connection to the hub on the event loop it was made on.

    With a node and a handler, it receives: it says hello as that node (and waits for the
    hub to answer), hands every group or channel message to the handler, and reconnects
    by itself if the hub goes away (the supervisor starts it again), so a process's
    WebSockets keep receiving."""

    def __init__(self, path: str, node: str | None = None, handler: Handler | None = None):
        self.path, self.node, self.handler = path, node, handler
        self.loop = asyncio.get_running_loop()
        self.writer: asyncio.StreamWriter | None = None
        self.ready = False
        self.pending: dict[int, asyncio.Future] = {}
        self.ids = itertools.count(1)
        self.connecting = asyncio.Lock()
        self.closed = False
        self.reconnecting: asyncio.Task | None = None

    @property
    def connected(self) -> bool:
        return self.ready and self.writer is not None and not self.writer.is_closing()

    async def ensure(self) -> None:
        """Connected, and for a receiving link, known to the hub: a group_add returns
        only once a group message sent by another process right after would reach it."""
        if self.connected:
            return
        async with self.connecting:
            if self.connected:
                return
            if self.writer is not None:
                self.writer.close()  # a connection whose hello was never answered
            reader, writer = await asyncio.wait_for(
                asyncio.open_unix_connection(self.path), CONNECT_TIMEOUT
            )
            self.writer, self.ready = writer, False
            self.loop.create_task(self._read(reader, writer))
            if self.node is not None:
                await self._call({"op": "hello", "node": self.node}, CONNECT_TIMEOUT)
            self.ready = True

    async def send(self, frame: dict) -> None:
        await self.ensure()
        self.writer.write(pack(frame))
        await self.writer.drain()

    async def request(self, op: str, **fields):
        await self.ensure()
        return await self._call({"op": op, **fields}, REPLY_TIMEOUT)

    async def _call(self, frame: dict, wait: float):
        ident = next(self.ids)
        reply = self.loop.create_future()
        self.pending[ident] = reply
        try:
            self.writer.write(pack({**frame, "id": ident}))
            await self.writer.drain()
            return await asyncio.wait_for(reply, wait)
        finally:
            self.pending.pop(ident, None)

    async def _read(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        frames = unpacker()
        try:
            while data := await reader.read(65536):
                frames.feed(data)
                for frame in frames:
                    if frame.get("op") == "reply":
                        if (reply := self.pending.get(frame["id"])) and not reply.done():
                            reply.set_result(frame["value"])
                    elif self.handler is not None:
                        await self.handler(frame)
        except (ConnectionError, ValueError) as error:
            log.warning("hub connection lost: %r", error)
        finally:
            writer.close()
            if self.writer is writer:
                self.writer, self.ready = None, False
            for reply in self.pending.values():
                if not reply.done():
                    reply.set_exception(ConnectionError("the hub closed the connection"))
            if self.node is not None and not self.closed and not self.loop.is_closed():
                self.reconnecting = self.loop.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        delay = 0.1
        while not self.closed:
            await asyncio.sleep(delay)
            try:
                await self.ensure()
                log.info("hub: reconnected")
                return
            except (OSError, TimeoutError):
                delay = min(delay * 2, 2.0)

    def close(self) -> None:
        self.closed = True
        if self.reconnecting is not None:
            self.reconnecting.cancel()
        if self.writer is not None:
            self.writer.close()


class Links:
    """A Link per running event loop (Django's async_to_sync may run code on a loop of
    its own); links of loops that have closed are forgotten. Only one of them receives:
    the first one made while no other receives (the server's loop, where the consumers
    and their queues live). A link on another loop only sends."""

    def __init__(self, path: str, node: str | None = None, handler: Handler | None = None):
        self.path, self.node, self.handler = path, node, handler
        self.links: dict[int, Link] = {}

    def get(self) -> Link:
        loop = asyncio.get_running_loop()
        link = self.links.get(id(loop))
        if link is None or link.loop is not loop:
            for key in [k for k, old in self.links.items() if old.loop.is_closed()]:
                self.links.pop(key).closed = True
            receiving = not any(old.node for old in self.links.values())
            node, handler = (self.node, self.handler) if receiving else (None, None)
            link = self.links[id(loop)] = Link(self.path, node, handler)
        return link

    def close(self) -> None:
        for link in self.links.values():
            link.close()
        self.links.clear()


def request_sync(path: str, op: str, **fields):
    """One request on a connection of its own, blocking: for sync code in a thread."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(REPLY_TIMEOUT)
        sock.connect(path)
        sock.sendall(pack({"op": op, "id": 1, **fields}))
        frames = unpacker()
        while data := sock.recv(65536):
            frames.feed(data)
            for frame in frames:
                if frame.get("op") == "reply":
                    return frame["value"]
    raise ConnectionError("the hub closed the connection before replying")
