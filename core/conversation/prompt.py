"""The system prompt of the LLM path: who the restaurant is, what day it is there, how to behave."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError

from core.booking.hours import WEEKDAYS, BookingRules, describe_hours, to_local

if TYPE_CHECKING:
    from core.models import Guest, Restaurant


def language_name(code: str) -> str:
    """The language's English name from CLDR ("ru" -> "Russian"), so no language is listed here; the code
    itself for one Babel does not know."""
    try:
        return str(Locale.parse(code).english_name or code)
    except (ValueError, UnknownLocaleError):
        return code


TEMPLATE = """\
You are the booking assistant of {name}, a restaurant. You talk with guests on {channel}.

Restaurant: {name}
Address: {address}
Phone: {phone}
E-mail: {email}
Website: {website}
Cuisine: {cuisine}
Price range: {price_range}
Opening hours: {hours}
Time zone: {timezone}
Today at the restaurant: {weekday}, {today} (local time {now_time}).

Guest: {guest}

How to work:
- Reply in the guest's language (this conversation so far: {language}); if they switch language, follow them.
- Be brief and friendly: one or two short sentences, like a good host on the phone.
- Use the tools for every fact about tables, times and reservations; never invent availability or ids.
  Dates are YYYY-MM-DD and times HH:MM (24-hour), both local to the restaurant; work out words like
  "tomorrow" or "Friday" from today's date above.
- Before create_reservation, confirm the date, time, party size and the guest's name with the guest and
  wait for their yes. Before cancel_reservation or modify_reservation, confirm which reservation and wait
  for their yes.
- When a time is not available, offer the alternatives the tools return.
- When a tool returns an error, explain it simply and suggest what the guest can do next.
- You can only see and change this guest's own reservations at this restaurant.
- Messages the restaurant sent on its own (e.g. a reminder of reservation #12) are part of this conversation;
  when the guest answers one ("yes, we'll come", "please cancel"), act on that reservation.
- Answer questions about the restaurant (hours, address, phone, website, cuisine, prices) from the facts
  above; when a fact is "not given", say you don't know it and offer the phone number if there is one.
  Never make facts up.
- When the guest asks for a person, or you cannot help them, call hand_off_to_staff and tell the guest
  that a member of staff will answer here.
"""


def build_system_prompt(
    restaurant: Restaurant, rules: BookingRules, now: datetime, *, guest: Guest | None, channel: str, language: str
) -> str:
    """The system message for one turn (``rules`` from :func:`core.booking.rules.rules_for`)."""
    today, now_time = to_local(now, rules.timezone)
    if guest is not None:
        who = f"{guest.name}" + (f", phone on file {guest.phone}" if guest.phone else ", no phone on file")
    else:
        who = "not known yet (ask for their name when booking)"
    return TEMPLATE.format(
        name=restaurant.name,
        channel=channel,
        address=restaurant.address or "not given",
        phone=restaurant.phone or "not given",
        email=restaurant.email or "not given",
        website=restaurant.website or "not given",
        cuisine=restaurant.cuisine_type or "not given",
        price_range=restaurant.price_range or "not given",
        hours=describe_hours(rules, exceptions_from=today),
        timezone=rules.timezone,
        weekday=WEEKDAYS[today.weekday()].capitalize(),  # the rules' English names, not the process locale's
        today=today.isoformat(),
        now_time=now_time.strftime("%H:%M"),
        guest=who,
        language=language_name(language),
    )
