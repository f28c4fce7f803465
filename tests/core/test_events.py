"""The event bus: handlers run once in the publishing process; subscribers get their restaurant's events."""

from __future__ import annotations

import asyncio

from core.events import DomainEvent, EventBus, RedisEventBus


async def _next(queue, timeout=2.0):
    return await asyncio.wait_for(queue.get(), timeout)


async def test_in_process_handlers_and_subscribers():
    bus = EventBus()
    seen = []
    bus.add_handler(lambda event: seen.append(event.type))

    async def failing(event):
        raise RuntimeError("boom")

    bus.add_handler(failing)
    async with bus.subscribe(1) as mine, bus.subscribe(2) as other, bus.subscribe(None) as everything:
        await bus.publish(DomainEvent("reservation.created", 1, {"reservationId": 7}))
        event = await _next(mine)
        assert event.data == {"reservationId": 7}
        assert (await _next(everything)).restaurant_id == 1
        assert other.empty()
    assert seen == ["reservation.created"]


async def test_events_cross_processes_through_redis(redis_url):
    first, second = RedisEventBus(redis_url), RedisEventBus(redis_url)
    await first.start()
    await second.start()
    try:
        assert not first.degraded and not second.degraded
        handled = []
        second.add_handler(lambda event: handled.append(event))
        async with second.subscribe(5) as on_second, second.subscribe(6) as other_restaurant:
            await first.publish(DomainEvent("table.changed", 5, {"tableId": 3}))
            event = await _next(on_second)
            assert (event.type, event.data) == ("table.changed", {"tableId": 3})
            await asyncio.sleep(0.1)
            assert other_restaurant.empty()
        assert handled == []  # handlers run only where the event was published
    finally:
        await first.close()
        await second.close()


async def test_redis_bus_degrades_to_in_process_delivery():
    bus = RedisEventBus("redis://127.0.0.1:1/0", reconnect_delay=60)
    await bus.start()
    try:
        assert bus.degraded
        async with bus.subscribe(1) as queue:
            await bus.publish(DomainEvent("reservation.canceled", 1))
            assert (await _next(queue)).type == "reservation.canceled"
    finally:
        await bus.close()


def test_event_round_trips_as_json():
    event = DomainEvent("hours.changed", 3, {"a": [1, 2]})
    assert DomainEvent.from_json(event.to_json()) == event


async def test_redis_databases_do_not_share_events(redis_url):
    other_url = redis_url.rsplit("/", 1)[0] + "/14"
    mine, other = RedisEventBus(redis_url), RedisEventBus(other_url)
    await mine.start()
    await other.start()
    try:
        async with other.subscribe(5) as elsewhere, mine.subscribe(5) as here:
            await mine.publish(DomainEvent("table.changed", 5))
            assert (await _next(here)).type == "table.changed"
            await asyncio.sleep(0.2)
            assert elsewhere.empty()
    finally:
        await mine.close()
        await other.close()


async def test_events_published_together_reach_each_handler_and_subscriber_once_in_order(redis_url):
    """A turn's events: the batch handler runs once with all of them, the per-event handlers once for each,
    and every subscriber, in this process and in another (through Redis), gets each event once, in order."""
    buses = [EventBus(), RedisEventBus(redis_url)]
    other = RedisEventBus(redis_url)
    for bus in (*buses, other):
        await bus.start()
    try:
        for bus in buses:
            batches, each = [], []
            bus.add_batch_handler(lambda events, batches=batches: batches.append([e.type for e in events]))
            bus.add_handler(lambda event, each=each: each.append(event.type))
            kinds = ["conversation.message", "conversation.message", "conversation.handoff"]
            sent = [DomainEvent(kind, 5, {"n": n}) for n, kind in enumerate(kinds)]
            async with bus.subscribe(5) as here, other.subscribe(5) as there:
                await bus.publish_all(sent)
                await bus.publish_all([])  # nothing to publish: no handler runs
                for queue in (here, there) if isinstance(bus, RedisEventBus) else (here,):
                    assert [(await _next(queue)).id for _ in sent] == [e.id for e in sent]
                    await asyncio.sleep(0.1)
                    assert queue.empty()
            assert batches == [kinds]
            assert each == kinds
    finally:
        for bus in (*buses, other):
            await bus.close()


async def test_a_failing_batch_handler_disturbs_neither_the_publisher_nor_the_others():
    bus = EventBus()
    seen = []

    def failing(events):
        raise RuntimeError("boom")

    bus.add_batch_handler(failing)
    bus.add_handler(lambda event: seen.append(event.type))
    async with bus.subscribe(1) as queue:
        await bus.publish(DomainEvent("table.changed", 1))
        assert (await _next(queue)).type == "table.changed"
    assert seen == ["table.changed"]
