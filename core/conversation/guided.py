"""The guided path: a small booking state machine that works without any LLM.

Its state between turns is a :class:`~core.conversation.guided_state.GuidedState`, loaded once
at the start of a turn and saved once at its end (as JSON in ``conversation.state["guided"]``).

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

The flow is put together from one part per job: :mod:`~core.conversation.guided_booking` (a new booking),
:mod:`~core.conversation.guided_change` (changing one), :mod:`~core.conversation.guided_info` (questions
about the restaurant), on :mod:`~core.conversation.guided_base` (what they share); this module reads the
message, routes it to one of them, and lists and cancels the guest's reservations.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.conversation import handoff
from core.conversation.guided_base import MAX_CHOICES
from core.conversation.guided_base import GuidedResult as GuidedResult
from core.conversation.guided_booking import GuidedBooking
from core.conversation.guided_change import GuidedChange
from core.conversation.guided_info import GuidedInfo
from core.conversation.guided_state import GuidedState
from core.conversation.guided_texts import say
from core.conversation.types import Choice
from core.conversation.understanding import Understanding, understand
from core.errors import DomainError


class GuidedFlow(GuidedBooking, GuidedChange, GuidedInfo):
    """One guided turn: ``await GuidedFlow(context, tools).respond(text)``; state is written back to the conversation.

    ``tools`` are the conversation tools by name (the engine's): bookings are made, changed and
    canceled through their handlers, exactly as on the LLM path. A new booking is
    :class:`~core.conversation.guided_booking.GuidedBooking`, the change flow
    :class:`~core.conversation.guided_change.GuidedChange`, questions about the restaurant
    :class:`~core.conversation.guided_info.GuidedInfo`; the shared state and replies are
    :class:`~core.conversation.guided_base.GuidedBase`.
    """

    # ---------------------------------------------------------------- entry point

    async def respond(self, message: Understanding | str) -> GuidedResult:
        """Answer the guest's message, as the engine's understanding step read it (a plain text is read here)."""
        if isinstance(message, str):
            message = understand(message, self.today, language=self.lang, region=self.region, expecting=self.state.step)
        self.u = message
        result = await self._dispatch()
        self.state.save(self.ctx.conversation)
        return result

    async def start_change(self, reservation_id: int, wanted: Mapping[str, object] | None = None) -> GuidedResult:
        """Start changing the guest's reservation ``reservation_id`` (e.g. answering a reminder); with the new
        details already ``wanted`` (``{"time": "21:00"}``, as :attr:`Understanding.slots`) it asks to confirm."""
        self.u = Understanding(text="", language=self.lang)
        result = await self._begin_change(reservation_id, wanted)
        self.state.save(self.ctx.conversation)
        return result

    async def _dispatch(self) -> GuidedResult:
        u, step = self.u, self.state.step
        if u.intent == "reset":
            self.state = GuidedState()
            return self._menu()
        if u.intent == "human":
            self.ctx.turn.handoff = handoff.GUEST_ASKED
            self.state = GuidedState()
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
            self.state = GuidedState()
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
                self.state = GuidedState()
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
            self.state = GuidedState(step="pick_cancel")
            choices = [Choice(f"#{r.id}: {self._summary(r)}", f"cancel {r.id}") for r in mine[:MAX_CHOICES]]
            return self._result(say(self.lang, "which_cancel"), intent="cancel", choices=choices)
        self.state = GuidedState(step="confirm_cancel", reservation_id=picked.id)
        question = say(self.lang, "confirm_cancel", id=picked.id, summary=self._summary(picked))
        return self._result(question, intent="cancel", choices=self._yes_no())

    async def _confirm_cancel(self) -> GuidedResult:
        answer = self.u.yes_no
        if answer is None:  # something else entirely: the reservation stays, the message is read afresh
            self.state = GuidedState()
            return await self._dispatch()
        reservation_id = self.state.reservation_id
        self.state = GuidedState()
        if not answer or self.ctx.guest is None or not isinstance(reservation_id, int):
            return self._result(say(self.lang, "kept"), intent="cancel", choices=self._menu_choices())
        try:
            r = await self._act_on("cancel_reservation", {"reservation_id": reservation_id})
        except DomainError as exc:
            return self._result(self._failure(exc), intent="cancel", choices=self._menu_choices())
        return self._result(
            say(self.lang, "canceled", id=r.id, summary=self._summary(r)),
            intent="cancel",
            understood={"reservation_id": r.id},
        )
