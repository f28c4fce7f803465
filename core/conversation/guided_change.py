"""The guided path's change flow: pick one of the guest's reservations, take the new details, confirm, modify."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import TYPE_CHECKING

from core.booking.refusal_reasons import FreeTime
from core.conversation.guided_base import MAX_CHOICES, GuidedBase, GuidedResult, free_times
from core.conversation.guided_state import Change, GuidedState
from core.conversation.guided_texts import day_label, say, summary, time_label
from core.conversation.types import Choice
from core.errors import BookingRefused, DomainError, SlotUnavailable

if TYPE_CHECKING:
    from core.models import Reservation


class GuidedChange(GuidedBase):
    """Changing the guest's own reservation, through the same ``modify_reservation`` tool the LLM calls."""

    async def _start_change(self) -> GuidedResult:
        mine = await self._mine()
        if not mine and (self.u.slots or self.u.rejected):  # "make it 5 people" with nothing booked: a booking
            return await self._booking(self.state.step)
        if not mine:
            return self._no_reservations("change")
        asked = Change.from_json(self.u.changes)
        picked = self._pick(mine)
        if picked is None:
            self.state = GuidedState(step="pick_change", change=asked)
            choices = [Choice(f"#{r.id}: {self._summary(r)}", f"change {r.id}") for r in mine[:MAX_CHOICES]]
            return self._result(say(self.lang, "which_change"), intent="change", choices=choices)
        return await self._begin_change(picked.id, self.state.change.updated(asked).to_json())

    async def _begin_change(self, reservation_id: int, wanted: Mapping[str, object] | None = None) -> GuidedResult:
        """Change the guest's own reservation: confirm straight away when the new details are known, else ask."""
        if self.ctx.guest is None:
            return self._no_reservations("change")
        try:
            r = await self.ctx.service.get(self.ctx.restaurant_id, reservation_id, guest_id=self.ctx.guest.id)
        except DomainError:
            return self._no_reservations("change")
        self.state = GuidedState(step="change", reservation_id=r.id, change=Change.from_json(wanted))
        if wanted:
            return self._confirm_change_question(r)
        return self._result(say(self.lang, "ask_change", id=r.id, summary=self._summary(r)), intent="change")

    async def _take_change(self) -> GuidedResult:
        asked = Change.from_json(self.u.changes)
        if self.u.date_note == "past":
            text = say(self.lang, "past_date", day=day_label(self.lang, self.u.date or self.today))
            return self._result(text, intent="change", confidence=0.6)
        if asked == Change():
            if self.u.yes_no is False:
                self.state = GuidedState()
                return self._result(say(self.lang, "not_changed"), intent="change", choices=self._menu_choices())
            self.state.step = "change"
            return self._result(
                say(self.lang, "ask_change", id=self.state.reservation_id, summary="…"),
                intent="change",
                confidence=0.3,
            )
        self.state.change = self.state.change.updated(asked)
        return await self._reask_change()

    def _changed_slot(self, r: Reservation) -> tuple[date, time, int]:
        wanted = self.state.change
        return wanted.date or r.date, wanted.time or r.time, wanted.guests or r.guests

    def _confirm_change_question(self, r: Reservation) -> GuidedResult:
        wanted = self.state.change
        if wanted.more:  # "one more person joining us": the party as booked, plus them
            wanted.guests, wanted.more = (wanted.guests or r.guests) + wanted.more, None
        d, t, n = self._changed_slot(r)
        if (d, t, n) == (r.date, r.time, r.guests):  # nothing new was understood: ask what to change
            self.state.step, self.state.change = "change", Change()
            return self._result(say(self.lang, "ask_change", id=r.id, summary=self._summary(r)), intent="change")
        self.state.step = "confirm_change"
        text = say(self.lang, "confirm_change", id=r.id, summary=summary(self.lang, d, t, n))
        return self._result(text, intent="change", choices=self._yes_no())

    async def _confirm_change(self) -> GuidedResult:
        asked = Change.from_json(self.u.changes)
        if asked != Change() and self.u.yes_no is None:  # a different change: ask again with it
            self.state.change = self.state.change.updated(asked)
            return await self._reask_change()
        answer = self.u.yes_no
        if answer is None:
            self.state = GuidedState()
            return await self._dispatch()
        reservation_id, wanted = self.state.reservation_id, self.state.change.to_json()
        if not answer:
            self.state = GuidedState()
            return self._result(say(self.lang, "not_changed"), intent="change", choices=self._menu_choices())
        try:
            r = await self._act_on("modify_reservation", {"reservation_id": reservation_id, **wanted})
        except SlotUnavailable as exc:
            self.state.step = "change"
            choices = [self._alternative_choice(a) for a in free_times(exc)[:MAX_CHOICES]]
            return self._result(say(self.lang, "not_available_change"), intent="change", choices=choices)
        except BookingRefused as exc:
            self.state.step = "change"
            return self._result(self._refusal(exc), intent="change")
        except DomainError as exc:
            self.state = GuidedState()
            return self._result(self._failure(exc), intent="change", choices=self._menu_choices())
        self.state = GuidedState()
        return self._result(
            say(self.lang, "changed", id=r.id, summary=self._summary(r)),
            intent="change",
            understood={"reservation_id": r.id},
        )

    def _alternative_choice(self, free: FreeTime) -> Choice:
        day, at = free.day, time_label(free.at)
        return Choice(f"{day_label(self.lang, day)} {at}", f"{day.isoformat()} {at}")

    async def _reask_change(self) -> GuidedResult:
        """Ask to confirm the change asked for, for the guest's reservation being changed (or say there is none)."""
        guest, reservation_id = self.ctx.guest, self.state.reservation_id
        if guest is None or not isinstance(reservation_id, int):
            return self._no_reservations("change")
        try:
            r = await self.ctx.service.get(self.ctx.restaurant_id, reservation_id, guest_id=guest.id)
        except DomainError:
            return self._no_reservations("change")
        return self._confirm_change_question(r)
