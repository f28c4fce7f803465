"""Availability: which tables are free for a party at a time, every bookable time of a day,
and the nearest free times when the asked one is full. Reads only.

A table is free for a booking ``[start, end)`` when no *active* allocation on it
(reservation status ``created``, ``confirmed`` or ``seated``) covers any of
``[start, end + buffer)``; allocations themselves block ``[starts_at,
blocked_until)`` where ``blocked_until`` is their end plus the buffer in force
when they were made. So the buffer separates seatings in both directions, and
with no buffer back-to-back bookings are allowed. With ``pacing_max_covers``
set, the guests of active reservations starting in the same slot-interval
bucket (local wall-clock, e.g. 19:00-19:15) plus the new party may not exceed it.

Every check reads the active allocations of the window in question with one query
(none per table or per time); the restaurant and its tables are reused while their
rows' fingerprint is unchanged (:func:`load_setting`), else read with one query each.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from core.booking import reads
from core.booking.assignment import best_options, fits, has_option, largest_party
from core.booking.hours import (
    BookingRules,
    candidate_starts,
    check_bookable,
    duration_for,
    parse_local_date,
    parse_local_time,
    to_instant,
    to_local,
)
from core.booking.reads import Booked, Bookings
from core.booking.refusal_reasons import FreeTime
from core.booking.refusals import Reason, Refusal, Refused
from core.booking.rules import rules_for
from core.errors import NotFound
from core.models import Restaurant, Table

#: How many seating options :func:`check_availability` returns at most.
OPTIONS_LIMIT = 10


@dataclass
class Slot:
    """A bookable start with the tables that would be assigned (the best option)."""

    start: datetime
    end: datetime
    tables: list[Table]


@dataclass
class Availability:
    """The answer for one party at one local date and time.

    ``date`` and ``time`` are restaurant-local; ``options`` are the ways to seat the party, best first (a
    single table, or a combination); ``alternatives`` (only when not available) are nearby free times.
    """

    available: bool
    date: date
    time: time
    duration: int
    options: list[list[Table]] = field(default_factory=list)
    alternatives: list[FreeTime] = field(default_factory=list)


# --- the pieces the booking service shares -------------------------------------------------


@dataclass
class Setting:
    """A restaurant with its rules and tables, loaded once per request."""

    restaurant: Restaurant
    rules: BookingRules
    tables: list[Table]
    #: Worked out once per party size: why no table could ever seat it (None: some can), and the
    #: single tables that fit it, best first (see :func:`ensure_seatable`, :func:`options_at`).
    refusals: dict[int, Refusal | None] = field(default_factory=dict, repr=False)
    singles: dict[int, list[Table]] = field(default_factory=dict, repr=False)

    def table(self, table_id: int) -> Table | None:
        """The restaurant's table with this id, or None."""
        return next((t for t in self.tables if t.id == table_id), None)


@dataclass(frozen=True)
class Ask:
    """A request resolved to instants: ``[start, end)`` is the meal, ``until`` adds the buffer."""

    date: date
    time: time
    guests: int
    duration: int
    start: datetime
    end: datetime
    until: datetime

    @property
    def hhmm(self) -> str:
        """The local time as "HH:MM"."""
        return f"{self.time:%H:%M}"


#: Settings by (database, restaurant id) with the row fingerprint they were loaded under.
_settings: OrderedDict[tuple[object, ...], tuple[str, Setting]] = OrderedDict()
SETTINGS_KEPT = 256


async def load_setting(restaurant_id: int) -> Setting:
    """The restaurant, its rules and its tables; ``NotFound`` when there is no such restaurant.

    On PostgreSQL the last one loaded for this restaurant is reused while the fingerprint of its
    rows (:func:`core.booking.reads.setting_version`, one small query) is unchanged, so it is never
    stale; the returned object is shared and must not be changed. Bookings re-read their tables'
    rows under lock anyway (:mod:`core.booking.placement`)."""
    key = (reads.database_key(), restaurant_id)
    version = await reads.setting_version(restaurant_id)
    if version is not None:
        kept = _settings.get(key)
        if kept is not None and kept[0] == version:
            _settings.move_to_end(key)
            return kept[1]
    restaurant = await reads.restaurant(restaurant_id)
    if restaurant is None:
        raise NotFound(f"Restaurant #{restaurant_id} was not found.")
    setting = Setting(restaurant, rules_for(restaurant), await reads.tables(restaurant_id))
    if version is not None:  # loaded after the fingerprint was read: at least as new as it says
        _settings[key] = (version, setting)
        _settings.move_to_end(key)
        while len(_settings) > SETTINGS_KEPT:
            _settings.popitem(last=False)
    return setting


