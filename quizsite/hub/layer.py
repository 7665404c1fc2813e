"""A Channels layer for several site processes without Redis: Channels' in-memory layer
in each process, joined through the hub.

Each process keeps its own channels and group members, exactly as the in-memory layer
does (same capacity, expiry, ChannelFull). What crosses processes:

- `group_send` delivers to this process's members, then the hub passes the message to
  every other process, which delivers to its own members;
- `send` to a channel another process made (its name carries that process's node)
  goes through the hub to that process only.

If the hub cannot be reached (it is being restarted), a message still reaches the
members in this process; the rest is logged as lost, as with a Redis outage.
"""

from __future__ import annotations

import logging
import random
import string
import uuid

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

from .client import Links

log = logging.getLogger("quizsite.hub")


class HubChannelLayer(InMemoryChannelLayer):
    def __init__(self, path: str, **kwargs):
        super().__init__(**kwargs)
        # This layer as the hub knows it: one per process (tests make two to stand for
        # two processes). Channel names carry it, so a send finds its process.
        self.node = uuid.uuid4().hex[:12]
        self.links = Links(path, self.node, self._from_hub)

    @staticmethod
    def node_of(channel: str) -> str | None:
        if "!" not in channel:
            return None
        return channel.split("!", 1)[0].rsplit(".", 1)[-1]

    async def _listen(self) -> None:
        """Make sure this process receives what other processes send."""
        try:
            await self.links.get().ensure()
        except (OSError, TimeoutError) as error:
            # The link's own retries take over once the hub is back.
            log.warning("hub unreachable (%r): delivering in this process only", error)

    async def _to_hub(self, frame: dict) -> None:
        try:
            await self.links.get().send(frame)
        except (OSError, TimeoutError) as error:
            log.warning("hub unreachable (%r): a message to other processes was lost", error)

    async def _from_hub(self, frame: dict) -> None:
        try:
            if frame["op"] == "group":
                await InMemoryChannelLayer.group_send(self, frame["group"], frame["message"])
            elif frame["op"] == "to":
                await InMemoryChannelLayer.send(self, frame["channel"], frame["message"])
        except ChannelFull:
            log.warning("channel full: a message from another process was dropped")

    # --- The channel layer API ----------------------------------------------------------
    async def new_channel(self, prefix: str = "specific.") -> str:
        await self._listen()
        suffix = "".join(random.choice(string.ascii_letters) for _ in range(12))
        return f"{prefix}.{self.node}!{suffix}"

    async def send(self, channel: str, message: dict) -> None:
        node = self.node_of(channel)
        if node is None or node == self.node:
            return await super().send(channel, message)
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        await self._to_hub({"op": "to", "node": node, "channel": channel, "message": message})

    async def group_add(self, group: str, channel: str) -> None:
        await super().group_add(group, channel)
        await self._listen()

    async def group_send(self, group: str, message: dict) -> None:
        await super().group_send(group, message)
        await self._to_hub({"op": "group", "from": self.node, "group": group, "message": message})

    async def close(self) -> None:
        self.links.close()
