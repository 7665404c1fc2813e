"""The hub process: relays group messages between site processes and keeps the counters.

    python -m quizsite.hub --fd N      (a listening Unix socket the supervisor passed)
    python -m quizsite.hub --path P    (bind P itself: tests, or by hand)

One event loop, no threads, no Django: every frame is handled to the end before the
next one is read, which is what makes a counter step atomic.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket

from quizsite import counters

from . import COUNTER_OPS, pack, unpacker

log = logging.getLogger("quizsite.hub")
# A process that stops reading (stuck, or gone without closing) is dropped rather than
# left to fill the hub's memory with messages it will never read.
MAX_BUFFERED = 16 * 1024 * 1024


class Hub:
    def __init__(self) -> None:
        self.nodes: dict[str, asyncio.StreamWriter] = {}
        self.writers: set[asyncio.StreamWriter] = set()

    def deliver(self, writer: asyncio.StreamWriter, frame: dict) -> None:
        if writer.is_closing():
            return
        if writer.transport.get_write_buffer_size() > MAX_BUFFERED:
            log.warning("hub: dropping a process that has stopped reading")
            writer.close()
            return
        writer.write(pack(frame))

    def handle_frame(self, writer: asyncio.StreamWriter, frame: dict, node: str | None):
        op = frame.get("op")
        if op == "hello":
            node = frame["node"]
            self.nodes[node] = writer
            self.deliver(writer, {"op": "reply", "id": frame["id"], "value": True})
        elif op == "group":
            out = {"op": "group", "group": frame["group"], "message": frame["message"]}
            for other, peer in list(self.nodes.items()):
                if other != frame.get("from"):
                    self.deliver(peer, out)
        elif op == "to":
            if (peer := self.nodes.get(frame["node"])) is not None:
                self.deliver(
                    peer, {"op": "to", "channel": frame["channel"], "message": frame["message"]}
                )
        elif op in COUNTER_OPS:
            value = counters.local_step(op, frame)
            self.deliver(writer, {"op": "reply", "id": frame["id"], "value": value})
        else:
            raise ValueError(f"unknown hub operation {op!r}")
        return node

    async def serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        node = None
        frames = unpacker()
        self.writers.add(writer)
        try:
            while data := await reader.read(65536):
                frames.feed(data)
                for frame in frames:
                    node = self.handle_frame(writer, frame, node)
        except (ConnectionError, ValueError, KeyError, TypeError) as error:
            log.warning("hub: closing a connection after %r", error)
        finally:
            if node is not None and self.nodes.get(node) is writer:
                del self.nodes[node]
            self.writers.discard(writer)
            writer.close()


async def serve(sock: socket.socket) -> None:
    hub = Hub()
    server = await asyncio.start_unix_server(hub.serve_connection, sock=sock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    # Close every connection first: a server waits for its open connections to end.
    server.close()
    for writer in hub.writers:
        writer.close()


def listening_socket(path: str) -> socket.socket:
    """A Unix socket bound at path (a stale file there is replaced), listening."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    sock.bind(path)
    sock.listen(512)
    return sock


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m quizsite.hub")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--fd", type=int, help="a listening Unix socket, inherited")
    where.add_argument("--path", help="a Unix socket path to bind")
    args = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(), format="%(message)s")
    if args.fd is not None:
        sock = socket.socket(fileno=args.fd)
    else:
        sock = listening_socket(args.path)
    asyncio.run(serve(sock))
