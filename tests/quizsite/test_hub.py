"""The hub (quizsite/hub): what several site processes share without Redis, on a real hub
process. Two layer instances stand for two site processes (each is a node of its own,
as each process's layer is); the counters are asked from this process and from others."""

import asyncio
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.test import override_settings

from quizsite import counters
from quizsite.hub.layer import HubChannelLayer
from tests.servers import REPO, Hub, manage, site_env


@pytest.fixture
def hub():
    running = Hub().start()
    yield running
    running.remove()


async def received(layer, channel):
    return await asyncio.wait_for(layer.receive(channel), 5)


async def nothing_more(layer, channel):
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.3)


async def test_a_group_message_reaches_every_member_in_every_process_once(hub):
    one, two = HubChannelLayer(hub.path), HubChannelLayer(hub.path)
    here, there, also_there = (
        await one.new_channel(),
        await two.new_channel(),
        await two.new_channel(),
    )
    for layer, channel in ((one, here), (two, there), (two, also_there)):
        await layer.group_add("room", channel)
    await two.group_add("other-room", await two.new_channel())

    message = {"type": "live.question", "n": 3, "raw": b"\x00\xff", "nested": {"a": [1, 2]}}
    await one.group_send("room", message)

    assert await received(one, here) == message
    assert await received(two, there) == message
    assert await received(two, also_there) == message
    for layer, channel in ((one, here), (two, there), (two, also_there)):
        await nothing_more(layer, channel)  # not echoed back through the hub

    await two.group_discard("room", there)
    await one.group_send("room", {"type": "after"})
    assert (await received(two, also_there))["type"] == "after"
    await nothing_more(two, there)
    await one.close()
    await two.close()


async def test_group_add_returns_once_the_hub_knows_the_process(hub):
    # Otherwise a message sent by another process just after (the host starting the
    # question the moment a learner's socket is in) can reach the hub first and be lost.
    one, two = HubChannelLayer(hub.path), HubChannelLayer(hub.path)
    await one.new_channel()
    os.kill(hub.process.pid, signal.SIGSTOP)  # a hub that has not read the hello yet
    try:
        channel = f"specific..{two.node}!learner"  # as its new_channel would name it
        joining = asyncio.ensure_future(two.group_add("room", channel))
        await asyncio.sleep(0.5)
        assert not joining.done()
    finally:
        os.kill(hub.process.pid, signal.SIGCONT)
    await asyncio.wait_for(joining, 5)
    await one.group_send("room", {"type": "right after"})
    assert await received(two, channel) == {"type": "right after"}
    await one.close()
    await two.close()


async def test_a_message_to_a_specific_channel_goes_to_its_process_only(hub):
    one, two, three = (HubChannelLayer(hub.path) for _ in range(3))
    target = await two.new_channel()
    bystander = await three.new_channel()
    assert HubChannelLayer.node_of(target) == two.node != one.node

    await one.send(target, {"type": "direct", "text": "hello"})

    assert await received(two, target) == {"type": "direct", "text": "hello"}
    await nothing_more(three, bystander)
    for layer in (one, two, three):
        await layer.close()


async def test_a_receiving_process_reconnects_when_the_hub_is_restarted(hub):
    one, two = HubChannelLayer(hub.path), HubChannelLayer(hub.path)
    channel = await two.new_channel()
    await two.group_add("room", channel)
    hub.stop()  # the supervisor starts it again on the same socket
    hub.start()

    async def delivered():
        while True:
            await one.group_send("room", {"type": "again"})
            try:
                return await asyncio.wait_for(two.receive(channel), 0.5)
            except TimeoutError:
                pass

    assert await asyncio.wait_for(delivered(), 15) == {"type": "again"}
    await one.close()
    await two.close()


