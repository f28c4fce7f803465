"""The guided path: a small booking state machine that works without any LLM.

Its state lives in ``conversation.state["guided"]``::

    {"step": "date"|"time"|"guests"|"name"|"phone"|"confirm_book"|"pick_cancel"|"confirm_cancel"
             |"pick_change"|"change"|"confirm_change",
     "date": "YYYY-MM-DD", "time": "HH:MM", "guests": 4, "name": "Anna", "phone": "+44...",
     "checked": "YYYY-MM-DD HH:MM 4",   # the slot last found free
     "reservation_id": 12,              # the one to cancel or change
     "change": {"date": ..., "time": ..., "guests": ...}}  # the change asked for

Each message is read once by :func:`core.conversation.understanding.understand` (date, time
and party size in one message or step by step, in every language the guided path speaks);
the flow acts on that result. Questions about the restaurant (hours, address, phone,
website, cuisine, prices) are answered from its profile; asking for a person hands the
conversation to staff (the engine does the rest). Bookings are made, changed and canceled
through the same tool handlers the LLM calls. Missing details are asked in the order
date -> time -> party size -> name -> phone (skipped when the guest or the channel already
has one); the slot is checked, free times nearby and alternatives are offered as quick
replies; the booking is confirmed, then made through the booking service. The guest's own
reservations can be listed, changed and canceled (with a confirmation). Every message gets an answer.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from datetime import date, time, timedelta

from babel.dates import format_date

from core.booking import availability
from core.booking.hours import describe_hours, service_intervals, to_local
from core.booking.rules import rules_for
from core.conversation import handoff
from core.conversation.guided_base import MAX_CHOICES, _as_date
from core.conversation.guided_base import GuidedResult as GuidedResult
from core.conversation.guided_change import GuidedChange
from core.conversation.guided_texts import day_label, guests_label, lang, say, time_label
from core.conversation.parsing import NAME_PREFIX_RE, parse_time, phone_spans
from core.conversation.types import Choice
from core.conversation.understanding import Understanding, understand
from core.conversation.waitlist_hook import with_waitlist
from core.errors import BookingRefused, DomainError, SlotUnavailable

INFO_FIELDS = {
    "address": "address",
    "phone": "phone",
    "website": "website",
    "cuisine": "cuisine_type",
    "price": "price_range",
}


class GuidedFlow(GuidedChange):
    """One guided turn: ``await GuidedFlow(context, tools).respond(text)``; state is written back to the conversation.

    ``tools`` are the conversation tools by name (the engine's): bookings are made, changed and
    canceled through their handlers, exactly as on the LLM path. The change flow is
    :class:`~core.conversation.guided_change.GuidedChange`; the shared state and replies are
    :class:`~core.conversation.guided_base.GuidedBase`.
    """

    # ---------------------------------------------------------------- entry point

    async def respond(self, message: Understanding | str) -> GuidedResult:
        """Answer the guest's message, as the engine's understanding step read it (a plain text is read here)."""
        if isinstance(message, str):
            message = understand(
                message, self.today, language=self.lang, region=self.region, expecting=self.state.get("step")
            )
        self.u = message
        result = await self._dispatch()
        state = dict(self.ctx.conversation.state or {})
        state["guided"] = self.state
        self.ctx.conversation.state = state
        return result

    async def start_change(self, reservation_id: int, wanted: Mapping[str, object] | None = None) -> GuidedResult:
        """Start changing the guest's reservation ``reservation_id`` (e.g. answering a reminder); with the new
        details already ``wanted`` (``{"time": "21:00"}``, as :attr:`Understanding.slots`) it asks to confirm."""
        self.u = Understanding(text="", language=self.lang)
        result = await self._begin_change(reservation_id, wanted)
        state = dict(self.ctx.conversation.state or {})
        state["guided"] = self.state
        self.ctx.conversation.state = state
        return result

    async def _dispatch(self) -> GuidedResult:
        u, step = self.u, self.state.get("step")
        if u.intent == "reset":
            self.state = {}
            return self._menu()
        if u.intent == "human":
            self.ctx.turn.handoff = handoff.GUEST_ASKED
            self.state = {}
            return self._result(say(self.lang, "handoff"), intent="human")
        confirm = {
            "confirm_book": self._confirm_book,
            "confirm_cancel": self._confirm_cancel,
            "confirm_change": self._confirm_change,
        }.get(step or "")
        if confirm is not None:
            return await confirm()
        routed = await self._by_intent(step)
        return routed if routed is not None else await self._by_step(step)

    def _pending(self, step: str | None) -> bool:
        """Whether a new booking is being asked for (its details are still being given)."""
        return step in ("date", "time", "guests", "name", "phone")

    async def _by_intent(self, step: str | None) -> GuidedResult | None:
        """The guest asks something else than the step waits for: a question, their bookings, a cancel, a change."""
        u = self.u
        if u.intent == "info" and (step not in ("name", "phone") or "?" in u.text):  # "Ivan Price" is a name
            return self._info(u.info or "")
        if u.intent == "list":
            self.state = {}
            return await self._list()
        if u.intent == "cancel" and (step is None or step == "pick_cancel" or u.numbers):
            if self._pending(step) and self._corrected():  # "one cancelled, so 4 please"
                return None
            return await self._start_cancel()
        if u.intent == "change" and step != "change" and not self._pending(step):
            return await self._start_change()
        return None

    async def _by_step(self, step: str | None) -> GuidedResult:
        u = self.u
        if step == "pick_cancel":
            if u.yes_no is False:
                self.state = {}
                return self._result(say(self.lang, "kept"), intent="cancel", choices=self._menu_choices())
            return await self._start_cancel()
        if step == "pick_change":
            return await self._start_change()
        if step == "change":
            return await self._take_change()
        corrects = bool(u.slots or u.rejected or u.more or self._corrected())
        if step == "name" and not corrects:
            return await self._take_name()
        if step == "phone" and not corrects:
            return await self._take_phone()
        if step is None and u.intent == "thanks":
            return self._result(say(self.lang, "thanks"), intent="thanks", choices=self._menu_choices())
        return await self._booking(step)

    # ---------------------------------------------------------------- questions about the restaurant

    def _info(self, topic: str) -> GuidedResult:
        r = self.ctx.restaurant
        if topic == "hours" and (self.u.date is not None or self.u.now):
            text = self._day_hours()
        elif topic == "hours":
            hours = describe_hours(
                rules_for(r),
                exceptions_from=self.today,
                locale=lang(self.lang),
                closed=say(self.lang, "closed"),
                date_pattern=say(self.lang, "day_format"),
            )
            text = say(self.lang, "info_hours", hours=hours)
        else:
            value = getattr(r, INFO_FIELDS.get(topic, ""), None)
            if value:
                text = say(self.lang, f"info_{topic}", **{topic: value})
            elif r.phone and topic != "phone":
                text = f"{say(self.lang, 'info_unknown')} {say(self.lang, 'info_call', phone=r.phone)}"
            else:
                text = f"{say(self.lang, 'info_unknown')} {say(self.lang, 'info_ask_person')}"
        step = self.state.get("step")
        if step in _STEP_AGAIN or step in ("name", "phone"):  # mid-booking: answer, then ask again
            return self._result(text, say(self.lang, f"ask_{step}", **self._ask_values()), intent="info")
        return self._result(text, intent="info", choices=self._menu_choices())

    def _day_hours(self) -> str:
        """That day's hours ("open tomorrow?", "until when on Friday?"), or whether it is open now; the day
        asked about is kept for a booking that follows ("then a table for 2 at 9")."""
        u, rules = self.u, rules_for(self.ctx.restaurant)
        day = u.date or self.today
        if u.date is not None:
            self.state = {"date": day.isoformat()}
        spans = [(to_local(a, rules.tz)[1], to_local(b, rules.tz)[1]) for a, b in service_intervals(day, rules)]
        label = day_label(self.lang, day)
        if not spans:
            return say(self.lang, "info_closed_day", day=label)
        hours = ", ".join(f"{time_label(a)}–{time_label(b)}" for a, b in spans)
        if u.now and u.date is None:
            now = to_local(self.ctx.now, rules.tz)[1]
            key = "info_open_now" if any(a <= now < b or b <= a <= now for a, b in spans) else "info_closed_now"
            return say(self.lang, key, hours=hours)
        return say(self.lang, "info_hours_day", day=label, hours=hours)

    def _ask_values(self) -> dict[str, str]:
        day = self.state.get("date")
        return {"day": day_label(self.lang, date.fromisoformat(day)) if day else "", **self._date_examples()}

    def _date_examples(self) -> dict[str, str]:
        """Example days for the date question, always in the future: a weekday name and a date."""
        weekday = self.today + timedelta(days=3)
        example = self.today + timedelta(days=10)
        return {
            "weekday": format_date(weekday, "EEEE", locale=lang(self.lang)),
            "example": format_date(
                example, say(self.lang, "day_format").replace("EEE, ", "").replace("EEE ", ""), locale=lang(self.lang)
            ),
        }

    # ---------------------------------------------------------------- booking

    async def _booking(self, step: str | None) -> GuidedResult:
        u = self.u
        understood = self._merge()
        if u.date_note == "past" and u.date is not None:
            self.state.update(step="date", date=None, checked=None)
            label = day_label(self.lang, u.date, with_year=u.date.year != self.today.year)
            text = say(self.lang, "past_date", day=label)
            return self._result(text, intent="book", choices=self._day_choices(), confidence=0.6)
        if step is None and not understood and u.intent != "book":
            self.state = {}
            return self._menu(again=u.intent != "greeting")
        if step is not None and not understood:
            if u.yes_no is False or u.intent == "cancel":
                self.state = {}
                return self._result(say(self.lang, "stopped"), intent="book", choices=self._menu_choices())
            result = await self._advance(prefix=say(self.lang, f"again_{step}") if step in _STEP_AGAIN else None)
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
        if self.u.more is not None and "guests" not in found and self.state.get("guests"):
            found["guests"] = int(self.state["guests"]) + self.u.more  # "one more person is coming"
        if any(self.state.get(k) != v for k, v in found.items()):
            self.state["checked"] = None
        self.state.update(found)
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
        if rejected.isdigit() and s.get("guests") == int(rejected):
            return {"guests": bare}
        was, now = parse_time(f"at {rejected}"), parse_time(f"at {bare}")
        if was is not None and now is not None and s.get("time") == was.strftime("%H:%M"):
            return {"time": now.strftime("%H:%M")}
        return {}

    def _late_correction(self, number: int) -> dict[str, str | int]:
        """A bare number written after the date, time and party were taken (the bot asks for the name or the
        phone, or to confirm): an hour near the one asked for is the time, any other small number the party.
        The confirmation shows it before anything is booked."""
        s = self.state
        if s.get("step") not in ("name", "phone", "confirm_book") or not s.get("time"):
            return {}
        hour = int(s["time"][:2]) % 12 or 12
        at = parse_time(f"at {number}") if 1 <= number <= 12 and abs(number - hour) <= 2 else None
        if at is not None:
            return {"time": at.strftime("%H:%M")} if at.strftime("%H:%M") != s["time"] else {}
        return {"guests": number} if 1 <= number <= 20 and number != s.get("guests") else {}

    def _take_details(self) -> None:
        """The name, phone and special requests of the message, kept for the booking."""
        u, s = self.u, self.state
        if u.name and not s.get("name"):
            s["name"] = u.name
        if u.phone and not s.get("phone"):
            s["phone"] = u.phone
        for key, values in (("requests", u.requests), ("tags", u.tags)):
            kept = list(s.get(key) or [])
            s[key] = kept + [v for v in values if v not in kept]
            if not s[key]:
                s.pop(key)

    def _slot(self) -> tuple[date, time, int]:
        return (date.fromisoformat(self.state["date"]), time.fromisoformat(self.state["time"]), self.state["guests"])

    def _day_choices(self) -> list[Choice]:
        return [Choice(say(self.lang, "today"), "today"), Choice(say(self.lang, "tomorrow"), "tomorrow")]

    async def _advance(self, prefix: str | None = None) -> GuidedResult:
        """Ask for the next missing detail, check the slot, or ask for confirmation."""
        s = self.state
        lines = [prefix] if prefix else []
        if not s.get("date"):
            s["step"] = "date"
            return self._result(
                *lines, say(self.lang, "ask_date", **self._date_examples()), choices=self._day_choices()
            )
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
                return await self._offer(self._refusal(exc), d, t, n, [], lines)
            if not found.available:
                return await self._offer(None, d, t, n, list(found.alternatives or []), lines)
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
        if s.get("requests"):
            lines.append(say(self.lang, "noted_requests", requests="; ".join(s["requests"])))
        question = say(
            self.lang,
            "confirm_book",
            count=n,
            guests=guests_label(self.lang, n),
            day=day_label(self.lang, d),
            time=time_label(t),
            name=s["name"],
        )
        return self._result(*lines, question, intent="book", choices=self._yes_no())

    async def _offer(
        self,
        reason: str | None,
        d: date,
        t: time,
        n: int,
        alternatives: list[dict[str, str]],
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
        try:
            free = await availability.day_view(self.ctx.restaurant_id, d, n, now=self.ctx.now)
        except BookingRefused:  # no table can ever hold this party: ask for the party size again
            self.state.update(step="guests", guests=None, checked=None)
            return self._result(*first, say(self.lang, "ask_guests"), intent="book")
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
            if reason:  # the reason already says it all ("closed that day"): only ask for another day
                return self._result(*first, say(self.lang, "ask_date", **self._date_examples()), intent="book")
            return self._result(*first[:-1], say(self.lang, "nothing_that_day", **labels), intent="book")
        if reason is None:  # full, not refused: the guest may also wait for a table
            choices = with_waitlist(self.lang, d, t, n, choices, MAX_CHOICES)
        return self._result(*first, say(self.lang, "options"), intent="book", choices=choices)

    async def _take_name(self) -> GuidedResult:
        self._take_details()
        if not self.state.get("name"):
            name = self._name_in_message()
            if name is None:
                noted = (
                    [say(self.lang, "noted_requests", requests="; ".join(self.u.requests))] if self.u.requests else []
                )
                return self._result(*noted, say(self.lang, "bad_name"), confidence=0.6 if noted else 0.3)
            self.state["name"] = name
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
        if u.yes_no is not None or u.requests or u.intent in ("book", "change", "cancel", "list", "human"):
            return None
        return name[:1].upper() + name[1:]

    async def _take_phone(self) -> GuidedResult:
        phone = self.u.phone
        if not phone and self.u.yes_no is False:
            self.state = {}
            return self._result(say(self.lang, "stopped"), intent="book", choices=self._menu_choices())
        if not phone:
            self.state["step"] = "phone"
            return self._result(say(self.lang, "bad_phone"), confidence=0.3)
        self.state["phone"] = phone
        return await self._advance()

    async def _confirm_book(self) -> GuidedResult:
        before = {k: self.state.get(k) for k in ("date", "time", "guests")}
        changed = {k: v for k, v in self._merge().items() if before.get(k) != v}
        if changed:
            return await self._advance()
        answer = self.u.yes_no
        if answer is None and self.u.intent in ("list", "cancel", "change", "info"):
            self.state = {}
            return await self._dispatch()
        if answer is None:
            return await self._advance()
        if answer is False:
            self.state = {}
            return self._result(say(self.lang, "not_booked"), intent="book", choices=self._menu_choices())
        d, t, n = self._slot()
        args = {"date": d.isoformat(), "time": time_label(t), "guests": n, "name": self.state["name"]}
        if self.state.get("phone"):
            args["phone"] = self.state["phone"]
        if self.state.get("requests"):
            args["comments"] = "; ".join(self.state["requests"])[:1000]
        if self.state.get("tags"):
            args["tags"] = list(self.state["tags"])
        try:
            booked = await self._act_on("create_reservation", args)
        except SlotUnavailable as exc:
            return await self._offer(None, d, t, n, exc.alternatives)
        except BookingRefused as exc:
            return await self._offer(self._refusal(exc), d, t, n, [])
        self.state = {}
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

    # ---------------------------------------------------------------- list and cancel

    async def _list(self) -> GuidedResult:
        mine = await self._mine()
        if not mine:
            key = "no_reservations" if self.ctx.guest is not None else "no_guest"
            return self._result(say(self.lang, key), intent="list", choices=[self._book_choice()])
        lines = [say(self.lang, "your_reservations")] + [f"#{r.id}: {self._summary(r)}" for r in mine]
        per = max(1, (MAX_CHOICES - 1) // 2)
        choices = [Choice(say(self.lang, "cancel_label", id=r.id), f"cancel {r.id}") for r in mine[:per]]
        choices += [Choice(say(self.lang, "change_label", id=r.id), f"change {r.id}") for r in mine[:per]]
        return self._result("\n".join(lines), intent="list", choices=[*choices, self._book_choice()])

    async def _start_cancel(self) -> GuidedResult:
        mine = await self._mine()
        if not mine:
            return self._no_reservations("cancel")
        picked = next((r for r in mine if r.id in set(self.u.numbers)), None)
        if picked is None and not self.u.numbers and len(mine) == 1:
            picked = mine[0]
        if picked is None:
            self.state = {"step": "pick_cancel"}
            choices = [Choice(f"#{r.id}: {self._summary(r)}", f"cancel {r.id}") for r in mine[:MAX_CHOICES]]
            return self._result(say(self.lang, "which_cancel"), intent="cancel", choices=choices)
        self.state = {"step": "confirm_cancel", "reservation_id": picked.id}
        question = say(self.lang, "confirm_cancel", id=picked.id, summary=self._summary(picked))
        return self._result(question, intent="cancel", choices=self._yes_no())

    async def _confirm_cancel(self) -> GuidedResult:
        answer = self.u.yes_no
        if answer is None:  # something else entirely: the reservation stays, the message is read afresh
            self.state = {}
            return await self._dispatch()
        reservation_id = self.state.get("reservation_id")
        self.state = {}
        if not answer or self.ctx.guest is None or not isinstance(reservation_id, int):
            return self._result(say(self.lang, "kept"), intent="cancel", choices=self._menu_choices())
        try:
            r = await self._act_on("cancel_reservation", {"reservation_id": reservation_id})
        except DomainError as exc:
            return self._result(exc.message, intent="cancel", choices=self._menu_choices())
        return self._result(
            say(self.lang, "canceled", id=r.id, summary=self._summary(r)),
            intent="cancel",
            understood={"reservation_id": r.id},
        )


_STEP_AGAIN = {"date", "time", "guests"}


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
