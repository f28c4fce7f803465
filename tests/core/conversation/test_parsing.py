"""What guests write, read by core.conversation.parsing: pure functions, a fixed ``today``."""

from __future__ import annotations

import dataclasses
from datetime import date, time

import pytest

from core.conversation.parsing import (
    ParsedRequest,
    detect_language,
    find_phone,
    parse_date,
    parse_party_size,
    parse_request,
    parse_time,
    parse_yes_no,
    wants_booking,
    wants_cancel,
    wants_list,
)

TODAY = date(2026, 11, 25)  # a Wednesday
assert TODAY.weekday() == 2


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# (message, date, time, party size) as a guest would write them.
CORPUS = [
    # English
    ("tomorrow at 7pm", d(11, 26), time(19, 0), None),
    ("Friday 19:30", d(11, 27), time(19, 30), None),
    ("4 people", None, None, 4),
    ("Hi! Can I get a table for 4 tomorrow at 7pm?", d(11, 26), time(19, 0), 4),
    ("table for two on Dec 5 at 8", d(12, 5), time(20, 0), 2),
    ("Could we book a table for 6 this Saturday at 8:30pm?", d(11, 28), time(20, 30), 6),
    ("Party of 3, next Friday around 7", d(12, 4), time(19, 0), 3),
    ("We are 5, tonight at 9", d(11, 25), time(21, 0), 5),
    ("Just me, lunch tomorrow at 1", d(11, 26), time(13, 0), 1),
    ("Me and my wife on the 5th of December, half past 7", d(12, 5), time(19, 30), 2),
    ("Do you have anything for 2 persons on December 12th at 18:00?", d(12, 12), time(18, 0), 2),
    ("Table for four on 2026-12-31 at 10pm", d(12, 31), time(22, 0), 4),
    ("Hello, 3 guests on 5/12 at 20:00 please", d(12, 5), time(20, 0), 3),
    ("Can I reserve for eight people in 3 days, quarter past 8?", d(11, 28), time(20, 15), 8),
    ("Sunday brunch at 11 for 2 of us", d(11, 29), time(11, 0), 2),
    ("A table for four at 8pm", None, time(20, 0), 4),
    ("Jan 3 at noon, 10 people", d(1, 3, 2027), time(12, 0), 10),
    ("day after tomorrow, 7:30 pm, we'll be 4", d(11, 27), time(19, 30), 4),
    ("Is there space on Wednesday at 7 for 2?", d(12, 2), time(19, 0), 2),
    ("Booking for 12 on Monday at 6 o'clock", d(11, 30), time(18, 0), 12),
    ("How about 24.12 at 19.30 for three?", d(12, 24), time(19, 30), 3),
    ("this Wednesday at 9am, table for 2", d(11, 25), time(9, 0), 2),
    ("in a week at 8 in the evening", d(12, 2), time(20, 0), None),
    ("I'll be there on Nov 20 with my husband and I... sorry, for 2", d(11, 20, 2027), None, 2),
    ("Hi there, I'd like to book a table", None, None, None),
    ("Do you have a high chair? Thanks!", None, None, None),
    # Russian
    ("завтра в 20:00", d(11, 26), time(20, 0), None),
    ("на двоих", None, None, 2),
    ("Столик на троих в пятницу в 19:30, пожалуйста", d(11, 27), time(19, 30), 3),
    ("нас будет пятеро, 5 декабря в 7 вечера", d(12, 5), time(19, 0), 5),
    ("Здравствуйте! Хочу забронировать столик на 4 человека на завтра в 19:00", d(11, 26), time(19, 0), 4),
    ("Можно столик на 2 в субботу в 8 вечера?", d(11, 28), time(20, 0), 2),
    ("в следующий вторник в 18:30 на троих", d(12, 1), time(18, 30), 3),
    ("Послезавтра в полвосьмого, нас будет четверо", d(11, 27), time(19, 30), 4),
    ("Сегодня в 9 вечера, вдвоём", d(11, 25), time(21, 0), 2),
    ("через неделю в 20:00 на 6 персон", d(12, 2), time(20, 0), 6),
    ("Нас 3 человека, 31 декабря в 22:00", d(12, 31), time(22, 0), 3),
    ("Я с женой, в эту субботу в 19.00", d(11, 28), time(19, 0), 2),
    ("5-го декабря в 12 дня на 10 человек", d(12, 5), time(12, 0), 10),
    ("через 3 дня в 8 часов, столик на четверых", d(11, 28), time(20, 0), 4),
    ("Добрый день! Есть ли места на завтра на 7 вечера?", d(11, 26), time(19, 0), None),
    ("Хотим в воскресенье позавтракать в 9 утра, нас двое", d(11, 29), time(9, 0), 2),
    ("Забронируйте на 15.12 в 19:00 для пятерых", d(12, 15), time(19, 0), 5),
    ("в пятницу на 6 человек в 21:00", d(11, 27), time(21, 0), 6),
    ("Столик на двоих 3 января в 20:30", d(1, 3, 2027), time(20, 30), 2),
    ("в полдень в четверг, нас будет 8", d(11, 26), time(12, 0), 8),
    ("Хотим прийти втроём через 2 дня к 7", d(11, 27), time(19, 0), 3),
    ("Только я, сегодня в 18:00", d(11, 25), time(18, 0), 1),
    ("в среду в 19:00, нас 2", d(12, 2), time(19, 0), 2),
    ("в эту среду в 13:00 на двоих", d(11, 25), time(13, 0), 2),
    ("на 25.12.2026 в 19:00, 4 гостя", d(12, 25), time(19, 0), 4),
    ("В следующую субботу в половине девятого, 7 персон", d(12, 5), time(20, 30), 7),
    ("Спасибо, до свидания", None, None, None),
    ("А у вас есть детское меню?", None, None, None),
]


