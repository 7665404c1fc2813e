"""The hub: what the site's processes share when there is no Redis.

`make run` serves the site with one uvicorn process per core (at least two). Three
things must then reach every process, and without REDIS_URL nothing else carries them:

- Channels groups: a live classroom's host and learners, and the lab's push panel, may
  sit on different processes (`layer.HubChannelLayer`);
- the counters behind every limit (`quizsite.counters`): "2 lab runs at once, site-wide"
  must not become 2 per process;
- the lab's push-vs-poll events, which a poll on another process must find (a file
  cache, chosen in settings).

The supervisor binds one Unix socket and starts `python -m quizsite.hub` on it (started
again if it dies, on the same socket). Each site process connects once. The hub keeps no
group membership: a process delivers a group message to its own members, then sends it
to the hub, which passes it to every other process, and each delivers it to its own
members. A message to one specific channel goes only to the process that made it. The
counters live in the hub process and are changed by one coroutine at a time, so each
step is atomic across processes, as a Lua script is on Redis.

Frames are msgpack objects, back to back on the stream.
"""

from __future__ import annotations

import msgpack

# Requests answered by the hub with {"op": "reply", "id": ..., "value": ...}.
COUNTER_OPS = ("hit", "acquire", "release", "total")


def pack(frame: dict) -> bytes:
    return msgpack.packb(frame, use_bin_type=True)


def unpacker() -> msgpack.Unpacker:
    return msgpack.Unpacker(raw=False, strict_map_key=False, max_buffer_size=64 * 1024 * 1024)
