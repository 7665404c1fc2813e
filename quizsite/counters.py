"""Atomic counters for limits: hits in a time window, and leases on a shared capacity.

Why not the cache API: Django's `incr` is a get followed by a set, with no lock, on
local memory and Redis alike, and every set resets the key's expiry. Thirty requests
arriving together all read the same value, and a counter decremented after its key
expired goes below zero. Here every step is one atomic operation:

- without REDIS_URL, one lock per process around plain dict updates (the lock is held
  for microseconds and never across an `await`, so the event loop never waits on it;
  sync views calling from threads are safe too);
- with REDIS_URL, one Lua script per step, which Redis runs without interleaving:
  INCR and EXPIRE together, and a lease table that never counts below zero and heals
  itself when a process dies holding a lease (each lease carries its own expiry);
- with several site processes and no Redis (`make run`'s default), the same dict
  updates done by the hub process (quizsite/hub), one request at a time, for all of
  them: one message to the hub and its reply per step.

The window of `hit` is what the limit means: "10 an hour" is a key that lives an hour
from its first hit, set once and never pushed back.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

import redis as redis_sync
import redis.asyncio as redis_async
from django.conf import settings

from quizsite.hub.client import Links, request_sync

log = logging.getLogger(__name__)

# --- Redis scripts ---------------------------------------------------------------------
# INCR and EXPIRE in one step; the expiry is set by the first hit only.
HIT = """
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
"""
# A lease table: a hash token -> weight beside a sorted set token -> expiry (ms).
# Expired leases go first, then the lease is granted only if it fits under the limit.
ACQUIRE = """
local now, weight, limit = tonumber(ARGV[1]), tonumber(ARGV[3]), tonumber(ARGV[4])
for _, token in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
  redis.call('HDEL', KEYS[2], token)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local total = 0
for _, w in ipairs(redis.call('HVALS', KEYS[2])) do total = total + tonumber(w) end
if total + weight > limit then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[5]), ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], weight)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
"""
RELEASE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
"""
TOTAL = """
local total = 0
for _, token in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')) do
  total = total + tonumber(redis.call('HGET', KEYS[2], token) or '0')
end
return total
"""

PREFIX = "limits:"


def _redis_url() -> str:
    # Read per call, so override_settings in a test reaches it.
    return getattr(settings, "REDIS_URL", "")


def _hub_path() -> str:
    return getattr(settings, "HUB_SOCKET", "")


_hubs: dict[str, Links] = {}


def _unreachable(error: Exception) -> None:
    log.warning("hub unreachable (%r): counting in this process until it is back", error)


async def _step(op: str, **fields):
    """One step on the hub's tables when the site runs several processes, else on this
    process's own."""
    if not (path := _hub_path()):
        return local_step(op, fields)
    try:
        if path not in _hubs:
            _hubs[path] = Links(path)
        return await _hubs[path].get().request(op, **fields)
    except (OSError, TimeoutError) as error:
        # Limits per process for a moment beat refusing every login while the
        # supervisor restarts the hub.
        _unreachable(error)
        return local_step(op, fields)


def _step_sync(op: str, **fields):
    if not (path := _hub_path()):
        return local_step(op, fields)
    try:
        return request_sync(path, op, **fields)
    except (OSError, TimeoutError) as error:
        _unreachable(error)
        return local_step(op, fields)


def _lease_keys(key: str) -> list[str]:
    return [f"{PREFIX}{key}:expires", f"{PREFIX}{key}:weights"]


# --- In-process state -------------------------------------------------------------------
_lock = threading.Lock()
_hits: dict[str, tuple[int, float]] = {}  # key -> (count, expires at, monotonic)
_leases: dict[str, dict[str, tuple[int, float]]] = {}  # key -> token -> (weight, expires at)