@pytest.mark.parametrize(("message", "expected_date", "expected_time", "expected_guests"), CORPUS)
def test_corpus(message: str, expected_date: date | None, expected_time: time | None, expected_guests: int | None):
    parsed = parse_request(message, TODAY)
    assert (parsed.date, parsed.time, parsed.guests) == (expected_date, expected_time, expected_guests)


def test_corpus_is_big_and_bilingual():
    languages = [detect_language(message) for message, *_ in CORPUS]
    assert len(CORPUS) >= 45
    assert 0.4 <= languages.count("ru") / len(CORPUS) <= 0.6


def test_parse_request_fields_and_language():
    parsed = parse_request("Столик на троих в пятницу в 19:30", TODAY)
    assert parsed == ParsedRequest(date=d(11, 27), time=time(19, 30), guests=3, language="ru")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.guests = 4  # type: ignore[misc]


# ---------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("table for 2 tomorrow", "en"),
        ("столик на двоих завтра", "ru"),
        ("Столик на 4, 7pm", "ru"),
        ("Table for 4, завтра", "en"),
        ("19:30", "en"),
        ("", "en"),
        ("👍", "en"),
        ("reservation pour 6 persones mardi 1er decembre a 19h", "fr"),  # its day and month names count
        ("Sa 19 Uhr 2 Pers", "de"),
    ],
)
def test_detect_language(text: str, language: str):
    assert detect_language(text) == language


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("tonight", TODAY),
        ("tomorrow", d(11, 26)),
        ("the day after tomorrow", d(11, 27)),
        ("Friday", d(11, 27)),
        ("on fri", d(11, 27)),
        ("next Friday", d(12, 4)),
        ("Friday next week", d(12, 4)),
        ("next Monday", d(11, 30)),
        ("this Friday", d(11, 27)),
        ("Wednesday", d(12, 2)),  # today's weekday without "this" means a week from today
        ("this Wednesday", TODAY),
        ("on sat", d(11, 28)),
        ("Dec 5", d(12, 5)),
        ("dec. 5", d(12, 5)),
        ("5 December", d(12, 5)),
        ("December 5th", d(12, 5)),
        ("5th of December", d(12, 5)),
        ("Dec 5, 2027", d(12, 5, 2027)),
        ("Jan 3", d(1, 3, 2027)),
        ("Nov 24", d(11, 24, 2027)),
        ("Nov 25", TODAY),
        ("2026-12-05", d(12, 5)),
        ("05.12", d(12, 5)),
        ("5.12.2026", d(12, 5)),
        ("5.12.27", d(12, 5, 2027)),
        ("5/12", d(12, 5)),
        ("3/1", d(1, 3, 2027)),
        ("on the 28th", d(11, 28)),
        ("the 20th", d(12, 20)),
        ("in 3 days", d(11, 28)),
        ("in three days", d(11, 28)),
        ("in a week", d(12, 2)),
        ("in 2 weeks", d(12, 9)),
        ("сегодня", TODAY),
        ("завтра", d(11, 26)),
        ("послезавтра", d(11, 27)),
        ("в пятницу", d(11, 27)),
        ("во вторник", d(12, 1)),
        ("в эту субботу", d(11, 28)),
        ("в следующий вторник", d(12, 1)),
        ("в следующую пятницу", d(12, 4)),
        ("в следующее воскресенье", d(12, 6)),
        ("5 декабря", d(12, 5)),
        ("5-го декабря", d(12, 5)),
        ("3 января", d(1, 3, 2027)),
        ("5 дек", d(12, 5)),
        ("28-го числа", d(11, 28)),
        ("через 3 дня", d(11, 28)),
        ("через три дня", d(11, 28)),
        ("через неделю", d(12, 2)),
        ("через 2 недели", d(12, 9)),
        ("ЗАВТРА", d(11, 26)),
    ],
)
def test_parse_date(text: str, expected: date):
    assert parse_date(text, TODAY) == expected


