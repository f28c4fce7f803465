"""What channels hand the conversation engine, and what they get back. Plain data, no wire formats."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.jsontypes import JSON, JSONObject


@dataclass(frozen=True)
class Choice:
    """A quick-reply option: ``label`` is shown, ``value`` is what comes back as the guest's text."""

    label: str
    value: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message by a channel that carries files (the ``.ics`` of a booking)."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Reply:
    """One message to send to the guest, optionally with quick-reply choices.

    ``template`` is set on messages the service starts (reminders) for channels that may only
    start a conversation with an approved template: ``{"name": "reminder", "variables": {...}}``
    (a channel without such a rule ignores it and sends ``text``). The outbox also sets, on
    messages it sends: ``subject`` (a title, for channels that show one: an e-mail's subject),
    ``link`` (the guest's manage link, which ``text`` carries too; a channel may show it as a
    button) and ``attachments`` (only to channels whose ``capabilities`` include ``"calendar"``).
    """

    text: str
    choices: tuple[Choice, ...] = ()
    template: dict[str, JSON] | None = field(default=None, compare=False)
    subject: str | None = field(default=None, compare=False)
    link: str | None = field(default=None, compare=False)
    attachments: tuple[Attachment, ...] = field(default=(), compare=False)

    def to_dict(self) -> JSONObject:
        """JSON shape used by the web chat API: ``{"text", "choices": [{"label", "value"}]}``."""
        body: JSONObject = {"text": self.text}
        if self.choices:
            body["choices"] = [{"label": c.label, "value": c.value} for c in self.choices]
        return body


@dataclass(frozen=True)
class InboundMessage:
    """A guest's message as a channel received it.

    ``sender_id`` identifies the guest on the channel (Telegram user id, WhatsApp number
    in E.164, web-chat session id); ``chat_id`` is where replies go (often the same);
    ``message_id`` is the channel's own id of this delivery, used to handle it once.
    ``phone`` is set when the channel vouches for the guest's number (WhatsApp).
    """

    restaurant_id: int
    channel: str
    sender_id: str
    chat_id: str
    text: str
    message_id: str
    sender_name: str | None = None
    phone: str | None = None
    language_hint: str | None = None
    metadata: dict[str, JSON] = field(default_factory=dict)


@dataclass(frozen=True)
class TurnResult:
    """What the engine did with one inbound message.

    ``replies`` go to the guest (``[]`` when there is nothing to send); ``duplicate`` is True
    for a redelivery of a message already handled (its replies went out with the first one);
    ``silent`` is True when a person answers this conversation (handoff) and the bot says nothing.
    """

    replies: list[Reply]
    duplicate: bool = False
    silent: bool = False
    language: str | None = None  # the conversation's language after this message (None when unknown)