async def test_another_event_loop_of_the_process_sends_without_taking_over_receiving(hub):
    # Sync code calling async_to_sync on a thread of its own runs a loop of its own.
    one, two = HubChannelLayer(hub.path), HubChannelLayer(hub.path)
    mine, theirs = await one.new_channel(), await two.new_channel()
    await one.group_add("room", mine)
    await two.group_add("room", theirs)

    def from_a_thread():
        asyncio.run(one.group_send("room", {"type": "from-a-thread"}))

    await asyncio.to_thread(from_a_thread)  # that loop is closed when this returns
    assert await received(two, theirs) == {"type": "from-a-thread"}
    assert await received(one, mine) == {"type": "from-a-thread"}
    # The server's loop still receives what other processes send.
    await two.group_send("room", {"type": "after"})
    assert await received(one, mine) == {"type": "after"}
    await one.close()
    await two.close()


async def test_without_the_hub_a_group_message_still_reaches_this_process(tmp_path):
    layer = HubChannelLayer(str(tmp_path / "nobody-listens.sock"))
    channel = await layer.new_channel()
    await layer.group_add("room", channel)
    await layer.group_send("room", {"type": "local"})
    assert await received(layer, channel) == {"type": "local"}
    await layer.close()


OTHER_PROCESS = """
import sys
from django.conf import settings

settings.configure(HUB_SOCKET=sys.argv[1])
from quizsite import counters

print([counters.hit_sync("door", window=60) for _ in range(5)])
"""


def other_process(hub, script=OTHER_PROCESS):
    result = subprocess.run(
        [sys.executable, "-c", script, hub.path],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


async def test_counters_count_once_for_every_process(hub):
    with override_settings(HUB_SOCKET=hub.path):
        mine = [await counters.hit("door", window=60) for _ in range(5)]
        theirs = await asyncio.to_thread(other_process, hub)
        assert mine == [1, 2, 3, 4, 5]
        assert theirs == "[6, 7, 8, 9, 10]"
        assert await counters.hit("door", window=60) == 11
        # Nothing was counted in this process's own table.
        assert counters.local_hit("door", 60) == 1


async def test_leases_are_site_wide_and_a_dead_holder_heals(hub):
    holder = textwrap.dedent("""
        import asyncio, os, sys
        from django.conf import settings

        settings.configure(HUB_SOCKET=sys.argv[1])
        from quizsite import counters

        async def main():
            token = await counters.lease_acquire("runs", weight=1, limit=2, ttl=1.5)
            print(token is not None, flush=True)
            os._exit(0)  # dies holding its lease

        asyncio.run(main())
    """)
    with override_settings(HUB_SOCKET=hub.path):
        assert await asyncio.to_thread(other_process, hub, holder) == "True"
        mine = await counters.lease_acquire("runs", weight=1, limit=2, ttl=30)
        assert mine is not None
        assert await counters.lease_total("runs") == 2
        assert await counters.lease_acquire("runs", weight=1, limit=2, ttl=30) is None
        await asyncio.sleep(1.6)  # the dead holder's lease expires
        assert await counters.lease_total("runs") == 1
        await counters.lease_release("runs", mine)
        assert await counters.lease_total("runs") == 0


def test_with_the_hub_the_cache_is_shared_between_processes(tmp_path):
    # The lab's push-vs-poll events: a poll may land on another process than the socket.
    env = site_env(tmp_path, HUB_SOCKET="/nonexistent/hub.sock")
    write = "from django.core.cache import cache; cache.set('shared', 42, 60)"
    manage(env, "shell", "-c", write)
    read = manage(
        env, "shell", "-c", "from django.core.cache import cache; print(cache.get('shared'))"
    )
    assert read.stdout.strip().splitlines()[-1] == "42"


async def test_while_the_hub_is_away_counters_count_in_this_process(tmp_path):
    # A login must not fail because the supervisor is restarting the hub.
    with override_settings(HUB_SOCKET=str(tmp_path / "nobody-listens.sock")):
        assert [await counters.hit("door", window=60) for _ in range(3)] == [1, 2, 3]
        assert counters.hit_sync("door", window=60) == 4
        token = await counters.lease_acquire("runs", weight=2, limit=2, ttl=30)
        assert await counters.lease_total("runs") == 2
        await counters.lease_release("runs", token)
        assert await counters.lease_total("runs") == 0