def test_next_weekday_means_next_calendar_week():
    sunday = date(2026, 11, 29)
    assert parse_date("next Monday", sunday) == date(2026, 11, 30)
    assert parse_date("Monday", sunday) == date(2026, 11, 30)
    assert parse_date("next Sunday", sunday) == date(2026, 12, 6)
    assert parse_date("Sunday", sunday) == date(2026, 12, 6)
    assert parse_date("this Sunday", sunday) == sunday


def test_year_rollover_at_the_end_of_december():
    new_years_eve = date(2026, 12, 31)
    assert parse_date("Jan 3", new_years_eve) == date(2027, 1, 3)
    assert parse_date("tomorrow", new_years_eve) == date(2027, 1, 1)
    assert parse_date("the 2nd", new_years_eve) == date(2027, 1, 2)
    assert parse_date("Dec 31", new_years_eve) == new_years_eve


def test_a_short_weekday_opening_a_clause_before_a_clock_time_is_a_weekday():
    assert parse_date("Sa 19 Uhr 2 Pers", TODAY) == d(11, 28)
    assert parse_date("sat 7pm 2ppl", TODAY) == d(11, 28)
    assert parse_date("hi, sun 7pm for 2", TODAY) == d(11, 29)
    assert parse_date("Fr. 20:00 für 3", TODAY) == d(11, 27)
    # everyday words ("do", "so") and a short weekday inside a sentence stay words
    assert parse_date("could we do 7pm", TODAY) is None
    assert parse_date("so 8pm then", TODAY) is None
    assert parse_date("I sat at 7pm", TODAY) is None


def test_a_day_of_the_month_after_a_weekday_is_that_day_where_it_is_written_as_one():
    assert parse_date("une table de 4 pour samedi 12 vers 20 heures", TODAY) == d(12, 12)
    assert parse_date("Saturday 12th at 7pm", TODAY) == d(12, 12)
    assert parse_date("Samstag, 12. um 19 Uhr", TODAY) == d(12, 12)
    # a time or a party after the weekday, or a bare number in a language that writes times so
    assert parse_date("samedi 19h30", TODAY) == parse_date("samedi 12h", TODAY) == d(11, 28)
    assert parse_date("Samstag 12 Uhr", TODAY) == parse_date("samedi 2 personnes", TODAY) == d(11, 28)
    assert parse_date("friday 8", TODAY) == d(11, 27)


def test_in_days_and_weeks_in_every_language():
    assert parse_date("dans 3 jours", TODAY) == parse_date("in 3 Tagen", TODAY) == d(11, 28)
    assert parse_date("dans une semaine", TODAY) == parse_date("in einer Woche", TODAY) == d(12, 2)


def test_most_explicit_date_wins():
    assert parse_date("today I want to book for Friday", TODAY) == d(11, 27)
    assert parse_date("Friday, Dec 11", TODAY) == d(12, 11)


@pytest.mark.parametrize(
    "text",
    [
        "Hello",
        "table for 4",
        "at 7pm",
        "19.30",
        "19:30",
        "at 10.15",
        "в 20.11",  # a time, not 20 November
        "в 3 дня",  # 15:00
        "Feb 30",
        "31.11",
        "May I book for 2?",
        "table for 2 may i come",
        "we sat by the window last time",
        "can we sit in the sun",
        "+7 916 123 45 67",
        "нас будет четверо",
    ],
)
def test_parse_date_none(text: str):
    assert parse_date(text, TODAY) is None