def local_hit(key: str, window: float) -> int:
    now = time.monotonic()
    with _lock:
        count, expires = _hits.get(key, (0, 0.0))
        if expires <= now:
            count, expires = 0, now + window
            # Forget every expired key now and then, so the dict cannot grow for ever.
            if len(_hits) > 10_000:
                for stale in [k for k, (_, e) in _hits.items() if e <= now]:
                    del _hits[stale]
        _hits[key] = (count + 1, expires)
        return count + 1


def _live_leases(key: str, now: float) -> dict[str, tuple[int, float]]:
    leases = _leases.setdefault(key, {})
    for token in [t for t, (_, expires) in leases.items() if expires <= now]:
        del leases[token]
    return leases


def local_acquire(key: str, token: str, weight: int, limit: int, ttl: float) -> bool:
    now = time.monotonic()
    with _lock:
        leases = _live_leases(key, now)
        if sum(w for w, _ in leases.values()) + weight > limit:
            return False
        leases[token] = (weight, now + ttl)
        return True


def local_release(key: str, token: str) -> None:
    with _lock:
        _leases.get(key, {}).pop(token, None)


def local_total(key: str) -> int:
    with _lock:
        return sum(w for w, _ in _live_leases(key, time.monotonic()).values())


def local_step(op: str, fields: dict):
    """One step on this process's tables, by name: what the hub does for every process
    (quizsite/hub/server.py), and what a process does itself while the hub is away."""
    key = fields["key"]
    if op == "hit":
        return local_hit(key, fields["window"])
    if op == "acquire":
        args = (fields["token"], fields["weight"], fields["limit"], fields["ttl"])
        return local_acquire(key, *args)
    if op == "release":
        return local_release(key, fields["token"])
    if op == "total":
        return local_total(key)
    raise ValueError(f"unknown counter step {op!r}")


def local_reset() -> None:
    """Forget every in-process count (tests start from nothing)."""
    with _lock:
        _hits.clear()
        _leases.clear()


# --- The API --------------------------------------------------------------------------
async def hit(key: str, *, window: float) -> int:
    """Count one hit on key; the count within the window that the first hit opened."""
    if url := _redis_url():
        async with redis_async.Redis.from_url(url) as r:
            return int(await r.eval(HIT, 1, PREFIX + key, int(window * 1000)))
    return await _step("hit", key=key, window=window)


def hit_sync(key: str, *, window: float) -> int:
    """`hit` for sync code (a sync view in its thread)."""
    if url := _redis_url():
        with redis_sync.Redis.from_url(url) as r:
            return int(r.eval(HIT, 1, PREFIX + key, int(window * 1000)))
    return _step_sync("hit", key=key, window=window)


async def lease_acquire(key: str, *, weight: int, limit: int, ttl: float) -> str | None:
    """Take `weight` units of a capacity of `limit`: a lease token, or None when full.
    A lease not released within ttl seconds (its process died) is freed by itself."""
    token = uuid.uuid4().hex
    if url := _redis_url():
        async with redis_async.Redis.from_url(url) as r:
            now_ms = int(time.time() * 1000)
            args = (now_ms, token, weight, limit, int(ttl * 1000))
            granted = await r.eval(ACQUIRE, 2, *_lease_keys(key), *args)
        return token if granted else None
    fields = {"key": key, "token": token, "weight": weight, "limit": limit, "ttl": ttl}
    return token if await _step("acquire", **fields) else None


async def lease_release(key: str, token: str) -> None:
    if url := _redis_url():
        async with redis_async.Redis.from_url(url) as r:
            await r.eval(RELEASE, 2, *_lease_keys(key), token)
        return
    await _step("release", key=key, token=token)


async def lease_total(key: str) -> int:
    """Units held now by live leases: never below zero, by construction."""
    if url := _redis_url():
        async with redis_async.Redis.from_url(url) as r:
            return int(await r.eval(TOTAL, 2, *_lease_keys(key), int(time.time() * 1000)))
    return await _step("total", key=key)
