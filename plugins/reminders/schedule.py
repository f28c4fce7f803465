"""Which reminders fall due, queued in the guest outbox; whether a queued one is still worth sending.

A restaurant's ``reminder_minutes`` (``reminderMinutes`` on its profile, default
``[120, 60]``) are the moments before each active (``created`` or ``confirmed``)
reservation's start when its guest is reminded. A moment is skipped when the booking was
made after it (a booking made 90 minutes ahead gets only the 60-minute reminder), and
nothing is sent once the reservation has started. When several moments of one booking
are due at once (no worker ran for a while), only the latest is sent: the guest gets one
reminder, not a burst; the earlier ones are recorded as skipped.

Each reminder has the outbox key ``reminder:<reservation>:<minutes>:<start>``, unique in the
database: however many workers see it due, it is queued once. A moved reservation gets new
keys (its new start), and its old, unsent reminders are skipped at send time.

One poll costs a fixed number of queries, whatever the number of reservations: the
restaurants' settings, the reservations starting within the longest reminder horizon, the
keys already queued, the guests' latest channels (conversations, identities, languages),
one INSERT of the new rows and one of their activity rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.booking.manage_link import MANAGE_PATH, link_expiry, sign_manage_token
from core.booking.service import BookingService
from core.jsontypes import int_at
from core.models import (
    AiActivity,
    OutboxMessage,
    OutboxStatus,
    Reservation,
    ReservationStatus,
    Restaurant,
)
from core.outbox import enqueue_many, replies_json
from core.reach import Target, targets
from plugins.reminders import texts

if TYPE_CHECKING:
    from core.runtime import Runtime

KIND = "reminder"
REMINDABLE = (ReservationStatus.CREATED, ReservationStatus.CONFIRMED)
MAX_MINUTES = 7 * 24 * 60


def offsets(value: Any) -> list[int]:
    """A restaurant's reminder minutes, largest first (bad entries ignored)."""
    if not isinstance(value, list):
        return []
    return sorted({int(m) for m in value if isinstance(m, int) and 0 < m <= MAX_MINUTES}, reverse=True)


def reminder_key(reservation_id: int, minutes: int, starts_at: datetime) -> str:
    """The outbox key of one reminder of one reservation at one start."""
    return f"{KIND}:{reservation_id}:{minutes}:{int(starts_at.timestamp())}"


@dataclass
class Due:
    """One reservation's reminder to queue now, and its earlier moments to record as skipped."""

    row: dict[str, Any]
    minutes: int
    skipped: list[int]


