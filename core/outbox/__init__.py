"""The durable guest outbox: queue a message for a guest, claim due ones, deliver them, record what happened.

Every message the service starts to a guest (a staff change's notification, a reminder) is
a row of :class:`~core.models.OutboxMessage` *before* anything is sent. Delivery:

1. **claim**: a process takes due rows for a short lease (``claimed_until``, ``lease_seconds``:
   20 s) with a claim token of its own, and renews the lease every quarter of it while it works
   on them (:meth:`Dispatcher.holding`), so rows of a process that died are free again within one
   lease, however long its batch would have taken. Senders take turns in a claim (each one's
   oldest row first, then each one's second...), so a batch holds rows of every sender with
   something due and they go out concurrently. On PostgreSQL the rows are read
   ``FOR UPDATE SKIP LOCKED``, so several workers and servers never wait on, or take, each other's
   rows; the claiming ``UPDATE`` is also conditional on the row still being claimable, which keeps
   SQLite (no row locks) exact.
2. **sending**: just before the channel is called the row becomes ``sending`` (one commit).
3. **sent**: right after the channel accepted it the row becomes ``sent`` (one commit).

A process killed between 2 and 3 leaves one row ``sending``; when its lease runs out another
process claims it again and sends it again. So a crash can **repeat** the message that was
in flight, never lose it: one repeated reminder or notice is a small annoyance and its
quick replies are safe to answer twice (confirming twice is still confirmed), while a lost
one is a guest who was never told their table was canceled. Rows a killed process had
claimed but not yet started are simply sent once by the next claimer. A process sends one
sender's rows (a channel of one restaurant) one at a time and different senders' concurrently,
so a killed process repeats at most one message per sender it was sending for. Every message
takes a turn of its sender first (:mod:`core.pacing`), counted in the shared cache, so all the
processes sending for one bot together stay within the adapter's ``rate_per_second``.

Which channel a guest is written on is chosen when a message is queued (:mod:`core.reach`):
their chat, else a channel that may write first to a phone or e-mail address they gave, by
what the channels declare they can do. The row is then shaped for its channel when sent: quick
replies only where the channel has buttons, the booking's ``.ics`` only where it carries a calendar file.

Channels come from the ``tobeout_channels`` hook, by the row's ``channel`` (data, never a
name written here). An adapter with ``pull = True`` (the web chat) is not called: its
guests fetch their ``sent`` rows themselves (:func:`pending_for_chat`), which marks them
``delivered``. A :class:`~core.errors.ChannelError` decides what comes next: ``retryable``
(with ``details["retryAfter"]``) waits and tries again up to ``max_attempts``;
``details["window"]`` (a channel's rule forbids the message now, e.g. WhatsApp's 24-hour
window) blocks it without retrying; anything else fails it at once.

Every outcome is a row in ``ai_activities``: ``<kind>`` when sent (``notification``,
``reminder``), ``<kind>_failed`` per failed attempt (``metadata.final`` on the last),
``<kind>_blocked``, ``<kind>_skipped``. A sent message is also written into its chat's conversation
(transcript and the history the LLM reads), with the answers its payload waits for
(:mod:`core.conversation.followup`).

The package, one module a job: :mod:`~core.outbox.queue` (queue a message, read rows back, record
outcomes), :mod:`~core.outbox.claims` (claim due rows for a lease), :mod:`~core.outbox.sending` (send one
row, and what follows: sent, retried, blocked, failed, another channel), :mod:`~core.outbox.shape` (a row
as its channel can carry it), :mod:`~core.outbox.dispatcher` (claim and deliver in batches). Code outside
imports from ``core.outbox``.
"""

from __future__ import annotations

from core.models import OPEN_STATUSES
from core.outbox.claims import claim_due, claim_one, process_name, renew_lease
from core.outbox.dispatcher import Dispatcher, release_retries
from core.outbox.queue import enqueue, enqueue_many, pending_for_chat, record, replies_json, replies_of
from core.outbox.sending import AfterSent, Check, DeliveryOptions

__all__ = [
    "OPEN_STATUSES",
    "AfterSent",
    "Check",
    "DeliveryOptions",
    "Dispatcher",
    "claim_due",
    "claim_one",
    "enqueue",
    "enqueue_many",
    "pending_for_chat",
    "process_name",
    "record",
    "release_retries",
    "renew_lease",
    "replies_json",
    "replies_of",
]
