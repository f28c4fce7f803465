"""The guided path's answers to questions about the restaurant: its hours (a day's, or whether it is open
now), address, phone, website, cuisine and prices, from its profile; mid-booking, the question asked
before is asked again after the answer."""

from __future__ import annotations

from datetime import date

from core.booking.hours import describe_hours, service_intervals, to_local
from core.booking.rules import rules_for
from core.conversation.guided_base import ASKED_AGAIN, GuidedBase, GuidedResult
from core.conversation.guided_state import GuidedState
from core.conversation.guided_texts import day_label, lang, say, time_label

INFO_FIELDS = {
    "address": "address",
    "phone": "phone",
    "website": "website",
    "cuisine": "cuisine_type",
    "price": "price_range",
}


class GuidedInfo(GuidedBase):
    """Questions about the restaurant, answered from its profile and its opening hours."""

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
        step = self.state.step
        if step in ASKED_AGAIN or step in ("name", "phone"):  # mid-booking: answer, then ask again
            return self._result(text, say(self.lang, f"ask_{step}", **self._ask_values()), intent="info")
        return self._result(text, intent="info", choices=self._menu_choices())

    def _day_hours(self) -> str:
        """That day's hours ("open tomorrow?", "until when on Friday?"), or whether it is open now; the day
        asked about is kept for a booking that follows ("then a table for 2 at 9") unless one is being made."""
        u, rules = self.u, rules_for(self.ctx.restaurant)
        day = u.date or self.today
        if u.date is not None and not self.state.step:  # mid-booking, the request being made stays as it is
            self.state = GuidedState(date=day)
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
        day: date | None = self.state.date
        return {"day": day_label(self.lang, day) if day else "", **self._date_examples()}