def pacing_bucket(start: datetime, rules: BookingRules) -> tuple[datetime, datetime]:
    """The slot-interval bucket ``[lo, hi)`` containing ``start``, aligned on the local wall clock."""
    interval = rules.slot_interval_minutes
    local = start.astimezone(rules.tz)
    minutes = local.hour * 60 + local.minute
    lo = start - timedelta(minutes=minutes % interval, seconds=local.second, microseconds=local.microsecond)
    return lo, lo + timedelta(minutes=interval)


def resolve(
    setting: Setting,
    date_: str | date,
    time_: str | time,
    guests: int,
    duration: int | None,
    now: datetime | None,
    *,
    seatable: bool = True,
) -> Ask:
    """Parse and place a request in time; with ``now``, also apply the booking rules
    (``BookingRefused`` for the past, outside hours or window); with ``seatable``, refuse a party no
    table can hold (``False`` when staff chose the tables themselves)."""
    rules = setting.rules
    minutes = duration_for(guests, rules, duration)
    d, t = parse_local_date(date_), parse_local_time(time_)
    start = to_instant(d, t, rules.tz)
    if now is not None:
        check_bookable(start, minutes, rules, now)
    if seatable:
        ensure_seatable(setting, guests)
    end = start + timedelta(minutes=minutes)
    return Ask(d, t, guests, minutes, start, end, end + timedelta(minutes=rules.buffer_minutes))


def ensure_seatable(setting: Setting, guests: int) -> None:
    """Refuse (``BookingRefused`` code ``party_too_large``) a party no table or combination could
    ever seat, or one above the pacing cap."""
    if guests not in setting.refusals:  # the answer depends on the setting alone: worked out once
        setting.refusals[guests] = _seating_refusal(setting, guests)
    refusal = setting.refusals[guests]
    if refusal is not None:
        raise Refused(refusal)


def _seating_refusal(setting: Setting, guests: int) -> Refusal | None:
    cap = setting.rules.pacing_max_covers
    largest = largest_party(setting.tables)
    if cap is not None and guests > cap:
        largest = min(largest, cap)
    elif has_option(setting.tables, (), guests):
        return None
    if largest == 0:
        return Refusal(Reason.NO_TABLES, guests=guests)
    if guests > largest:
        return Refusal(Reason.PARTY_TOO_LARGE, guests=guests, max_guests=largest)
    return Refusal(Reason.NO_SUITABLE_TABLE, guests=guests)


async def load_bookings(
    setting: Setting, lo: datetime, hi: datetime, *, exclude_reservation_id: int | None = None
) -> Bookings:
    """Active allocations on the restaurant's tables that touch ``[lo, hi)``: one query."""
    rows = await reads.allocations(
        setting.restaurant.id,
        lo,
        hi,
        exclude_reservation_id,
        with_guests=setting.rules.pacing_max_covers is not None,
        lookback=reads.LOOKBACK + timedelta(minutes=setting.rules.buffer_minutes),
    )
    return Bookings(Booked(*row) for row in rows)


def window(setting: Setting, starts: list[datetime], minutes: int) -> tuple[datetime, datetime]:
    """The span whose allocations matter for bookings of ``minutes`` at ``starts`` (buffer and pacing included)."""
    interval = timedelta(minutes=setting.rules.slot_interval_minutes)
    tail = timedelta(minutes=minutes + setting.rules.buffer_minutes)
    return starts[0] - interval, max(starts[-1] + tail, starts[-1] + interval)


def paced_out(setting: Setting, bookings: Bookings, start: datetime, guests: int) -> bool:
    """True when ``guests`` more arrivals at ``start`` would exceed the pacing cap."""
    cap = setting.rules.pacing_max_covers
    return cap is not None and bookings.covers_starting(*pacing_bucket(start, setting.rules)) + guests > cap


