"""Replays the guest dialogs of ``bench/dialogs/<language>.yaml`` through the real conversation engine.

Used by ``python -m bench dialogs`` (every dialog, figures per language and category) and by the
regression gate in ``tests/core/conversation/test_dialogs.py`` (the dialogs not marked ``known_failure``
must reach their outcome). The database is whatever Tortoise is connected to; every dialog gets a
restaurant of its own, so dialogs never compete for a table.

A dialog file::

    language: en
    answers: {name: Alex Morgan, phone: "+44 7700 900123", "yes": "yes"}   # how the guest answers questions
    dialogs:
      - id: en-book-001
        category: book            # book, correction, special, change, cancel, handoff, question
        turns: ["Hi, can I book a table for 2 tomorrow at 8pm?"]   # what the guest writes, in order
        existing: {date: 2026-11-27, time: "19:00", guests: 2}     # a booking the guest already has
        answers: {date: ..., time: ..., guests: ...}   # details the guest gives only when asked
        expect:
          booking: {date: 2026-11-26, time: "20:00", guests: 2, name: ..., phone: ..., comments: [words], tags: [..]}
          change: {time: "20:00"}   # the existing booking afterwards (fields not named stay)
          cancel: true              # the existing booking is canceled
          handoff: true             # the conversation waits for staff
          answer: ["22:00", [closed, not open]]   # facts the bot's replies contain (a list: any of them)
        known_failure: why        # the guided path does not reach the outcome yet

The scripted turns are sent first, whatever the bot asks in between. Then the guest answers the bot's
questions as a person would: the name and phone from ``answers`` (unless the dialog's expected booking
names them: then the guest already gave them, and being asked again is a *re-asked detail*), "yes" to a
confirmation, and a date, time or party size from ``answers``; asked for one the guest already gave,
the guest repeats it (counted as re-asked). A dialog *passes* when its outcome is reached, nothing was
asked twice, every message was answered, the bot answered in the guest's language (the conversation's
language is the file's), no booking was made with a date, time or party the guest did not ask for
(a *wrong booking*), and the booking is under the guest's name (the expected booking's, else the one the
guest gives when asked).

On the guided path the engine runs without an LLM. On the LLM path a scripted model
(:class:`bench.engine_llm.InstantLLM`) calls the booking tools with the dialog's expected arguments:
that checks the tools, the engine and the booking service carry every detail (special requests too)
into the booking, not the model's understanding.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from bench.engine_llm import InstantLLM
from core.booking import guests as guest_book
from core.booking.service import BookingRequest, BookingService
from core.conversation.engine import ConversationEngine
from core.conversation.types import InboundMessage
from core.models import Conversation, ConversationStatus, Guest, Reservation, ReservationStatus, Restaurant, Table

DIALOGS = Path(__file__).parent / "dialogs"
#: Wednesday 25 November 2026, 10:00 in London: the dialogs' "today".
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
HOURS = {
    "monday": [],
    **{day: [{"open": "12:00", "close": "23:00"}] for day in ("tuesday", "wednesday", "thursday")},
    **{day: [{"open": "12:00", "close": "23:30"}] for day in ("friday", "saturday")},
    "sunday": [{"open": "12:00", "close": "22:00"}],
}
TABLES = [(1, 2)] * 4 + [(2, 4)] * 4 + [(4, 6)] * 2 + [(6, 8)]
ASKED = ("date", "time", "guests", "name", "phone")
MAX_FOLLOW_UPS = 8
CHANNEL = "webchat"


@dataclass
class Dialog:
    """One dialog of a file (see the module docstring)."""

    id: str
    language: str
    category: str
    turns: list[str]
    expect: dict[str, Any]
    answers: dict[str, Any]
    existing: dict[str, Any] | None = None
    known_failure: str | None = None


@dataclass
class Outcome:
    """What happened in one replayed dialog."""

    dialog: Dialog
    path: str
    reached: bool = False
    wrong_booking: bool = False
    reasked: list[str] = field(default_factory=list)
    silent: int = 0
    turns_to_book: int | None = None
    problems: list[str] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """The outcome reached, nothing asked twice, every message answered, no wrong booking."""
        return self.reached and not self.wrong_booking and not self.reasked and not self.silent


def load(languages: Iterable[str] | None = None) -> list[Dialog]:
    """The dialogs of ``bench/dialogs/*.yaml`` (only ``languages`` when given), in file order."""
    found: list[Dialog] = []
    for path in sorted(DIALOGS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        language = str(data["language"])
        if languages is not None and language not in languages:
            continue
        defaults = dict(data.get("answers") or {})
        for item in data["dialogs"]:
            found.append(
                Dialog(
                    id=str(item["id"]),
                    language=language,
                    category=str(item["category"]),
                    turns=[str(t) for t in item["turns"]],
                    expect=dict(item["expect"]),
                    answers={**defaults, **(item.get("answers") or {})},
                    existing=item.get("existing"),
                    known_failure=item.get("known_failure"),
                )
            )
    return found


async def make_restaurant(tag: str) -> Restaurant:
    """A restaurant of its own for one dialog (the same profile for all)."""
    restaurant = await Restaurant.create(
        name=f"Harbour Bistro {tag}",
        address="12 Harbour Street, London",
        phone="+442079460000",
        website="https://harbour.example",
        cuisine_type="Italian",
        price_range="££",
        timezone="Europe/London",
        opening_hours=HOURS,
        avg_reservation_duration=120,
        min_notice_minutes=30,
        max_advance_days=90,
        slot_interval_minutes=15,
    )
    await Table.bulk_create(
        [Table(restaurant=restaurant, name=f"T{i}", min_guests=lo, max_guests=hi) for i, (lo, hi) in enumerate(TABLES)]
    )
    return restaurant


class Replay:
    """Replays one dialog on one path (``"guided"`` or ``"llm"``) and judges it."""

    def __init__(self, engine: ConversationEngine, dialog: Dialog, path: str, llm: InstantLLM | None = None) -> None:
        self.engine, self.dialog, self.llm = engine, dialog, llm
        self.outcome = Outcome(dialog, path)
        self.chat = f"dialog-{dialog.id}-{uuid.uuid4().hex[:6]}"
        self.sent = 0
        self.restaurant: Restaurant | None = None
        self.existing: Reservation | None = None

    async def run(self) -> Outcome:
        """Set up, send the scripted turns, answer the bot's questions, judge."""
        self.restaurant = await make_restaurant(self.dialog.id)
        if self.dialog.existing:
            await self._existing(self.dialog.existing)
        for index, text in enumerate(self.dialog.turns):
            self._script(index)
            await self._send(text)
        for _ in range(MAX_FOLLOW_UPS):
            answer = await self._follow_up()
            if answer is None:
                break
            await self._send(answer)
        await self._judge()
        return self.outcome

    # ------------------------------------------------------------------ talking

    async def _send(self, text: str) -> None:
        assert self.restaurant is not None
        self.sent += 1
        message = InboundMessage(
            restaurant_id=self.restaurant.id,
            channel=CHANNEL,
            sender_id=self.chat,
            chat_id=self.chat,
            text=text,
            message_id=f"{self.chat}-{self.sent}",
        )
        turn = await self.engine.handle_turn(message)
        reply = "\n".join(r.text for r in turn.replies)
        self.outcome.transcript.append((text, reply))
        if not reply and not turn.silent:
            self.outcome.silent += 1
        if self.outcome.turns_to_book is None and await self._new_bookings():
            self.outcome.turns_to_book = self.sent

    async def _conversation(self) -> Conversation | None:
        assert self.restaurant is not None
        return await Conversation.filter(
            restaurant_id=self.restaurant.id, channel=CHANNEL, external_chat_id=self.chat
        ).first()

    async def _follow_up(self) -> str | None:
        """The guest's answer to what the bot asks now, or None when it asks nothing."""
        conversation = await self._conversation()
        if conversation is None or conversation.status == ConversationStatus.HANDOFF:
            return None
        step = ((conversation.state or {}).get("guided") or {}).get("step")
        if step is None:
            return None
        if step.startswith("confirm_"):
            return str(self.dialog.answers.get("yes", "yes"))
        if step in ("pick_cancel", "pick_change"):
            self.outcome.reasked.append(step)
            return f"#{self.existing.id}" if self.existing is not None else None
        if step == "change":
            self.outcome.reasked.append(step)
            return self._say(self.dialog.expect.get("change") or {})
        if step in ASKED:
            return self._answer(step)
        return None

    def _answer(self, step: str) -> str | None:
        booking = self.dialog.expect.get("booking") or {}
        given = step in booking if step in ("name", "phone") else step not in self.dialog.answers
        if given:
            self.outcome.reasked.append(step)
            value = booking.get(step)
        else:
            value = self.dialog.answers.get(step)
        if value is None:
            return None
        return self._say({step: value})

    def _say(self, details: dict[str, Any]) -> str:
        """Details as a guest would repeat them: "26.11 20:00 2 people"."""
        parts = []
        for key, value in details.items():
            if key == "date":
                d = value if isinstance(value, date) else date.fromisoformat(str(value))
                parts.append(f"{d.day}.{d.month}")
            elif key == "guests" and len(details) > 1:
                parts.append(
                    {"ru": f"{value} человек", "de": f"{value} Personen", "fr": f"{value} personnes"}.get(
                        self.dialog.language, f"{value} people"
                    )
                )
            else:
                parts.append(str(value))
        return " ".join(parts)

    # ------------------------------------------------------------------ the scripted model (LLM path)

    def _script(self, index: int) -> None:
        if self.llm is None:
            return
        expect, last = self.dialog.expect, index == len(self.dialog.turns) - 1
        steps: list[tuple[str, Any]] = []
        if index == 0 and expect.get("answer"):
            steps += [("tool", ("get_restaurant_info", {})), ("echo", None)]
        elif last and expect.get("booking"):
            steps += [("tool", ("create_reservation", self._create_args())), ("text", "Booked, see you then!")]
        elif last and expect.get("change") and self.existing is not None:
            args = {"reservation_id": self.existing.id, **_jsonable(expect["change"])}
            steps += [("tool", ("modify_reservation", args)), ("text", "Changed.")]
        elif last and expect.get("cancel") and self.existing is not None:
            steps += [("tool", ("cancel_reservation", {"reservation_id": self.existing.id})), ("text", "Canceled.")]
        elif last and expect.get("handoff"):
            steps += [("tool", ("hand_off_to_staff", {"reason": "guest asked"})), ("text", "A colleague will answer.")]
        else:
            steps.append(("text", "Noted."))
        self.llm.script(*steps)

    def _create_args(self) -> dict[str, Any]:
        booking = self.dialog.expect["booking"]
        args = {k: _jsonable(booking)[k] for k in ("date", "time", "guests")}
        args["name"] = str(booking.get("name") or self.dialog.answers.get("name"))
        args["phone"] = str(booking.get("phone") or self.dialog.answers.get("phone"))
        if booking.get("comments"):
            args["comments"] = ", ".join(booking["comments"])
        if booking.get("tags"):
            args["tags"] = list(booking["tags"])
        return args

    # ------------------------------------------------------------------ judging

    async def _existing(self, details: dict[str, Any]) -> None:
        assert self.restaurant is not None
        guest = await guest_book.find_or_create_guest(
            self.restaurant.id,
            name=str(self.dialog.answers.get("name")),
            phone=str(self.dialog.answers.get("phone")),
            language=self.dialog.language,
            identity=(CHANNEL, self.chat),
        )
        service = BookingService(self.engine.runtime.bus, self.engine.runtime.clock)
        request = BookingRequest(
            date=str(details["date"]), time=str(details["time"]), guests=int(details["guests"]), guest_id=guest.id
        )
        self.existing = await service.create(self.restaurant.id, request, guest=guest)

    async def _new_bookings(self) -> list[Reservation]:
        assert self.restaurant is not None
        query = Reservation.filter(restaurant_id=self.restaurant.id).exclude(status=ReservationStatus.CANCELED)
        if self.existing is not None:
            query = query.exclude(id=self.existing.id)
        return await query

    async def _judge(self) -> None:
        expect, out = self.dialog.expect, self.outcome
        checks = [await self._judge_bookings(expect.get("booking"))]
        if "change" in expect or "cancel" in expect:
            checks.append(await self._judge_existing(expect))
        if expect.get("handoff"):
            checks.append(await self._judge_handoff())
        if expect.get("answer"):
            checks.append(self._judge_answer(expect["answer"]))
        checks.append(await self._judge_language())
        out.reached = all(checks)

    async def _judge_language(self) -> bool:
        """The conversation speaks the guest's language (its replies come from that language's catalog)."""
        conversation = await self._conversation()
        spoken = conversation.language if conversation is not None else None
        if spoken != self.dialog.language:
            self.outcome.problems.append(f"answered in {spoken}, not {self.dialog.language}")
            return False
        return True

    async def _judge_handoff(self) -> bool:
        conversation = await self._conversation()
        if conversation is None or conversation.status != ConversationStatus.HANDOFF:
            self.outcome.problems.append("not handed to staff")
            return False
        return True

    async def _judge_bookings(self, wanted: dict[str, Any] | None) -> bool:
        made, out = await self._new_bookings(), self.outcome
        if not wanted:
            if made:
                out.wrong_booking = True
                out.problems.append(f"{len(made)} booking(s) nobody asked for")
            return not made
        right = [r for r in made if _slot(r) == _slot_of(wanted)]
        if len(made) > len(right):
            out.wrong_booking = True
            out.problems.append(f"booked {[_slot(r) for r in made]}, wanted {_slot_of(wanted)}")
        if not right:
            if not made:
                out.problems.append("no booking")
            return False
        return await self._judge_details(right[0], wanted)

    async def _judge_details(self, booking: Reservation, wanted: dict[str, Any]) -> bool:
        guest = await Guest.get(reservations__id=booking.id)
        ok = True
        name = wanted.get("name") or self.dialog.answers.get("name")  # given in a message, else when asked
        if name and guest.name.strip().lower() != str(name).lower():
            self.outcome.problems.append(f"name {guest.name!r}, wanted {name!r}")
            ok = False
        if wanted.get("phone") and guest.phone != str(wanted["phone"]):
            self.outcome.problems.append(f"phone {guest.phone!r}, wanted {wanted['phone']!r}")
            ok = False
        comments = (booking.comments or "").lower()
        missing = [w for w in wanted.get("comments") or [] if str(w).lower() not in comments]
        if missing:
            self.outcome.problems.append(f"comments {booking.comments!r} lack {missing}")
            ok = False
        lacking = [t for t in wanted.get("tags") or [] if t not in (booking.tags or [])]
        if lacking:
            self.outcome.problems.append(f"tags {booking.tags!r} lack {lacking}")
            ok = False
        return ok

    async def _judge_existing(self, expect: dict[str, Any]) -> bool:
        assert self.existing is not None
        before = _slot(self.existing)
        await self.existing.refresh_from_db()
        if expect.get("cancel"):
            if self.existing.status != ReservationStatus.CANCELED:
                self.outcome.problems.append("not canceled")
                return False
            return True
        wanted = {**dict(zip(("date", "time", "guests"), before, strict=True)), **_jsonable(expect["change"])}
        if self.existing.status == ReservationStatus.CANCELED:
            self.outcome.problems.append("canceled instead of changed")
            return False
        if _slot(self.existing) != _slot_of(wanted):
            if _slot(self.existing) != before:
                self.outcome.wrong_booking = True
            self.outcome.problems.append(f"booking is {_slot(self.existing)}, wanted {_slot_of(wanted)}")
            return False
        return True

    def _judge_answer(self, facts: list[Any]) -> bool:
        said = " ".join(reply for _, reply in self.outcome.transcript).lower()
        missing = [f for f in facts if not any(str(x).lower() in said for x in (f if isinstance(f, list) else [f]))]
        if missing:
            self.outcome.problems.append(f"answer lacks {missing}")
        return not missing


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in details.items()}


def _slot(r: Reservation) -> tuple[str, str, int]:
    t = r.time if isinstance(r.time, time) else time.fromisoformat(str(r.time)[:5])
    return (str(r.date), t.strftime("%H:%M"), int(r.guests))


def _slot_of(details: dict[str, Any]) -> tuple[str, str, int]:
    d = _jsonable(details)
    return (str(d.get("date")), str(d.get("time"))[:5], int(d.get("guests") or 0))


class EchoLLM(InstantLLM):
    """The scripted model, plus ``("echo", None)``: answer with the last tool result's text (the facts)."""

    async def complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> Any:
        if self.steps and self.steps[0][0] == "echo":
            self.steps.popleft()
            content = json.loads(messages[-1]["content"]) if messages[-1].get("role") == "tool" else {}
            self.steps.appendleft(("text", json.dumps(content, ensure_ascii=False)))
        return await super().complete(messages, tools)
