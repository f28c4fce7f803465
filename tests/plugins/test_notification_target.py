"""Where a staff change is told: the guest's latest conversation on a channel, else their latest identity."""

from __future__ import annotations

from datetime import timedelta

from plugins.notifications.notifier import guest_target
from plugins.notifications.plugin import notifier_of


async def test_the_latest_conversation_wins_then_the_latest_identity_on_both_backends(app_factory, db_url, clock):
    from core.models import Conversation, Guest, GuestIdentity, Restaurant

    app = await app_factory(db_url, clock=clock)
    dispatcher = notifier_of(app.runtime).dispatcher
    assert {"telegram", "whatsapp"} <= set(await dispatcher.adapters())
    restaurant = await Restaurant.create(name="Target Bistro")
    other = await Restaurant.create(name="Elsewhere")
    guest = await Guest.create(restaurant=restaurant, name="Ann", language="de")
    nobody = await Guest.create(restaurant=restaurant, name="Ben")
    assert await guest_target(dispatcher, restaurant.id, guest.id) is None

    await GuestIdentity.create(restaurant=restaurant, guest=guest, channel="whatsapp", external_id="+4915100001")
    await GuestIdentity.create(restaurant=restaurant, guest=guest, channel="telegram", external_id="777")
    await GuestIdentity.create(restaurant=restaurant, guest=guest, channel="pigeon", external_id="coop")  # no adapter
    assert await guest_target(dispatcher, restaurant.id, guest.id) == ("telegram", "777", "de")

    now = clock()
    for channel, chat, language, ago in (("whatsapp", "wa-chat", "ru", 1), ("telegram", "tg-chat", "en", 5)):
        await Conversation.create(
            restaurant=restaurant,
            guest=guest,
            channel=channel,
            external_chat_id=chat,
            language=language,
            last_activity=now - timedelta(minutes=ago),
        )
    await Conversation.create(
        restaurant=other, channel="telegram", external_chat_id="theirs", language="fr", last_activity=now
    )
    assert await guest_target(dispatcher, restaurant.id, guest.id) == ("whatsapp", "wa-chat", "ru")
    assert await guest_target(dispatcher, restaurant.id, nobody.id) is None
    assert await guest_target(dispatcher, other.id, guest.id) is None
