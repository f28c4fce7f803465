"""Conversations with guests, for staff: lists, transcripts, replies and handing back to the bot."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from api.schemas import ApiModel, PageQuery


class ConversationQuery(PageQuery):
    """``?status=handoff`` (or ``active``) narrows the list; ``?waiting=true`` to the handed-off
    conversations no person has answered since the guest last wrote (what the dashboard's "waiting for
    staff" badge counts; ``total`` is exact). Without either, every conversation, newest first."""

    status: Literal["active", "handoff"] | None = None
    waiting: bool = False


class ConversationGuest(ApiModel):
    id: int
    name: str


class MessageOut(ApiModel):
    """One message of a transcript: who wrote it (``guest``, ``bot``, ``staff``), what, and when."""

    id: int
    role: Literal["guest", "bot", "staff"]
    text: str
    at: datetime
    author_id: int | None = None


class ConversationOut(ApiModel):
    """A conversation with its latest messages (oldest of them first)."""

    id: int
    guest: ConversationGuest | None
    channel: str
    status: Literal["active", "handoff"]
    language: str
    handoff_at: datetime | None
    created_at: datetime
    updated_at: datetime
    last_message_at: datetime | None
    last_messages: list[MessageOut]


class ConversationDetail(ConversationOut):
    """A conversation with its transcript (the last 200 messages, oldest first)."""

    messages: list[MessageOut]


class StaffMessageIn(ApiModel):
    """A staff reply to the guest, delivered on the guest's channel."""

    text: str = Field(min_length=1, max_length=2000)
