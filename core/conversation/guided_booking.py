"""The guided path's booking steps: take the details of each message (corrections included), ask for the
next missing one (date -> time -> party size -> name -> phone), check the slot, offer free times nearby
and other days when it is taken, confirm, then book through the ``create_reservation`` tool."""

from __future__ import annotations

import contextlib
import re
from datetime import date, time

from core.booking import availability
from core.booking.refusal_reasons import FreeTime
from core.conversation.guided_base import ASKED_AGAIN, MAX_CHOICES, GuidedBase, GuidedResult, free_times
from core.conversation.guided_state import GuidedState
from core.conversation.guided_texts import day_label, guests_label, say, time_label
from core.conversation.parsing import NAME_PREFIX_RE, parse_time, phone_spans
from core.conversation.types import Choice
from core.conversation.waitlist_hook import with_waitlist
from core.errors import BookingRefused, SlotUnavailable


class GuidedBooking(GuidedBase):
    """A new booking, its details given in one message or over several, made through the booking tool."""

    async def _booking(self, step: str | None) -> GuidedResult:
        u = self.u
        understood = self._merge()
        if u.date_note == "past" and u.date is not None:
            self.state.step, self.state.date, self.state.checked = "date", None, None
            label = day_label(self.lang, u.date, with_year=u.date.year != self.today.year)
            text = say(self.lang, "past_date", day=label)
            return self._result(text, intent="book", choices=self._day_choices(), confidence=0.6)
        if step is None and not understood and u.intent != "book":
            self.state = GuidedState()
            return self._menu(again=u.intent != "greeting")
        if step is not None and not understood:
            if u.yes_no is False or u.intent == "cancel":
                self.state = GuidedState()
                return self._result(say(self.lang, "stopped"), intent="book", choices=self._menu_choices())
            result = await self._advance(prefix=say(self.lang, f"again_{step}") if step in ASKED_AGAIN else None)
            result.confidence = 0.3
            return result
        prefix = None
        if u.date_note == "next_year" and u.date is not None:
            prefix = say(self.lang, "next_year", day=day_label(self.lang, u.date, with_year=True))
        result = await self._advance(prefix=prefix)
        result.started_booking = step is None
        result.understood = understood
        return result

    def _merge(self) -> dict[str, object]:
        """Take the date, time and party size of the message into the state (a correction replacing what it
        says no to: "9 not 8"), and its other details (name, phone, special requests); returns the slots given."""
        found = dict(self.u.slots)
        if self.u.date_note == "past":
            found.pop("date", None)
        found.update(self._corrected())
        if self.u.more is not None and "guests" not in found and self.state.guests:
            found["guests"] = self.state.guests + self.u.more  # "one more person is coming"
        if self.state.take(found):
            self.state.checked = None
        self._take_details()
        return found

    def _corrected(self) -> dict[str, str | int]:
        """A lone number replacing the value the guest says no to ("sorry, 9 not 8", "нет, не 4, а 5"), or
        correcting the request once its details are all given ("make it 7", "also 4")."""
        u, s = self.u, self.state
        if u.slots or len(u.bare) != 1:
            return {}
        if not u.rejected:
            return self._late_correction(u.bare[0]) if u.yes_no is None else {}
        rejected, bare = u.rejected[0], u.bare[0]
        if rejected.isdigit() and s.guests == int(rejected):
            return {"guests": bare}
        was, now = parse_time(f"at {rejected}"), parse_time(f"at {bare}")
        if was is not None and now is not None and s.time is not None and time_label(s.time) == time_label(was):
            return {"time": time_label(now)}
        return {}

    def _late_correction(self, number: int) -> dict[str, str | int]:
        """A bare number written after the date, time and party were taken (the bot asks for the name or the
        phone, or to confirm): an hour near the one asked for is the time, any other small number the party.
        The confirmation shows it before anything is booked."""
        s = self.state
        if s.step not in ("name", "phone", "confirm_book") or s.time is None:
            return {}
        hour = s.time.hour % 12 or 12
        at = parse_time(f"at {number}") if 1 <= number <= 12 and abs(number - hour) <= 2 else None
        if at is not None:
            return {"time": time_label(at)} if time_label(at) != time_label(s.time) else {}
        return {"guests": number} if 1 <= number <= 20 and number != s.guests else {}

    def _take_details(self) -> None:
        """The name, phone and special requests of the message, kept for the booking."""
        u, s = self.u, self.state
        if u.name and not s.name:
            s.name = u.name
        if u.phone and not s.phone:
            s.phone = u.phone
        s.requests = s.requests + [v for v in u.requests if v not in s.requests]
        s.tags = s.tags + [v for v in u.tags if v not in s.tags]

    def _day_choices(self) -> list[Choice]:
        return [Choice(say(self.lang, "today"), "today"), Choice(say(self.lang, "tomorrow"), "tomorrow")]

    async def _advance(self, prefix: str | None = None) -> GuidedResult:
        """Ask for the next missing detail, check the slot, or ask for confirmation."""
        s = self.state
        lines = [prefix] if prefix else []
        if not s.date:
            s.step = "date"
            return self._result(
                *lines, say(self.lang, "ask_date", **self._date_examples()), choices=self._day_choices()
            )
        day = s.date
        if not s.time:
            s.step = "time"
            choices = []
            if s.guests:
                with contextlib.suppress(BookingRefused):  # a party too large: said when the slot is checked
                    free = await availability.day_view(self.ctx.restaurant_id, day, s.guests, now=self.ctx.now)
                    choices = [Choice(t, t) for t in _spread([time_label(f) for f in free], MAX_CHOICES)]
            return self._result(*lines, say(self.lang, "ask_time", day=day_label(self.lang, day)), choices=choices)
        if not s.guests:
            s.step = "guests"
            return self._result(
                *lines, say(self.lang, "ask_guests"), choices=[Choice(str(n), str(n)) for n in range(1, 7)]
            )
        d, t, n = s.slot()
        if s.checked != (d, t, n):
            try:
                found = await availability.check_availability(self.ctx.restaurant_id, d, t, n, now=self.ctx.now)
            except BookingRefused as exc:
                return await self._offer(self._refusal(exc), d, t, n, [], lines)
            if not found.available:
                return await self._offer(None, d, t, n, found.alternatives, lines)
            s.checked = (d, t, n)
        return self._ask_contact_or_confirm(lines)

    def _ask_contact_or_confirm(self, lines: list[str]) -> GuidedResult:
        """The slot is free: ask for the name and the phone when they are not known yet, then to confirm."""
        s, guest = self.state, self.ctx.guest
        if not s.name:
            if guest is None:
                s.step = "name"
                return self._result(*lines, say(self.lang, "ask_name"))
            s.name = guest.name
        if guest is None and not self.ctx.channel_phone and not s.phone:
            s.step = "phone"
            return self._result(*lines, say(self.lang, "ask_phone"))
        s.step = "confirm_book"
        if s.requests:
            lines.append(say(self.lang, "noted_requests", requests="; ".join(s.requests)))
        d, t, n = s.slot()
        question = say(
            self.lang,
            "confirm_book",
            count=n,
            guests=guests_label(self.lang, n),
            day=day_label(self.lang, d),
            time=time_label(t),
            name=s.name,
        )
        return self._result(*lines, question, intent="book", choices=self._yes_no())

    async def _offer(
        self,
        reason: str | None,
        d: date,
        t: time,
        n: int,
        alternatives: list[FreeTime],
        lines: list[str] | None = None,
    ) -> GuidedResult:
        """The slot is not possible: say why (once) and offer the nearest free times before and after it
        that day, then other days."""
        labels = {
            "count": n,
            "guests": guests_label(self.lang, n),
            "day": day_label(self.lang, d),
            "time": time_label(t),
        }
        first = [*(lines or []), reason or say(self.lang, "not_available", **labels)]
        s = self.state
        try:
            free = await availability.day_view(self.ctx.restaurant_id, d, n, now=self.ctx.now)
        except BookingRefused:  # no table can ever hold this party: ask for the party size again
            s.step, s.guests, s.checked = "guests", None, None
            return self._result(*first, say(self.lang, "ask_guests"), intent="book")
        s.step, s.time, s.checked = "time", None, None
        choices = [Choice(x, x) for x in _nearest([time_label(f) for f in free], t, 5)]
        for alt in alternatives:
            alt_day, alt_time = alt.day, time_label(alt.at)
            if len(choices) >= MAX_CHOICES:
                break
            if alt_day != d:
                choices.append(
                    Choice(f"{day_label(self.lang, alt_day)} {alt_time}", f"{alt_day.isoformat()} {alt_time}")
                )
        if not choices:
            s.step, s.date = "date", None
            if reason:  # the reason already says it all ("closed that day"): only ask for another day
                return self._result(*first, say(self.lang, "ask_date", **self._date_examples()), intent="book")
            return self._result(*first[:-1], say(self.lang, "nothing_that_day", **labels), intent="book")
        if reason is None:  # full, not refused: the guest may also wait for a table
            choices = with_waitlist(self.lang, d, t, n, choices, MAX_CHOICES)
        return self._result(*first, say(self.lang, "options"), intent="book", choices=choices)

    async def _take_name(self) -> GuidedResult:
        self._take_details()
        if not self.state.name:
            name = self._name_in_message()
            if name is None:
                noted = (
                    [say(self.lang, "noted_requests", requests="; ".join(self.u.requests))] if self.u.requests else []
                )
                return self._result(*noted, say(self.lang, "bad_name"), confidence=0.6 if noted else 0.3)
            self.state.name = name
        return await self._advance()

    def _name_in_message(self) -> str | None:
        """The message as a name, or None when it is not one: a sentence with numbers, booking words,
        a special request, a yes or a no is not a name ("wait, we're actually 6", "yes")."""
        u, text = self.u, self.u.text
        for start, end in reversed(phone_spans(text, self.region) if u.phone else []):
            text = text[:start] + " " + text[end:]
        name = NAME_PREFIX_RE.sub("", text).strip(" ,.!")
        if not re.search(r"[^\W\d_]", name) or len(name) > 60 or len(name.split()) > 4 or re.search(r"\d", name):
            return None
        if u.yes_no is not None or u.requests or u.intent in ("book", "change", "cancel", "list", "human", "thanks"):
            return None
        return name[:1].upper() + name[1:]

    async def _take_phone(self) -> GuidedResult:
        phone = self.u.phone
        if not phone and self.u.yes_no is False:
            self.state = GuidedState()
            return self._result(say(self.lang, "stopped"), intent="book", choices=self._menu_choices())
        if not phone:
            self.state.step = "phone"
            return self._result(say(self.lang, "bad_phone"), confidence=0.3)
        self.state.phone = phone
        return await self._advance()

    async def _confirm_book(self) -> GuidedResult:
        before = self.state.slots()
        changed = {k: v for k, v in self._merge().items() if before.get(k) != v}
        if changed:
            return await self._advance()
        answer = self.u.yes_no
        if answer is None and self.u.intent in ("list", "cancel", "change", "info"):
            self.state = GuidedState()
            return await self._dispatch()
        if answer is None:
            return await self._advance()
        if answer is False:
            self.state = GuidedState()
            return self._result(say(self.lang, "not_booked"), intent="book", choices=self._menu_choices())
        d, t, n = self.state.slot()
        try:
            booked = await self._act_on("create_reservation", self._booking_args())
        except SlotUnavailable as exc:
            return await self._offer(None, d, t, n, free_times(exc))
        except BookingRefused as exc:
            return await self._offer(self._refusal(exc), d, t, n, [])
        self.state = GuidedState()
        text = say(
            self.lang,
            "booked",
            count=n,
            guests=guests_label(self.lang, n),
            day=day_label(self.lang, d),
            time=time_label(t),
            id=booked.id,
        )
        return self._result(text, intent="book", understood={"reservation_id": booked.id})

    def _booking_args(self) -> dict[str, object]:
        """The ``create_reservation`` tool's arguments for the booking confirmed."""
        s = self.state
        d, t, n = s.slot()
        args: dict[str, object] = {"date": d.isoformat(), "time": time_label(t), "guests": n, "name": s.name}
        if s.phone:
            args["phone"] = s.phone
        if s.requests:
            args["comments"] = "; ".join(s.requests)[:1000]
        if s.tags:
            args["tags"] = list(s.tags)
        return args


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
