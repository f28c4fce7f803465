"""Opening hours, time zones and the booking window (core.booking.hours): pure functions, fixed clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.booking.hours import (
    BookingRules,
    candidate_starts,
    check_bookable,
    describe_hours,
    duration_for,
    parse_local_date,
    parse_local_time,
    service_intervals,
    to_instant,
    to_local,
    validate_exceptions,
    validate_opening_hours,
    validate_timezone,
    validate_turn_times,
)
from core.errors import BookingRefused, ValidationError

LUNCH = {"open": "12:00", "close": "15:00"}
DINNER = {"open": "18:00", "close": "23:00"}
LATE = {"open": "18:00", "close": "02:00"}
WEEK = {
    "monday": [LUNCH, DINNER],
    "tuesday": [LUNCH, DINNER],
    "wednesday": [LUNCH, DINNER],
    "thursday": [LUNCH, DINNER],
    "friday": [LUNCH, LATE],
    "saturday": [LATE],
    # sunday missing: closed
}
# Monday 1 June 2026, 08:00 UTC = 09:00 in London (BST).
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
LONDON = BookingRules(timezone="Europe/London", opening_hours=WEEK)


def at(rules: BookingRules, day: str, hhmm: str) -> datetime:
    return to_instant(parse_local_date(day), parse_local_time(hhmm), rules.tz)


def refused(start: datetime, minutes: int, rules: BookingRules = LONDON, now: datetime = NOW) -> BookingRefused:
    with pytest.raises(BookingRefused) as info:
        check_bookable(start, minutes, rules, now)
    return info.value


def local_times(starts: list[datetime], rules: BookingRules) -> list[str]:
    return [f"{to_local(s, rules.tz)[1]:%H:%M}" for s in starts]


# --- validation ----------------------------------------------------------------------------


def test_validate_timezone_accepts_iana_names():
    assert validate_timezone("Europe/Berlin") == "Europe/Berlin"
    assert validate_timezone(" America/New_York ") == "America/New_York"


@pytest.mark.parametrize("bad", ["Europe/Mars", "../etc/passwd", "", None, 3])
def test_validate_timezone_refuses_unknown(bad):
    with pytest.raises(ValidationError) as info:
        validate_timezone(bad)
    if bad == "Europe/Mars":
        assert info.value.message == "unknown time zone 'Europe/Mars'"


def test_validate_opening_hours_normalises():
    out = validate_opening_hours(
        {
            "Monday": [{"open": "18:00", "close": "24:00"}, {"open": "9:30", "close": "14:00"}],
            "friday": {"open": "18:00", "close": "02:00"},
            "sunday": None,
        }
    )
    assert list(out) == ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    assert out["monday"] == [{"open": "09:30", "close": "14:00"}, {"open": "18:00", "close": "00:00"}]
    assert out["friday"] == [{"open": "18:00", "close": "02:00"}]
    assert out["tuesday"] == [] and out["sunday"] == []
    assert validate_opening_hours(None) == {day: [] for day in out}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"mon": []}, "unknown weekday 'mon'"),
        ({"monday": [LUNCH, {"open": "18:00", "close": "25:00"}]}, "monday[1].close must be HH:MM"),
        ({"monday": [{"open": "noon", "close": "15:00"}]}, "monday[0].open must be HH:MM"),
        ({"monday": [{"open": "12:00"}]}, "monday[0].close must be HH:MM"),
        ({"monday": [{"open": "12:00", "close": "15:00", "kitchen": "14:30"}]}, "monday[0] has unknown key 'kitchen'"),
        ({"monday": "12:00-15:00"}, "monday must be a list of {open, close} intervals"),
        ({"monday": ["12:00-15:00"]}, "monday[0] must be an object with open and close"),
        ({"monday": [LUNCH, {"open": "14:00", "close": "16:00"}]}, "monday: 14:00-16:00 overlaps 12:00-15:00"),
        (["monday"], "opening hours must be an object keyed by weekday"),
    ],
)
def test_validate_opening_hours_names_the_bad_entry(value, message):
    with pytest.raises(ValidationError) as info:
        validate_opening_hours(value)
    assert info.value.message == message


def test_validate_exceptions():
    assert validate_exceptions({"2026-12-31": [{"open": "18:00", "close": "1:00"}], "2026-12-25": []}) == {
        "2026-12-25": [],
        "2026-12-31": [{"open": "18:00", "close": "01:00"}],
    }
    assert validate_exceptions(None) == {}
    with pytest.raises(ValidationError, match=r"exception date '2026-02-30' must be a real date"):
        validate_exceptions({"2026-02-30": []})
    with pytest.raises(ValidationError) as info:
        validate_exceptions({"2026-12-31": [{"open": "6pm", "close": "01:00"}]})
    assert info.value.message == "2026-12-31[0].open must be HH:MM"


def test_validate_turn_times():
    raw = [{"minGuests": 1, "maxGuests": 2, "minutes": 90}, {"minGuests": 7, "minutes": 150}]
    assert validate_turn_times(raw) == raw
    assert validate_turn_times(None) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([{"minGuests": 1, "maxGuests": 2}], "turnTimes[0].minutes must be a whole number between 15 and 720"),
        ([{"minGuests": 1, "minutes": 10}], "turnTimes[0].minutes must be a whole number between 15 and 720"),
        ([{"minGuests": 0, "minutes": 90}], "turnTimes[0].minGuests must be a whole number at least 1"),
        ([{"minGuests": 5, "maxGuests": 4, "minutes": 90}], "turnTimes[0].maxGuests must be a whole number at least 5"),
        ([{"minGuests": True, "minutes": 90}], "turnTimes[0].minGuests must be a whole number at least 1"),
        ([{"minGuests": 1, "minutes": 90, "max": 3}], "turnTimes[0] has unknown key 'max'"),
        ("90", "turnTimes must be a list"),
    ],
)
def test_validate_turn_times_names_the_bad_entry(value, message):
    with pytest.raises(ValidationError) as info:
        validate_turn_times(value)
    assert info.value.message == message


def test_booking_rules_defaults_and_normalisation():
    rules = BookingRules()
    assert (rules.timezone, rules.min_notice_minutes, rules.max_advance_days) == ("UTC", 30, 60)
    assert (rules.slot_interval_minutes, rules.default_duration, rules.buffer_minutes) == (15, 120, 0)
    assert rules.last_seating_minutes is None and rules.pacing_max_covers is None
    assert rules.tz == ZoneInfo("UTC")
    assert rules.opening_hours["monday"] == [] and rules.turn_times == ()
    assert LONDON.tz == ZoneInfo("Europe/London")
    assert LONDON.opening_hours["sunday"] == []


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"timezone": "Europe/Mars"}, "unknown time zone"),
        ({"opening_hours": {"mon": []}}, "unknown weekday"),
        ({"slot_interval_minutes": 0}, "slotIntervalMinutes"),
        ({"min_notice_minutes": -1}, "minNoticeMinutes"),
        ({"default_duration": 5}, "defaultDuration"),
        ({"last_seating_minutes": -5}, "lastSeatingMinutes"),
    ],
)
def test_booking_rules_refuse_bad_values(kwargs, fragment):
    with pytest.raises(ValidationError, match=fragment):
        BookingRules(**kwargs)


# --- parsing and conversion ----------------------------------------------------------------


def test_parse_local_date_and_time():
    assert parse_local_date("2026-12-31") == date(2026, 12, 31)
    assert parse_local_time("19:30") == time(19, 30)
    assert parse_local_time("7:05") == time(7, 5)
    assert parse_local_time("19:30:15") == time(19, 30, 15)


@pytest.mark.parametrize("bad", ["2026-02-30", "2026/12/31", "20261231", "31-12-2026", "", None, "2026-12-31T19:00"])
def test_parse_local_date_refuses(bad):
    with pytest.raises(ValidationError, match="use YYYY-MM-DD"):
        parse_local_date(bad)


@pytest.mark.parametrize("bad", ["24:00", "12:60", "7pm", "19", "19:30:61", "", None])
def test_parse_local_time_refuses(bad):
    with pytest.raises(ValidationError, match="use HH:MM"):
        parse_local_time(bad)


def test_to_instant_and_to_local():
    assert to_instant(date(2026, 6, 5), time(19, 0), "Europe/London") == datetime(2026, 6, 5, 18, 0, tzinfo=UTC)
    assert to_instant(date(2026, 1, 5), time(19, 0), "Europe/London") == datetime(2026, 1, 5, 19, 0, tzinfo=UTC)
    ny = ZoneInfo("America/New_York")
    assert to_instant(date(2026, 7, 4), time(19, 0), ny) == datetime(2026, 7, 4, 23, 0, tzinfo=UTC)
    assert to_local(datetime(2026, 7, 5, 3, 30, tzinfo=UTC), ny) == (date(2026, 7, 4), time(23, 30))
    assert to_instant(date(2026, 7, 4), time(19, 0), ny).tzinfo is UTC
    with pytest.raises(ValueError):
        to_local(datetime(2026, 7, 5, 3, 30), ny)


@pytest.mark.parametrize(
    ("zone", "day", "hhmm"),
    [
        ("Europe/Berlin", "2026-03-29", "02:30"),
        ("Europe/London", "2026-03-29", "01:15"),
        ("America/New_York", "2026-03-08", "02:00"),
    ],
)
def test_nonexistent_local_time_is_refused(zone, day, hhmm):
    with pytest.raises(BookingRefused) as info:
        to_instant(parse_local_date(day), parse_local_time(hhmm), zone)
    assert info.value.code == "nonexistent_time"
    assert f"There is no {hhmm} on Sunday" in info.value.message and "clocks go forward" in info.value.message


def test_ambiguous_local_time_is_the_first_occurrence():
    berlin = ZoneInfo("Europe/Berlin")
    first = to_instant(date(2026, 10, 25), time(2, 30), berlin)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = first + timedelta(hours=1)  # 02:30 CET
    d, t = to_local(second, berlin)
    assert (d, t, t.fold) == (date(2026, 10, 25), time(2, 30), 1)
    assert to_instant(d, t, berlin) == second  # to_local keeps fold, so it round-trips


# --- durations -----------------------------------------------------------------------------


def test_duration_for():
    rules = BookingRules(
        turn_times=[
            {"minGuests": 1, "maxGuests": 2, "minutes": 90},
            {"minGuests": 7, "minutes": 150},
            {"minGuests": 1, "minutes": 60},
        ]
    )
    assert [duration_for(n, rules) for n in (1, 2, 3, 6, 7, 40)] == [90, 90, 60, 60, 150, 150]
    assert duration_for(4, BookingRules()) == 120
    assert duration_for(4, BookingRules(default_duration=100)) == 100
    assert duration_for(2, rules, requested=45) == 45
    assert duration_for(2, rules, requested=15) == 15 and duration_for(2, rules, requested=720) == 720


@pytest.mark.parametrize("requested", [14, 721, 0, True, "90"])
def test_duration_for_refuses_bad_requested(requested):
    with pytest.raises(ValidationError, match="between 15 and 720 minutes"):
        duration_for(2, BookingRules(), requested=requested)


def test_duration_for_refuses_empty_party():
    with pytest.raises(ValidationError, match="at least 1 guest"):
        duration_for(0, BookingRules())


# --- service intervals ---------------------------------------------------------------------


def test_service_intervals_lunch_and_dinner_and_past_midnight():
    assert service_intervals(date(2026, 6, 1), LONDON) == [
        (at(LONDON, "2026-06-01", "12:00"), at(LONDON, "2026-06-01", "15:00")),
        (at(LONDON, "2026-06-01", "18:00"), at(LONDON, "2026-06-01", "23:00")),
    ]
    assert service_intervals(date(2026, 6, 6), LONDON) == [
        (at(LONDON, "2026-06-06", "18:00"), at(LONDON, "2026-06-07", "02:00")),
    ]
    assert service_intervals(date(2026, 6, 7), LONDON) == []
    midnight = BookingRules(opening_hours={"monday": [{"open": "18:00", "close": "00:00"}]})
    ((opens, closes),) = service_intervals(date(2026, 6, 1), midnight)
    assert closes - opens == timedelta(hours=6)


def test_service_intervals_use_exceptions():
    rules = BookingRules(
        timezone="Europe/London",
        opening_hours=WEEK,
        exceptions={"2026-12-31": [{"open": "18:00", "close": "01:00"}], "2026-12-25": []},
    )
    assert service_intervals(date(2026, 12, 25), rules) == []  # a Friday, normally open
    assert service_intervals(date(2026, 12, 31), rules) == [
        (datetime(2026, 12, 31, 18, 0, tzinfo=UTC), datetime(2027, 1, 1, 1, 0, tzinfo=UTC)),
    ]


def test_service_intervals_across_dst_are_real_time():
    berlin = BookingRules(timezone="Europe/Berlin", opening_hours={"saturday": [{"open": "18:00", "close": "04:00"}]})
    ((opens, closes),) = service_intervals(date(2026, 3, 28), berlin)  # clocks go forward that night
    assert closes - opens == timedelta(hours=9)
    ((opens, closes),) = service_intervals(date(2026, 10, 24), berlin)  # clocks go back that night
    assert closes - opens == timedelta(hours=11)
    gap = BookingRules(timezone="Europe/Berlin", opening_hours={"sunday": [{"open": "02:30", "close": "06:00"}]})
    ((opens, _),) = service_intervals(date(2026, 3, 29), gap)
    assert to_local(opens, gap.tz) == (date(2026, 3, 29), time(3, 30))  # shifted forward by the gap


# --- check_bookable: the window ------------------------------------------------------------


def test_bookable_start_passes():
    check_bookable(at(LONDON, "2026-06-01", "19:00"), 120, LONDON, NOW)
    check_bookable(at(LONDON, "2026-06-01", "12:07"), 90, LONDON, NOW)  # any minute is fine


def test_in_past():
    err = refused(at(LONDON, "2026-06-01", "12:00"), 60, now=at(LONDON, "2026-06-01", "13:00"))
    assert (err.code, err.message) == ("in_past", "That time has already passed.")


def test_minimum_notice():
    now = at(LONDON, "2026-06-01", "12:00")
    err = refused(at(LONDON, "2026-06-01", "12:20"), 60, now=now)
    assert (err.code, err.message) == ("too_soon", "We need at least 30 minutes' notice.")
    check_bookable(at(LONDON, "2026-06-01", "12:30"), 60, LONDON, now)  # exactly the notice is fine
    two_hours = BookingRules(timezone="Europe/London", opening_hours=WEEK, min_notice_minutes=120)
    assert refused(at(LONDON, "2026-06-01", "13:00"), 60, two_hours, now).message == (
        "We need at least 2 hours' notice."
    )
    no_notice = BookingRules(timezone="Europe/London", opening_hours=WEEK, min_notice_minutes=0)
    check_bookable(now, 60, no_notice, now)


def test_far_ahead_limit_counts_from_now_to_start():
    now = at(LONDON, "2026-06-01", "12:00")
    check_bookable(at(LONDON, "2026-07-31", "12:00"), 120, LONDON, now)  # exactly 60 days
    err = refused(at(LONDON, "2026-07-31", "12:01"), 120, now=now)
    assert (err.code, err.message) == ("too_far", "We take bookings up to 60 days ahead.")
    week = BookingRules(timezone="Europe/London", opening_hours=WEEK, max_advance_days=7)
    assert refused(at(LONDON, "2026-06-09", "12:00"), 60, week, now).message == "We take bookings up to 7 days ahead."


def test_naive_datetimes_are_a_programming_error():
    with pytest.raises(ValueError):
        check_bookable(datetime(2026, 6, 1, 19, 0), 60, LONDON, NOW)
    with pytest.raises(ValueError):
        check_bookable(at(LONDON, "2026-06-01", "19:00"), 60, LONDON, datetime(2026, 6, 1, 8, 0))


# --- check_bookable: the hours -------------------------------------------------------------


def test_closed_day():
    rules = BookingRules(timezone="Europe/London", opening_hours={"monday": [LUNCH]})
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    err = refused(at(rules, "2026-12-01", "19:00"), 60, rules, now)
    assert (err.code, err.message) == ("closed", "We are closed on Tuesday, 1 December.")
    assert refused(at(LONDON, "2026-06-07", "13:00"), 60).code == "closed"  # Sunday: missing day


def test_outside_hours_lists_the_days_hours():
    err = refused(at(LONDON, "2026-06-01", "16:00"), 60)
    assert err.code == "outside_hours"
    assert err.message == "That time is outside our opening hours (12:00-15:00, 18:00-23:00)."
    assert refused(at(LONDON, "2026-06-01", "23:00"), 30).code == "outside_hours"  # close is exclusive
    check_bookable(at(LONDON, "2026-06-01", "18:00"), 30, LONDON, NOW)  # open is inclusive


def test_ends_after_close():
    err = refused(at(LONDON, "2026-06-01", "13:30"), 120)
    assert err.code == "ends_after_close"
    assert "would end after we close at 15:00" in err.message and "latest start for that length is 13:00" in err.message
    assert err.message.startswith("A 120-minute booking at 13:30 would end")
    check_bookable(at(LONDON, "2026-06-01", "13:00"), 120, LONDON, NOW)  # ends exactly at close


def test_past_midnight_belongs_to_the_previous_day():
    # Friday 18:00-02:00: "Saturday 00:30" is part of Friday's service.
    check_bookable(at(LONDON, "2026-06-06", "00:30"), 90, LONDON, NOW)
    assert refused(at(LONDON, "2026-06-06", "01:30"), 90).code == "ends_after_close"
    assert refused(at(LONDON, "2026-06-06", "02:00"), 30).code == "outside_hours"
    check_bookable(at(LONDON, "2026-06-05", "23:30"), 150, LONDON, NOW)
    # Saturday 18:00-02:00 runs into Sunday, which has no hours of its own.
    check_bookable(at(LONDON, "2026-06-07", "00:15"), 90, LONDON, NOW)
    assert refused(at(LONDON, "2026-06-07", "03:00"), 60).code == "closed"


def test_close_at_midnight():
    rules = BookingRules(opening_hours={"monday": [{"open": "18:00", "close": "00:00"}]})
    check_bookable(datetime(2026, 6, 1, 22, 0, tzinfo=UTC), 120, rules, NOW)
    assert refused(datetime(2026, 6, 1, 22, 30, tzinfo=UTC), 120, rules).code == "ends_after_close"


def test_last_seating_lets_the_meal_run_past_close():
    rules = BookingRules(timezone="Europe/London", opening_hours=WEEK, last_seating_minutes=30)
    check_bookable(at(rules, "2026-06-01", "22:30"), 120, rules, NOW)  # ends 00:30, after close: fine
    err = refused(at(rules, "2026-06-01", "22:31"), 15, rules)
    assert err.code == "outside_hours"
    assert err.message == "Our last seating is at 22:30 (we close at 23:00)."
    zero = BookingRules(timezone="Europe/London", opening_hours=WEEK, last_seating_minutes=0)
    check_bookable(at(zero, "2026-06-01", "22:59"), 120, zero, NOW)


def test_exceptions_close_a_date_and_change_hours():
    rules = BookingRules(
        timezone="Europe/London",
        opening_hours=WEEK,
        exceptions={"2026-12-31": [{"open": "18:00", "close": "01:00"}], "2026-12-25": []},
    )
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    err = refused(at(rules, "2026-12-25", "13:00"), 60, rules, now)
    assert (err.code, err.message) == ("closed", "We are closed on Friday, 25 December.")
    check_bookable(at(rules, "2026-12-24", "13:00"), 60, rules, now)  # the Thursday before is normal
    assert refused(at(rules, "2026-12-31", "13:00"), 60, rules, now).code == "outside_hours"  # no lunch that day
    check_bookable(at(rules, "2027-01-01", "00:00"), 60, rules, now)  # New Year's Eve runs to 01:00
    # 1 January is a Friday: its own weekday hours still apply during the day.
    check_bookable(at(rules, "2027-01-01", "12:00"), 60, rules, now)


# --- check_bookable: DST -------------------------------------------------------------------

BERLIN = BookingRules(timezone="Europe/Berlin", opening_hours={"saturday": [{"open": "18:00", "close": "03:30"}]})


def test_spring_forward_durations_are_real_time():
    now = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    start = at(BERLIN, "2026-03-29", "00:30")
    end = start + timedelta(minutes=120)
    assert end - start == timedelta(hours=2)
    assert to_local(end, BERLIN.tz) == (date(2026, 3, 29), time(3, 30))  # 03:30 local, two real hours later
    check_bookable(start, 120, BERLIN, now)  # ends exactly at the 03:30 close
    assert refused(start, 150, BERLIN, now).code == "ends_after_close"
    # A start handed in with the restaurant's tzinfo is still measured in real minutes.
    local_start = datetime(2026, 3, 29, 0, 30, tzinfo=BERLIN.tz)
    assert refused(local_start, 150, BERLIN, now).code == "ends_after_close"


def test_spring_forward_gap_time_is_refused_before_checking():
    with pytest.raises(BookingRefused) as info:
        at(BERLIN, "2026-03-29", "02:30")
    assert info.value.code == "nonexistent_time"


def test_fall_back_durations_are_real_time():
    now = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
    start = at(BERLIN, "2026-10-25", "00:30")  # 00:30 CEST; close 03:30 CET is 4 real hours later
    check_bookable(start, 240, BERLIN, now)
    assert refused(start, 241, BERLIN, now).code == "ends_after_close"
    first = at(BERLIN, "2026-10-25", "02:30")  # ambiguous: the first (CEST) occurrence
    check_bookable(first, 120, BERLIN, now)
    assert refused(first, 121, BERLIN, now).code == "ends_after_close"


def test_new_york():
    ny = BookingRules(
        timezone="America/New_York",
        opening_hours={day: [{"open": "17:00", "close": "22:00"}] for day in ("saturday", "sunday")},
    )
    now = datetime(2026, 7, 3, 12, 0, tzinfo=UTC)
    start = at(ny, "2026-07-04", "17:00")
    assert start == datetime(2026, 7, 4, 21, 0, tzinfo=UTC)
    check_bookable(start, 120, ny, now)
    # 21:30 New York is 01:30 UTC the next day: still Saturday's hours locally.
    assert refused(at(ny, "2026-07-04", "21:30"), 60, ny, now).code == "ends_after_close"
    assert refused(at(ny, "2026-07-04", "16:00"), 60, ny, now).message == (
        "That time is outside our opening hours (17:00-22:00)."
    )
    assert refused(at(ny, "2026-07-06", "18:00"), 60, ny, now).message == "We are closed on Monday, 6 July."


# --- candidate_starts ----------------------------------------------------------------------


def test_candidate_starts_lunch_count():
    rules = BookingRules(opening_hours={"monday": [LUNCH]})
    starts = candidate_starts(date(2026, 6, 1), 120, rules, NOW)
    assert local_times(starts, rules) == ["12:00", "12:15", "12:30", "12:45", "13:00"]


def test_candidate_starts_lunch_and_dinner():
    starts = candidate_starts(date(2026, 6, 1), 120, LONDON, NOW)
    assert len(starts) == 5 + 13  # 12:00..13:00 and 18:00..21:00
    assert local_times(starts, LONDON)[4:6] == ["13:00", "18:00"]
    assert starts == sorted(set(starts))


def test_candidate_starts_respect_notice_and_interval():
    now = at(LONDON, "2026-06-01", "12:20")
    starts = candidate_starts(date(2026, 6, 1), 60, LONDON, now)
    assert local_times(starts, LONDON)[:2] == ["13:00", "13:15"]  # 12:50 is off-grid, 12:45 too soon
    half = BookingRules(timezone="Europe/London", opening_hours=WEEK, slot_interval_minutes=30)
    assert local_times(candidate_starts(date(2026, 6, 1), 120, half, NOW), half) == [
        "12:00",
        "12:30",
        "13:00",
        "18:00",
        "18:30",
        "19:00",
        "19:30",
        "20:00",
        "20:30",
        "21:00",
    ]


def test_candidate_starts_include_the_previous_nights_tail():
    saturday = candidate_starts(date(2026, 6, 6), 90, LONDON, NOW)
    times = local_times(saturday, LONDON)
    assert times[:3] == ["00:00", "00:15", "00:30"] and times[3] == "18:00"
    assert all(to_local(s, LONDON.tz)[0] == date(2026, 6, 6) for s in saturday)
    friday = local_times(candidate_starts(date(2026, 6, 5), 90, LONDON, NOW), LONDON)
    assert friday[-1] == "23:45"  # Friday's own offers stop at midnight


def test_candidate_starts_with_last_seating_and_closures():
    rules = BookingRules(opening_hours={"monday": [LUNCH]}, last_seating_minutes=60, exceptions={"2026-06-08": []})
    assert local_times(candidate_starts(date(2026, 6, 1), 120, rules, NOW), rules)[-1] == "14:00"
    assert candidate_starts(date(2026, 6, 8), 120, rules, NOW) == []
    assert candidate_starts(date(2026, 5, 25), 120, rules, NOW) == []  # in the past
    assert candidate_starts(date(2026, 8, 3), 120, rules, NOW) == []  # too far ahead


def test_candidate_starts_on_dst_days():
    rules = BookingRules(
        timezone="Europe/Berlin",
        opening_hours={"sunday": [{"open": "00:00", "close": "06:00"}]},
        slot_interval_minutes=30,
    )
    spring = local_times(candidate_starts(date(2026, 3, 29), 60, rules, datetime(2026, 3, 20, tzinfo=UTC)), rules)
    assert spring == ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00"]
    autumn = candidate_starts(date(2026, 10, 25), 60, rules, datetime(2026, 10, 20, tzinfo=UTC))
    # 02:00 and 02:30 happen twice; each is offered once (first occurrence), as a guest would ask for it.
    assert local_times(autumn, rules) == [
        "00:00",
        "00:30",
        "01:00",
        "01:30",
        "02:00",
        "02:30",
        "03:00",
        "03:30",
        "04:00",
        "04:30",
        "05:00",
    ]


# --- describe_hours ------------------------------------------------------------------------


def test_describe_hours():
    rules = BookingRules(
        opening_hours={
            **{d: [LUNCH, DINNER] for d in ("monday", "tuesday", "wednesday", "thursday", "friday")},
            "saturday": [LATE],
        }
    )
    assert describe_hours(rules) == "Mon-Fri 12:00-15:00, 18:00-23:00; Sat 18:00-02:00; Sun closed"
    assert describe_hours(LONDON) == (
        "Mon-Thu 12:00-15:00, 18:00-23:00; Fri 12:00-15:00, 18:00-02:00; Sat 18:00-02:00; Sun closed"
    )
    split = BookingRules(opening_hours={"monday": [LUNCH], "wednesday": [LUNCH], "thursday": [LUNCH]})
    assert describe_hours(split) == "Mon, Wed-Thu 12:00-15:00; Tue, Fri-Sun closed"
    assert describe_hours(BookingRules()) == "Mon-Sun closed"


def test_describe_hours_with_exceptions():
    rules = BookingRules(
        opening_hours={"friday": [LUNCH]},
        exceptions={"2026-01-01": [], "2026-12-25": [], "2026-12-31": [{"open": "18:00", "close": "01:00"}]},
    )
    assert describe_hours(rules) == "Mon-Thu, Sat-Sun closed; Fri 12:00-15:00"  # groups ordered by first day
    assert describe_hours(rules, exceptions_from=date(2026, 12, 1)) == (
        "Mon-Thu, Sat-Sun closed; Fri 12:00-15:00; Fri 25 Dec closed; Thu 31 Dec 18:00-01:00"
    )


# --- properties ----------------------------------------------------------------------------

ZONES = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]


def hhmm(minutes: int) -> str:
    return f"{minutes % 1440 // 60:02d}:{minutes % 60:02d}"


@st.composite
def day_hours(draw):
    """1-2 non-overlapping intervals (mostly an hour or more); the last may run past midnight (up to 24 hours)."""
    opens = sorted(draw(st.sets(st.integers(0, 1439), min_size=1, max_size=2)))
    limits = [b - a for a, b in zip(opens, opens[1:], strict=False)] + [1440]
    lengths = [draw(st.integers(min(limit, 60), limit) | st.integers(1, limit)) for limit in limits]
    return [{"open": hhmm(o), "close": hhmm(o + n)} for o, n in zip(opens, lengths, strict=True)]


@st.composite
def rules_strategy(draw):
    return BookingRules(
        opening_hours={day: draw(day_hours()) for day in LONDON.opening_hours},
        timezone=draw(st.sampled_from(ZONES)),
        min_notice_minutes=draw(st.integers(0, 240)),
        max_advance_days=draw(st.integers(0, 60)),
        slot_interval_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 45, 60])),
        last_seating_minutes=draw(st.none() | st.integers(0, 120)),
    )


instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))


@settings(max_examples=150, deadline=None)
@given(rules=rules_strategy(), now=instants, offset=st.integers(-1, 8), minutes=st.integers(15, 300))
def test_every_candidate_start_is_bookable_on_its_date(rules, now, offset, minutes):
    day = to_local(now, rules.tz)[0] + timedelta(days=offset)
    starts = candidate_starts(day, minutes, rules, now)
    assert starts == sorted(set(starts))
    for start in starts:
        check_bookable(start, minutes, rules, now)
        d, t = to_local(start, rules.tz)
        assert d == day
        assert to_instant(d, parse_local_time(f"{t:%H:%M}"), rules.tz) == start  # what a guest asks for


@given(instant=instants, zone=st.sampled_from(ZONES))
def test_instant_round_trips_through_local(instant, zone):
    assert to_instant(*to_local(instant, zone), zone) == instant


@given(
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)), t=st.times(), zone=st.sampled_from(ZONES)
)
def test_local_round_trips_outside_gaps(day, t, zone):
    try:
        instant = to_instant(day, t, zone)
    except BookingRefused as err:
        assert err.code == "nonexistent_time"
        return
    assert to_local(instant, zone) == (day, t)
