"""A channel's settings read once per block of sends (the outbox sending one sender's batch), fresh in the next."""

from __future__ import annotations

from core.integrations import read_integration, reading_once
from core.models import IntegrationSetting, Restaurant


async def test_a_block_reads_a_row_once_and_the_next_block_sees_a_change(db):
    restaurant = await Restaurant.create(name="Reads")
    await IntegrationSetting.create(restaurant_id=restaurant.id, type="telegram", settings={"v": 1}, is_active=True)
    with reading_once():
        first = await read_integration(restaurant.id, "telegram")
        await IntegrationSetting.filter(restaurant_id=restaurant.id).update(settings={"v": 2}, is_active=False)
        again = await read_integration(restaurant.id, "telegram")
        assert again is first and again is not None and again.settings == {"v": 1}  # not read again
        assert await read_integration(restaurant.id, "sms") is None  # another type: its own read
    outside = await read_integration(restaurant.id, "telegram")
    assert outside is not None and outside.settings == {"v": 2} and not outside.is_active
    with reading_once():
        fresh = await read_integration(restaurant.id, "telegram")
        assert fresh is not None and fresh.settings == {"v": 2}