class ReminderJob:
    """The worker job of the reminders plugin (``tobeout_worker_jobs``)."""

    name, order, kind = "reminders", 10, KIND

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.service = BookingService(runtime.bus, runtime.clock)

    # ------------------------------------------------------------------ queueing

    async def run(self, now: datetime) -> int:
        """Queue the reminders due at ``now``; returns how many were queued to send."""
        restaurants = {r["id"]: r for r in await Restaurant.all().values("id", "name", "reminder_minutes")}
        plans = {rid: offsets(r["reminder_minutes"]) for rid, r in restaurants.items()}
        plans = {rid: plan for rid, plan in plans.items() if plan}
        if not plans:
            return 0
        horizon = now + timedelta(minutes=max(plan[0] for plan in plans.values()))
        rows = await Reservation.filter(
            restaurant_id__in=list(plans), status__in=list(REMINDABLE), starts_at__gt=now, starts_at__lte=horizon
        ).values("id", "restaurant_id", "guest_id", "starts_at", "ends_at", "created_at", "date", "time", "guests")
        wanted: dict[str, tuple[dict[str, Any], int]] = {}
        for row in rows:
            for minutes in plans.get(row["restaurant_id"], []):
                moment = row["starts_at"] - timedelta(minutes=minutes)
                if moment <= now and row["created_at"] < moment:
                    wanted[reminder_key(row["id"], minutes, row["starts_at"])] = (row, minutes)
        if not wanted:
            return 0
        queued: set[str] = {
            str(key)
            for key in await OutboxMessage.filter(dedup_key__in=list(wanted)).values_list("dedup_key", flat=True)
        }
        due: dict[int, Due] = {}
        for key, (row, minutes) in wanted.items():
            if key in queued:
                continue
            found = due.get(row["id"])
            if found is None:
                due[row["id"]] = Due(row, minutes, [])
            elif minutes < found.minutes:  # a later moment: send that one, skip the earlier
                found.skipped.append(found.minutes)
                found.minutes = minutes
            else:
                found.skipped.append(minutes)
        for item in due.values():  # a moment already queued replaces every earlier one still unqueued
            sent_later = [
                m
                for m in plans[item.row["restaurant_id"]]
                if m < item.minutes and reminder_key(item.row["id"], m, item.row["starts_at"]) in queued
            ]
            if sent_later:
                item.skipped.append(item.minutes)
                item.minutes = 0
        return await self._queue(list(due.values()), restaurants, now)

    async def _queue(self, due: list[Due], restaurants: dict[int, dict[str, Any]], now: datetime) -> int:
        targets = await self._targets({(d.row["restaurant_id"], d.row["guest_id"]) for d in due})
        new: list[OutboxMessage] = []
        notes: list[AiActivity] = []
        count = 0
        for item in due:
            row = item.row
            rid, reservation_id = row["restaurant_id"], row["id"]
            target = targets.get((rid, row["guest_id"]))
            language = target.language if target else "en"
            reply = texts.reminder(
                language,
                restaurant=restaurants[rid]["name"],
                reservation_id=reservation_id,
                day=row["date"],
                at=row["time"],
                guests=row["guests"],
            )
            base = {
                "restaurant_id": rid,
                "guest_id": row["guest_id"],
                "reservation_id": reservation_id,
                "kind": KIND,
                "channel": target.channel if target else "",
                "chat_id": target.chat_id if target else "",
                "language": language,
                "replies": replies_json([reply]),
                "next_attempt_at": now,
            }
            start = int(row["starts_at"].timestamp())
            template = self._template(restaurants[rid], row, language)
            payload = {
                "minutes": item.minutes,
                "startsAt": start,
                "template": template,
                "answers": texts.answers(reservation_id),
                "answersUntil": start,
                "subject": texts.say(language, "subject", restaurant=restaurants[rid]["name"], id=reservation_id),
                "link": self._link(row),
            }
            reasons = [(m, "a later reminder of this reservation replaced it") for m in item.skipped]
            if item.minutes and target is None:
                reasons.append((item.minutes, "no channel reaches the guest (no chat, no phone or e-mail to write to)"))
            elif item.minutes:
                new.append(
                    OutboxMessage(
                        **base, dedup_key=reminder_key(reservation_id, item.minutes, row["starts_at"]), payload=payload
                    )
                )
                count += 1
            for minutes, reason in reasons:
                key = reminder_key(reservation_id, minutes, row["starts_at"])
                new.append(
                    OutboxMessage(
                        **base,
                        dedup_key=key,
                        payload={**payload, "minutes": minutes},
                        status=OutboxStatus.SKIPPED,
                        last_error=reason,
                    )
                )
                notes.append(
                    AiActivity(
                        restaurant_id=rid,
                        type=f"{KIND}_skipped",
                        message=reply.text,
                        response=reason,
                        metadata={"reservationId": reservation_id, "guestId": row["guest_id"], "minutes": minutes},
                    )
                )
        await enqueue_many(new)
        if notes:
            await AiActivity.bulk_create(notes)
        return count

    @staticmethod
    def _template(restaurant: dict[str, Any], row: dict[str, Any], language: str) -> dict[str, Any]:
        """What a channel that needs an approved template fills it with: 1 restaurant, 2 when, 3 the id."""
        when = texts.when(language, row["date"], row["time"], row["guests"])
        return {"name": KIND, "variables": {"1": restaurant["name"], "2": when, "3": str(row["id"])}}

    async def _targets(self, guests: set[tuple[int, int]]) -> dict[tuple[int, int], Target]:
        """Each guest's channel, chat id and language (:func:`core.reach.targets`: their chat, else SMS or
        e-mail as the channels allow), in a fixed number of queries for all of them."""
        return await targets(self.runtime.channels, guests)

    def _link(self, row: dict[str, Any]) -> str:
        """The guest's manage link of the reservation ``row``."""
        settings = self.runtime.settings
        token = sign_manage_token(settings.secret_key, row["restaurant_id"], row["id"], link_expiry(row["ends_at"]))
        return settings.public_base_url.rstrip("/") + MANAGE_PATH + token

    # ------------------------------------------------------------------ sending

    async def check(self, message: OutboxMessage, now: datetime) -> str | None:
        """None while the reminder is worth sending; else why not (started, moved, canceled...)."""
        found = await Reservation.filter(restaurant_id=message.restaurant_id, id=message.reservation_id).values(
            "status", "starts_at"
        )
        if not found:
            return "the reservation no longer exists"
        status, starts_at = ReservationStatus(found[0]["status"]), found[0]["starts_at"]
        if status not in REMINDABLE:
            return f"the reservation is {status}"
        if int(starts_at.timestamp()) != int_at(message.payload, "startsAt"):
            return "the reservation was moved (its new time gets its own reminders)"
        if starts_at <= now:
            return "the reservation has started"
        return None

    async def after_sent(self, message: OutboxMessage) -> None:
        """Record on the reservation that the reminder went out (``confirmation_2h`` / ``confirmation_1h``)."""
        if message.reservation_id is not None:
            minutes = int_at(message.payload, "minutes")
            await self.service.record_reminder(message.restaurant_id, message.reservation_id, minutes)
