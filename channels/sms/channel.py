"""SMS through Twilio Programmable Messaging: :class:`~channels.common.twilio_channel.TwilioChannel` plus opt-out.

Inbound and outbound messages, numbered quick replies (so a reminder's "1" confirms) and
redelivery are the Twilio channels'. What is SMS's own:

- a guest may be written to first at the phone they gave with a booking (``reaches = "phone"``):
  the outbox falls back to SMS for a guest who never wrote on a chat;
- STOP (and STOPALL, UNSUBSCRIBE, END, QUIT) opts the guest out and START (UNSTOP) back in,
  recorded per restaurant, channel and number (:mod:`core.consent`) and answered once; an
  opted-out number is never sent to (the outbox does not choose it; :meth:`SmsChannel.send` refuses).
"""

from __future__ import annotations

from channels.common.twilio_account import TwilioConfig
from channels.common.twilio_channel import TwilioChannel
from channels.sms import texts
from channels.sms.settings import CHANNEL, PLUGIN
from core.consent import opted_out, record_consent
from core.conversation.types import Reply
from core.errors import ChannelError
from core.models import Restaurant


class SmsChannel(TwilioChannel):
    """The SMS channel of one process; also its adapter for the outbox."""

    name, label, plugin = CHANNEL, "SMS", PLUGIN
    prefix = ""
    max_body = 1530  # ten concatenated GSM-7 segments
    capabilities = frozenset({"buttons", "link"})  # numbered options stand for buttons
    reaches = "phone"  # may write first to the phone a guest gave with a booking
    rank = 10  # read sooner than an e-mail: chosen before it
    rate_per_second = 10  # within what Twilio queues per sender without delay (toll-free numbers: 3 to 25)

    async def before_engine(self, config: TwilioConfig, phone: str, body: str) -> list[Reply] | None:
        """STOP / START: record the guest's word and answer it; anything else goes to the engine."""
        word = texts.keyword(body)
        if word is None:
            return None
        rid = config.restaurant_id
        await record_consent(rid, CHANNEL, phone, granted=word == "start", source=word)
        restaurant = await Restaurant.filter(id=rid).only("id", "name").first()
        name = restaurant.name if restaurant is not None else ""
        language = await self._language(config, phone)
        return [Reply(texts.answer(language, "started" if word == "start" else "stopped", name))]

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Adapter: text ``replies`` to the number ``chat_id``. A number that answered STOP is refused
        (``details["window"]``: the outbox records it blocked, never retries). ``ChannelError`` on failure."""
        config = await self.usable_config(restaurant_id)
        phone = self.phone_of(chat_id)
        if phone is None:
            raise ChannelError(f"{chat_id!r} is not a phone number in international form.", code="sms_bad_number")
        if await opted_out(restaurant_id, CHANNEL, [phone]):
            raise ChannelError(
                "The guest answered STOP to this restaurant's text messages; nothing is sent until they answer START.",
                code="sms_opted_out",
                details={"window": True},
            )
        await self._send(config, phone, replies)