# ---------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7pm", time(19, 0)),
        ("7 pm", time(19, 0)),
        ("7 p.m.", time(19, 0)),
        ("7:30pm", time(19, 30)),
        ("7.30pm", time(19, 30)),
        ("19:30", time(19, 30)),
        ("19.30", time(19, 30)),
        ("7:30", time(19, 30)),
        ("09:00", time(9, 0)),
        ("at 7", time(19, 0)),
        ("at 12", time(12, 0)),
        ("at seven", time(19, 0)),
        ("at 8 in the evening", time(20, 0)),
        ("at 7 in the morning", time(7, 0)),
        ("tomorrow morning at 9", time(9, 0)),
        ("at 10.15", time(22, 15)),
        ("9am", time(9, 0)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("7 o'clock", time(19, 0)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
        ("half past 7", time(19, 30)),
        ("quarter past 8", time(20, 15)),
        ("quarter to 8", time(19, 45)),
        ("half seven", time(19, 30)),
        ("lunch at 12:30", time(12, 30)),
        ("lunch at 1", time(13, 0)),
        ("brunch at 11", time(11, 0)),
        ("в 20:00", time(20, 0)),
        ("в 7 вечера", time(19, 0)),
        ("в 8 часов", time(20, 0)),
        ("в 12 дня", time(12, 0)),
        ("в 2 дня", time(14, 0)),
        ("в час дня", time(13, 0)),
        ("в полдень", time(12, 0)),
        ("в 9 утра", time(9, 0)),
        ("в 11 ночи", time(23, 0)),
        ("в полвосьмого", time(19, 30)),
        ("в пол-восьмого", time(19, 30)),
        ("в половине девятого", time(20, 30)),
        ("в семь вечера", time(19, 0)),
        ("к восьми", time(20, 0)),
        ("на 8 вечера", time(20, 0)),
        ("в 20.11", time(20, 11)),
        ("table for 2 at 8, or at 9", time(20, 0)),
        ("Good morning! Table for 2 at 7", time(19, 0)),  # a greeting is not a period of the day
        ("на 19 часов", time(19, 0)),
        ("к 7 часам", time(19, 0)),
        ("around 7ish", time(19, 0)),
    ],
)
def test_parse_time(text: str, expected: time):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "for 2",
        "table for 2",
        "5.12",
        "5/12",
        "Dec 5",
        "table for 2 on Dec 5",
        "5 декабря",
        "на 5 декабря",
        "5.12.2026",
        "2026-12-05",
        "in 3 days",
        "через 3 дня",
        "about 8 people",
        "через 2 часа",
        "на 2 часа",
        "на двоих",
        "for 2 tonight",
        "tomorrow",
        "hello",
        "+44 20 7946 0958",
        "13pm",
        "в 2 раза больше",
        "можно сесть в 2 зале?",
        "25:00",
    ],
)
def test_parse_time_none(text: str):
    assert parse_time(text) is None


# ---------------------------------------------------------------- party size


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4 people", 4),
        ("for two", 2),
        ("for 2 persons", 2),
        ("party of 6", 6),
        ("table for 2", 2),
        ("we are 5", 5),
        ("we're a group of 7", 7),
        ("a table for four at 8pm", 4),
        ("for 2 at 8", 2),
        ("at 8 for 2", 2),
        ("for 2 tonight", 2),
        ("just me", 1),
        ("table for one", 1),
        ("me and my wife", 2),
        ("my husband and I", 2),
        ("just me and my girlfriend", 2),
        ("twelve guests", 12),
        ("for 100 people", 100),
        ("на двоих", 2),
        ("на троих", 3),
        ("нас будет пятеро", 5),
        ("4 человека", 4),
        ("на 3 персоны", 3),
        ("на четыре персоны", 4),
        ("столик на 4", 4),
        ("столик для шести", 6),
        ("двое", 2),
        ("вдвоём", 2),
        ("втроем", 3),
        ("нас 6", 6),
        ("мы с мужем", 2),
        ("я один", 1),
        ("на 4, завтра в 19:00", 4),
        ("me and 3 friends", 4),
        ("I'm coming with 2 colleagues", 3),
        ("my 2 friends and I", 3),
        ("мы с двумя друзьями", 3),
    ],
)
def test_parse_party_size(text: str, expected: int):
    assert parse_party_size(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "at 7",
        "Dec 5",
        "on Dec 5 at 8",
        "5 декабря в 7 вечера",
        "в 8 часов",
        "на 8 вечера",
        "in 3 days",
        "через 3 дня",
        "tomorrow at 7pm",
        "4",
        "four",
        "table for 0",
        "for 150 people",
        "for 3 hours",
        "на 2 часа",
        "hello",
        "+7 916 123 45 67",
        "Can we come at 7 with 2 kids?",
    ],
)
def test_parse_party_size_none(text: str):
    assert parse_party_size(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", 4),
        ("four", 4),
        ("четыре", 4),
        ("4 please", 4),
        ("two, at 8", 2),
        ("6 people", 6),
        ("на троих", 3),
        ("at 7", None),
        ("Dec 5", None),
        ("4 or 5", None),
        ("0", None),
        ("250", None),
        ("not sure yet", None),
    ],
)
def test_parse_party_size_when_expecting(text: str, expected: int | None):
    assert parse_party_size(text, expecting=True) == expected


