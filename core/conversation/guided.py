"""The guided path: a small booking state machine that works without any LLM.

Its state lives in ``conversation.state["guided"]``::

    {"step": "date"|"time"|"guests"|"name"|"phone"|"confirm_book"|"pick_cancel"|"confirm_cancel",
     "date": "YYYY-MM-DD", "time": "HH:MM", "guests": 4, "name": "Anna", "phone": "+44...",
     "checked": "YYYY-MM-DD HH:MM 4",   # the slot last found free
     "reservation_id": 12}              # the one to cancel

Free text is read with :mod:`core.conversation.parsing` (date, time and party size in one
message or step by step, English and Russian). Missing details are asked in the order
date -> time -> party size -> name -> phone (skipped when the guest or the channel already
has one); the slot is checked, free times nearby and alternatives are offered as quick
replies; the booking is confirmed, then made through the booking service. The guest's own
reservations can be listed and canceled (with a confirmation). Every message gets an answer.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from core.booking import availability, guests
from core.booking.hours import to_local
from core.booking.service import BookingRequest
from core.conversation import parsing, store
from core.conversation.guided_texts import (
    GREETINGS,
    RESET_WORDS,
    day_label,
    guests_label,
    refusal,
    say,
    summary,
    time_label,
)
from core.conversation.tools import ToolContext
from core.conversation.types import Choice, Reply
from core.errors import BookingRefused, DomainError, SlotUnavailable, ValidationError
from core.events import Actor

MAX_CHOICES = 8
_NAME_PREFIX = re.compile(
    r"^\s*(?:my\s+name\s+is|my\s+name's|name\s*:|i\s+am|i'm|it's|this\s+is|меня\s+зовут|моё\s+имя|мое\s+имя|имя\s*:|это|я)\s+",
    re.IGNORECASE,
)


@dataclass
class GuidedResult:
    """The replies of one guided turn, and what was understood (for ``ai_activities``)."""

    replies: list[Reply]
    intent: str = "help"  # book / list / cancel / help
    started_booking: bool = False
    understood: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0


class GuidedFlow:
    """One guided turn: ``await GuidedFlow(context).respond(text)``; state is written back to the conversation."""

    def __init__(self, context: ToolContext) -> None:
        self.ctx = context
        self.lang = context.language
        self.state: dict[str, Any] = dict((context.conversation.state or {}).get("guided") or {})
        self.today = to_local(context.now, context.restaurant.timezone)[0]

    # ---------------------------------------------------------------- entry point

    async def respond(self, text: str) -> GuidedResult:
        result = await self._dispatch(text.strip())
        state = dict(self.ctx.conversation.state or {})
        state["guided"] = self.state
        self.ctx.conversation.state = state
        return result

    async def _dispatch(self, text: str) -> GuidedResult:
        low = text.lower().strip(" !.?")
        step = self.state.get("step")
        if low in RESET_WORDS or low.split(" ")[0] == "/start":
            self.state = {}
            return self._menu()
        if step == "confirm_book":
            return await self._confirm_book(text)
        if step == "confirm_cancel":
            return await self._confirm_cancel(text)
        if parsing.wants_list(text):
            self.state = {}
            return await self._list()
        if parsing.wants_cancel(text) and (step is None or step == "pick_cancel" or _has_number(text)):
            return await self._start_cancel(text)
        if step == "pick_cancel":
            if parsing.parse_yes_no(text) is False:
                self.state = {}
                return self._result(say(self.lang, "kept"), intent="cancel", choices=self._menu_choices())
            return await self._start_cancel(text)
        if step == "name" and not (parsing.parse_date(text, self.today) or parsing.parse_time(text)):
            return await self._take_name(text)
        if step == "phone":
            return await self._take_phone(text)
        return await self._booking(text, step, low)

    # ---------------------------------------------------------------- booking

    async def _booking(self, text: str, step: str | None, low: str) -> GuidedResult:
        understood = self._merge(text, expecting_guests=step == "guests", expecting_time=step == "time")
        if step is None and not understood and not parsing.wants_booking(text):
            self.state = {}
            return self._menu(again=low not in GREETINGS)
        if step is not None and not understood:
            if parsing.parse_yes_no(text) is False or parsing.wants_cancel(text):
                self.state = {}
                return self._result(say(self.lang, "stopped"), intent="book", choices=self._menu_choices())
            result = await self._advance(prefix=say(self.lang, f"again_{step}") if step in _STEP_AGAIN else None)
            result.confidence = 0.3
            return result
        result = await self._advance()
        result.started_booking = step is None
        result.understood = understood
        return result

    def _merge(self, text: str, *, expecting_guests: bool = False, expecting_time: bool = False) -> dict[str, Any]:
        """Take the date, time and party size ``text`` gives into the state; returns what it gave."""
        found: dict[str, Any] = {}
        d = parsing.parse_date(text, self.today)
        t = parsing.parse_time(text)
        if t is None and expecting_time and re.fullmatch(r"\d{1,2}", text.strip()):
            t = parsing.parse_time(("в " if self.lang == "ru" else "at ") + text.strip())
        n = parsing.parse_party_size(text, expecting=expecting_guests)
        if d is not None:
            found["date"] = d.isoformat()
        if t is not None:
            found["time"] = time_label(t)
        if n is not None:
            found["guests"] = n
        self.state.update(found)
        return found

    def _slot(self) -> tuple[date, time, int]:
        return (date.fromisoformat(self.state["date"]), time.fromisoformat(self.state["time"]), self.state["guests"])

    async def _advance(self, prefix: str | None = None) -> GuidedResult:
        """Ask for the next missing detail, check the slot, or ask for confirmation."""
        s = self.state
        lines = [prefix] if prefix else []
        if not s.get("date"):
            s["step"] = "date"
            today_tomorrow = [(say(self.lang, "today"), "today"), (say(self.lang, "tomorrow"), "tomorrow")]
            return self._result(*lines, say(self.lang, "ask_date"), choices=[Choice(lb, v) for lb, v in today_tomorrow])
        day = date.fromisoformat(s["date"])
        if not s.get("time"):
            s["step"] = "time"
            choices = []
            if s.get("guests"):
                with contextlib.suppress(BookingRefused):  # a party too large: said when the slot is checked
                    free = await availability.day_view(self.ctx.restaurant_id, day, s["guests"], now=self.ctx.now)
                    choices = [Choice(t, t) for t in _spread(list(free), MAX_CHOICES)]
            return self._result(*lines, say(self.lang, "ask_time", day=day_label(self.lang, day)), choices=choices)
        if not s.get("guests"):
            s["step"] = "guests"
            return self._result(
                *lines, say(self.lang, "ask_guests"), choices=[Choice(str(n), str(n)) for n in range(1, 7)]
            )
        d, t, n = self._slot()
        slot_key = f"{d.isoformat()} {time_label(t)} {n}"
        if s.get("checked") != slot_key:
            try:
                found = await availability.check_availability(self.ctx.restaurant_id, d, t, n, now=self.ctx.now)
            except BookingRefused as exc:
                return await self._offer(self._refusal(exc), d, t, n, [])
            if not found.available:
                return await self._offer(None, d, t, n, list(found.alternatives or []))
            s["checked"] = slot_key
        guest = self.ctx.guest
        if not s.get("name"):
            if guest is None:
                s["step"] = "name"
                return self._result(*lines, say(self.lang, "ask_name"))
            s["name"] = guest.name
        if guest is None and not self.ctx.channel_phone and not s.get("phone"):
            s["step"] = "phone"
            return self._result(*lines, say(self.lang, "ask_phone"))
        s["step"] = "confirm_book"
        question = say(
            self.lang, "confirm_book", count=n, guests=guests_label(self.lang, n),
            day=day_label(self.lang, d), time=time_label(t), name=s["name"],
        )  # fmt: skip
        return self._result(*lines, question, intent="book", choices=self._yes_no())

    async def _offer(self, reason: str | None, d: date, t: time, n: int, alternatives: list) -> GuidedResult:
        """The slot is not possible: say why and offer free times that day and nearby alternatives."""
        labels = {
            "count": n,
            "guests": guests_label(self.lang, n),
            "day": day_label(self.lang, d),
            "time": time_label(t),
        }
        first = reason or say(self.lang, "not_available", **labels)
        try:
            free = await availability.day_view(self.ctx.restaurant_id, d, n, now=self.ctx.now)
        except BookingRefused:  # no table can ever hold this party: ask for the party size again
            self.state.update(step="guests", guests=None, checked=None)
            return self._result(first, say(self.lang, "ask_guests"), intent="book")
        self.state.update(step="time", time=None, checked=None)
        choices = [Choice(x, x) for x in _nearest(list(free), t, 5)]
        for alt in alternatives:
            alt_day, alt_time = _as_date(alt["date"]), str(alt["time"])[:5]
            if len(choices) >= MAX_CHOICES:
                break
            if alt_day != d:
                choices.append(
                    Choice(f"{day_label(self.lang, alt_day)} {alt_time}", f"{alt_day.isoformat()} {alt_time}")
                )
        if not choices:
            self.state.update(step="date", date=None)
            return self._result(first, say(self.lang, "nothing_that_day", **labels), intent="book")
        return self._result(first, say(self.lang, "options"), intent="book", choices=choices)

    async def _take_name(self, text: str) -> GuidedResult:
        phone = parsing.extract_phone(text)
        name = _NAME_PREFIX.sub("", _PHONE_RUN.sub(" ", text) if phone else text).strip(" ,.!")
        if not re.search(r"[^\W\d_]", name) or len(name) > 100:
            return self._result(say(self.lang, "bad_name"), confidence=0.3)
        self.state["name"] = name[:1].upper() + name[1:]
        if phone:
            return await self._take_phone(phone)
        return await self._advance()

    async def _take_phone(self, text: str) -> GuidedResult:
        raw = parsing.extract_phone(text)
        try:
            phone = guests.normalise_phone(raw, guests.region_of(self.ctx.restaurant.phone)) if raw else None
        except ValidationError:
            phone = None
        if not phone and parsing.parse_yes_no(text) is False:
            self.state = {}
            return self._result(say(self.lang, "stopped"), intent="book", choices=self._menu_choices())
        if not phone:
            self.state["step"] = "phone"
            return self._result(say(self.lang, "bad_phone"), confidence=0.3)
        self.state["phone"] = phone
        return await self._advance()

    async def _confirm_book(self, text: str) -> GuidedResult:
        before = {k: self.state.get(k) for k in ("date", "time", "guests")}
        changed = {k: v for k, v in self._merge(text).items() if before.get(k) != v}
        if changed:
            return await self._advance()
        answer = parsing.parse_yes_no(text)
        if answer is None and (parsing.wants_list(text) or parsing.wants_cancel(text)):
            self.state = {}
            return await self._dispatch(text)
        if answer is None:
            return await self._advance()
        if answer is False:
            self.state = {}
            return self._result(say(self.lang, "not_booked"), intent="book", choices=self._menu_choices())
        d, t, n = self._slot()
        try:
            guest = await store.ensure_guest(self.ctx, name=self.state["name"], phone=self.state.get("phone"))
            request = BookingRequest(date=d, time=t, guests=n, source=self.ctx.channel, guest_id=guest.id)
            reservation = await self.ctx.service.create(self.ctx.restaurant_id, request, guest=guest, actor=Actor.GUEST)
        except SlotUnavailable as exc:
            return await self._offer(None, d, t, n, list(exc.details.get("alternatives") or []))
        except BookingRefused as exc:
            return await self._offer(self._refusal(exc), d, t, n, [])
        self.state = {}
        done = say(
            self.lang, "booked", count=n, guests=guests_label(self.lang, n),
            day=day_label(self.lang, d), time=time_label(t), id=reservation.id,
        )  # fmt: skip
        return self._result(done, intent="book", understood={"reservation_id": reservation.id})

    # ---------------------------------------------------------------- list and cancel

    async def _mine(self) -> list:
        if self.ctx.guest is None:
            return []
        return list(
            await self.ctx.service.list_for_guest(self.ctx.restaurant_id, self.ctx.guest.id, upcoming_only=True)
        )

    def _summary(self, r: Any) -> str:
        return summary(self.lang, r.date, r.time, r.guests)

    async def _list(self) -> GuidedResult:
        mine = await self._mine()
        if not mine:
            key = "no_reservations" if self.ctx.guest is not None else "no_guest"
            return self._result(say(self.lang, key), intent="list", choices=[self._book_choice()])
        lines = [say(self.lang, "your_reservations")] + [f"#{r.id}: {self._summary(r)}" for r in mine]
        choices = [Choice(say(self.lang, "cancel_label", id=r.id), f"cancel {r.id}") for r in mine[: MAX_CHOICES - 1]]
        return self._result("\n".join(lines), intent="list", choices=[*choices, self._book_choice()])

    async def _start_cancel(self, text: str) -> GuidedResult:
        mine = await self._mine()
        if not mine:
            self.state = {}
            key = "no_reservations" if self.ctx.guest is not None else "no_guest"
            return self._result(say(self.lang, key), intent="cancel", choices=self._menu_choices())
        numbers = {int(x) for x in re.findall(r"\d+", text)}
        picked = next((r for r in mine if r.id in numbers), None)
        if picked is None and not numbers and len(mine) == 1:
            picked = mine[0]
        if picked is None:
            self.state = {"step": "pick_cancel"}
            choices = [Choice(f"#{r.id}: {self._summary(r)}", f"cancel {r.id}") for r in mine[:MAX_CHOICES]]
            return self._result(say(self.lang, "which_cancel"), intent="cancel", choices=choices)
        self.state = {"step": "confirm_cancel", "reservation_id": picked.id}
        question = say(self.lang, "confirm_cancel", id=picked.id, summary=self._summary(picked))
        return self._result(question, intent="cancel", choices=self._yes_no())

    async def _confirm_cancel(self, text: str) -> GuidedResult:
        answer = parsing.parse_yes_no(text)
        if answer is None:  # something else entirely: the reservation stays, the message is read afresh
            self.state = {}
            return await self._dispatch(text)
        reservation_id = self.state.get("reservation_id")
        self.state = {}
        if not answer or self.ctx.guest is None:
            return self._result(say(self.lang, "kept"), intent="cancel", choices=self._menu_choices())
        try:
            r = await self.ctx.service.cancel(self.ctx.restaurant_id, reservation_id, guest_id=self.ctx.guest.id)
        except DomainError as exc:
            return self._result(exc.message, intent="cancel", choices=self._menu_choices())
        text = say(self.lang, "canceled", id=r.id, summary=self._summary(r))
        return self._result(text, intent="cancel", understood={"reservation_id": r.id})

    # ---------------------------------------------------------------- replies

    def _refusal(self, exc: BookingRefused) -> str:
        return refusal(self.lang, exc.code, exc.message, exc.details)

    def _book_choice(self) -> Choice:
        return Choice(say(self.lang, "book"), say(self.lang, "book"))

    def _menu_choices(self) -> list[Choice]:
        return [self._book_choice(), Choice(say(self.lang, "mine"), say(self.lang, "mine"))]

    def _yes_no(self) -> list[Choice]:
        return [
            Choice(say(self.lang, "yes"), say(self.lang, "yes")),
            Choice(say(self.lang, "no"), say(self.lang, "no")),
        ]

    def _menu(self, again: bool = False) -> GuidedResult:
        text = say(self.lang, "menu_again" if again else "menu")
        return self._result(text, intent="help", choices=self._menu_choices(), confidence=0.3 if again else 1.0)

    def _result(
        self, *lines: str, intent: str = "book", choices: list[Choice] | None = None, **kw: Any
    ) -> GuidedResult:
        return GuidedResult([Reply(" ".join(lines), tuple(choices or ()))], intent=intent, **kw)


_STEP_AGAIN = {"date", "time", "guests"}
_PHONE_RUN = re.compile(r"\+?\(?\d[\d\s\-()]{5,}\d")


def _has_number(text: str) -> bool:
    return bool(re.search(r"\d", text))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")[:2]
    return int(h) * 60 + int(m)


def _nearest(times: list[str], wanted: time, n: int) -> list[str]:
    """The ``n`` times of ``times`` ("HH:MM") closest to ``wanted``, in order of the day."""
    target = wanted.hour * 60 + wanted.minute
    return sorted(sorted(times, key=lambda x: abs(_minutes(x) - target))[:n], key=_minutes)


def _spread(times: list[str], n: int) -> list[str]:
    """At most ``n`` of ``times``, evenly spread over the day."""
    if len(times) <= n:
        return times
    step = (len(times) - 1) / (n - 1)
    return [times[round(i * step)] for i in range(n)]