def options_at(
    setting: Setting, bookings: Bookings, start: datetime, until: datetime, guests: int, *, limit: int | None = None
) -> list[list[Table]]:
    """Seating options for ``guests`` over ``[start, until)``, best first (empty when paced out)."""
    if paced_out(setting, bookings, start, guests):
        return []
    busy = bookings.busy(start, until)
    if guests not in setting.singles:  # best_options with nothing busy: its order, filtered below
        ranked = best_options(setting.tables, (), guests)
        setting.singles[guests] = [o[0] for o in ranked] if ranked and len(ranked[0]) == 1 else []
    free = [[t] for t in setting.singles[guests] if t.id not in busy]
    return free[:limit] if free else best_options(setting.tables, busy, guests, limit=limit)


def _is_free(setting: Setting, bookings: Bookings, start: datetime, minutes: int, guests: int) -> bool:
    if paced_out(setting, bookings, start, guests):
        return False
    until = start + timedelta(minutes=minutes + setting.rules.buffer_minutes)
    for table in setting.tables:  # fast path: any single table that fits and is free
        if fits(table, guests) and not any(
            r.starts_at < until and r.blocked_until > start for r in bookings.by_table.get(table.id, ())
        ):
            return True
    return has_option(setting.tables, bookings.busy(start, until), guests)


# --- the public reads ----------------------------------------------------------------------


async def check_availability(
    restaurant_id: int,
    date: str | date,
    time: str | time,
    guests: int,
    *,
    duration: int | None = None,
    now: datetime,
    exclude_reservation_id: int | None = None,
    alternatives_limit: int = 6,
) -> Availability:
    """Whether ``guests`` can be seated at local ``date`` ``time`` (for ``duration`` minutes, default
    from the restaurant's turn times), with the seating options, best first, or alternatives.

    Raises ``BookingRefused`` for a time in the past, outside hours or the booking
    window, or a party no table can ever hold; ``ValidationError`` for a bad date or time.
    ``exclude_reservation_id`` ignores that reservation (checking a modification).
    """
    async with reads.pinned():
        return await _check(
            restaurant_id, date, time, guests, duration, now, exclude_reservation_id, alternatives_limit
        )


async def _check(
    restaurant_id: int,
    date: str | date,
    time: str | time,
    guests: int,
    duration: int | None,
    now: datetime,
    exclude_reservation_id: int | None,
    alternatives_limit: int,
) -> Availability:
    setting = await load_setting(restaurant_id)
    ask = resolve(setting, date, time, guests, duration, now)
    lo, hi = window(setting, [ask.start], ask.duration)
    bookings = await load_bookings(setting, lo, hi, exclude_reservation_id=exclude_reservation_id)
    options = options_at(setting, bookings, ask.start, ask.until, guests, limit=OPTIONS_LIMIT)
    result = Availability(bool(options), ask.date, ask.time, ask.duration, options)
    if not options and alternatives_limit > 0:
        result.alternatives = await nearest_free(
            setting, ask, now=now, limit=alternatives_limit, exclude_reservation_id=exclude_reservation_id
        )
    return result


async def day_slots(
    restaurant_id: int, date: str | date, guests: int, *, duration: int | None = None, now: datetime
) -> list[Slot]:
    """Every bookable start of local ``date`` for ``guests``, with the tables that would be assigned."""
    async with reads.pinned():
        setting = await load_setting(restaurant_id)
        return await _day_slots(setting, date, guests, duration, now)


async def _day_candidates(
    setting: Setting,
    date: str | date,
    guests: int,
    duration: int | None,
    now: datetime,
    exclude_reservation_id: int | None = None,
) -> tuple[int, list[datetime], Bookings | None]:
    """The duration, the day's candidate starts and the bookings around them (None when no start)."""
    minutes = duration_for(guests, setting.rules, duration)
    ensure_seatable(setting, guests)
    starts = candidate_starts(parse_local_date(date), minutes, setting.rules, now)
    if not starts:
        return minutes, starts, None
    bookings = await load_bookings(
        setting, *window(setting, starts, minutes), exclude_reservation_id=exclude_reservation_id
    )
    return minutes, starts, bookings


