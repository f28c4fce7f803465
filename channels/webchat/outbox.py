"""Messages for web-chat visitors that arrive while no request is open (staff changes, reminders).

The widget has no push connection. The service's messages to a visitor are rows of the
durable guest outbox (:mod:`core.outbox`) on this channel with the visitor's session id as
chat id: the outbox delivers them here by marking them ``sent`` (this adapter is a *pull*
channel), and the widget fetches them (``GET /channels/webchat/<id>/messages?sessionId=``)
when it loads and every few seconds while it is open; fetching marks them ``delivered``. A
message waits in the database until the visitor comes back, however long that is.
"""

from __future__ import annotations

import uuid
from typing import Any

from core.conversation.types import Reply
from core.models import OutboxMessage, OutboxStatus
from core.outbox import pending_for_chat, replies_json, replies_of
from core.runtime import Runtime

CHANNEL = "webchat"


class WebchatAdapter:
    """Channel adapter of the web chat: the outbox keeps its messages until the widget fetches them."""

    name = CHANNEL
    pull = True  # the outbox does not call send(); the visitor's widget fetches its messages
    capabilities = frozenset({"buttons", "link"})

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Leave ``replies`` for the visitor ``chat_id`` (their session id) to fetch."""
        now = self.runtime.clock()
        await OutboxMessage.create(
            restaurant_id=restaurant_id,
            kind="message",
            dedup_key=f"{CHANNEL}:{uuid.uuid4().hex}",
            channel=CHANNEL,
            chat_id=chat_id,
            replies=replies_json(replies),
            status=OutboxStatus.SENT,
            next_attempt_at=now,
            sent_at=now,
            attempts=1,
        )

    async def take(self, restaurant_id: int, chat_id: str, after: int | None = None) -> list[dict[str, Any]]:
        """The visitor's messages not yet fetched (and, with ``after``, those after that id again, in
        case a response was lost), oldest first, marked delivered; each reply carries its row's ``id``."""
        rows = await pending_for_chat(restaurant_id, CHANNEL, chat_id, self.runtime.clock(), after=after)
        return [{**reply.to_dict(), "id": row.id} for row in rows for reply in replies_of(row)]