# ---------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("+44 20 7946 0958", None, "+442079460958"),
        ("8 (916) 123-45-67", "RU", "+79161234567"),
        ("+7 916 123 45 67", None, "+79161234567"),
        ("my number is +7 (916) 123-45-67, thanks", "GB", "+79161234567"),
        ("мой телефон 89161234567", "RU", "+79161234567"),
        ("call 020 7946 0958 tomorrow at 19:30", "GB", "+442079460958"),
        ("table for 4, +7 916 123 45 67", "GB", "+79161234567"),
        ("Anna, 07700 900123", "GB", "+447700900123"),
        ("Meine Nummer ist 030 1234567", "DE", "+49301234567"),
    ],
)
def test_find_phone(text: str, region: str | None, expected: str):
    """phonenumbers' matcher, national numbers read in the restaurant's country; E.164 out."""
    assert find_phone(text, region) == expected


@pytest.mark.parametrize(
    "text",
    [
        "table for 4 tomorrow at 7pm",
        "123-45",
        "2026-12-05 19:30",
        "5.12.2026 at 19:30",
        "on 20/11/2026 at 19:30",
        "no phone here",
        "",
    ],
)
def test_find_phone_none(text: str):
    assert find_phone(text, "GB") is None


# ---------------------------------------------------------------- yes / no


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Yes please!", True),
        ("yeah", True),
        ("yep", True),
        ("sure", True),
        ("ok", True),
        ("Okay", True),
        ("confirm", True),
        ("correct", True),
        ("👍", True),
        ("of course", True),
        ("да", True),
        ("Да, всё верно", True),
        ("ага", True),
        ("конечно", True),
        ("подтверждаю", True),
        ("верно", True),
        ("no", False),
        ("nope", False),
        ("cancel", False),
        ("no thanks", False),
        ("not correct", False),
        ("of course not", False),
        ("не", False),
        ("нет", False),
        ("отмена", False),
        ("не верно", False),
        ("да нет", False),
        ("maybe", None),
        ("hmm, what time do you close?", None),
        ("", None),
        ("now", None),
        ("когда", None),
    ],
)
def test_parse_yes_no(text: str, expected: bool | None):
    assert parse_yes_no(text) is expected


# ---------------------------------------------------------------- intents


@pytest.mark.parametrize(
    ("text", "cancel", "listing", "booking"),
    [
        ("cancel my booking", True, False, False),
        ("I need to cancel my reservation for tomorrow", True, False, False),
        ("отменить бронь", True, False, False),
        ("Отмените, пожалуйста, мою бронь", True, False, False),
        ("my reservations", False, True, False),
        ("show my bookings", False, True, False),
        ("Can you check my booking?", False, True, False),
        ("мои брони", False, True, False),
        ("покажи мои бронирования", False, True, False),
        ("book a table", False, False, True),
        ("I'd like to make a reservation", False, False, True),
        ("table for 2 tomorrow", False, False, True),
        ("забронировать", False, False, True),
        ("Хочу столик на вечер", False, False, True),
        ("hello", False, False, False),
        ("what time do you open?", False, False, False),
        ("привет", False, False, False),
    ],
)
def test_intents(text: str, cancel: bool, listing: bool, booking: bool):
    assert (wants_cancel(text), wants_list(text), wants_booking(text)) == (cancel, listing, booking)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в 19 30", time(19, 30)),  # typed with a space: no ":" on a phone's letter keyboard
        ("на 19 00 на двоих", time(19, 0)),
        ("at 7 45pm", time(19, 45)),
        ("um 18 30 uhr", time(18, 30)),
        ("+49 151 23 45 67 89", None),  # the groups of a phone number are no time
        ("+33 6 12 34 56 78", None),
        ("table for 2 30 people", None),
    ],
)
def test_a_clock_time_typed_with_a_space(text: str, expected: time | None):
    assert parse_time(text) == expected