async def _day_slots(
    setting: Setting, date: str | date, guests: int, duration: int | None, now: datetime
) -> list[Slot]:
    minutes, starts, bookings = await _day_candidates(setting, date, guests, duration, now)
    if bookings is None:
        return []
    slots = []
    tail = timedelta(minutes=minutes + setting.rules.buffer_minutes)
    for start in starts:
        options = options_at(setting, bookings, start, start + tail, guests, limit=1)
        if options:
            slots.append(Slot(start, start + timedelta(minutes=minutes), options[0]))
    return slots


async def day_view(
    restaurant_id: int,
    date: str | date,
    guests: int,
    *,
    duration: int | None = None,
    now: datetime,
    exclude_reservation_id: int | None = None,
) -> list[time]:
    """Every bookable start (a local time) of local ``date`` for ``guests``, in order.

    Starts after midnight that belong to the previous evening's service are
    listed under the date they fall on. ``BookingRefused`` for a party no table
    can ever hold. ``exclude_reservation_id`` ignores that reservation (the times it could move to).
    """
    async with reads.pinned():
        setting = await load_setting(restaurant_id)
        return await _day_view(setting, date, guests, duration, now, exclude_reservation_id)


async def _day_view(
    setting: Setting,
    date: str | date,
    guests: int,
    duration: int | None,
    now: datetime,
    exclude_reservation_id: int | None = None,
) -> list[time]:
    minutes, starts, bookings = await _day_candidates(setting, date, guests, duration, now, exclude_reservation_id)
    if bookings is None:
        return []
    zone = setting.rules.tz
    return [s.astimezone(zone).time() for s in starts if _is_free(setting, bookings, s, minutes, guests)]


async def nearest_free(
    setting: Setting,
    ask: Ask,
    *,
    now: datetime,
    limit: int = 6,
    days_ahead: int = 7,
    exclude_reservation_id: int | None = None,
) -> list[FreeTime]:
    """Free starts near ``ask`` (restaurant-local): the same day ordered by distance (earlier first on a tie),
    then the following ``days_ahead`` days, each ordered by distance from the same clock time. One query per day."""
    found: list[FreeTime] = []
    for offset in range(days_ahead + 1):
        if len(found) >= limit:
            break
        day = ask.date + timedelta(days=offset)
        free = await _free_near(setting, ask, day, now, exclude_reservation_id)
        zone = setting.rules.tz
        found += [FreeTime(day, s.astimezone(zone).time()) for s in free[: limit - len(found)]]
    return found


async def _free_near(
    setting: Setting, ask: Ask, day: date, now: datetime, exclude_reservation_id: int | None
) -> list[datetime]:
    """The free starts on ``day`` other than the asked one: on the asked day by distance from it (earlier
    first on a tie), on another by distance from the same clock time."""
    starts = [s for s in candidate_starts(day, ask.duration, setting.rules, now) if s != ask.start]
    if not starts:
        return []
    bookings = await load_bookings(
        setting, *window(setting, starts, ask.duration), exclude_reservation_id=exclude_reservation_id
    )
    free = [s for s in starts if _is_free(setting, bookings, s, ask.duration, ask.guests)]
    if day == ask.date:
        free.sort(key=lambda s: (abs(s - ask.start), s))
    else:
        target = ask.time.hour * 60 + ask.time.minute
        free.sort(key=lambda s: (abs(_wall_minutes(s, setting) - target), s))
    return free


def _wall_minutes(instant: datetime, setting: Setting) -> int:
    t = to_local(instant, setting.rules.tz)[1]
    return t.hour * 60 + t.minute


async def find_alternatives(
    restaurant_id: int,
    date: str | date,
    time: str | time,
    guests: int,
    *,
    duration: int | None = None,
    now: datetime,
    limit: int = 6,
    days_ahead: int = 7,
    exclude_reservation_id: int | None = None,
) -> list[FreeTime]:
    """The nearest free times for ``guests`` around local ``date`` ``time``
    (which itself is never listed): the same day first (earlier and later, by distance), then the
    following days. The asked time need not be bookable (e.g. already past); a party no table
    can hold raises ``BookingRefused``."""
    async with reads.pinned():
        setting = await load_setting(restaurant_id)
        ask = resolve(setting, date, time, guests, duration, None)
        return await nearest_free(
            setting, ask, now=now, limit=limit, days_ahead=days_ahead, exclude_reservation_id=exclude_reservation_id
        )
