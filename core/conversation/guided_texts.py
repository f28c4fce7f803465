"""What the guided flow (and the engine's own notices) say, in English and Russian."""

from __future__ import annotations

from datetime import date, time
from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "menu": "Hello! I can book a table for you or show your reservations. What would you like?",
        "menu_again": "Sorry, I didn't quite get that. I can book a table for you or show your reservations.",
        "book": "Book a table",
        "mine": "My reservations",
        "ask_date": "For which day would you like a table? (e.g. tomorrow, Friday, 27 Nov)",
        "ask_time": "What time on {day}? (e.g. 19:30)",
        "ask_guests": "How many guests?",
        "ask_name": "What name should I put the booking under?",
        "ask_phone": "What phone number can the restaurant reach you on? (with the country code, e.g. +44 7700 900123)",
        "again_date": "Sorry, I didn't catch the day.",
        "again_time": "Sorry, I didn't catch the time.",
        "again_guests": "Sorry, I didn't catch how many guests.",
        "bad_name": "Please tell me a name for the booking.",
        "bad_phone": "That doesn't look like a phone number. Please send it with the country code.",
        "not_available": "Sorry, there's no table for {count} on {day} at {time}.",
        "options": "Here is what is free:",
        "nothing_that_day": "Sorry, nothing is free for {count} on {day}. Which other day would suit you?",
        "confirm_book": "Book a table for {count} on {day} at {time} for {name}?",
        "booked": "Done! Your table for {count} on {day} at {time} is booked (reservation #{id}).",
        "not_booked": "OK, I haven't booked anything. Anything else I can do?",
        "stopped": "OK, I've stopped. Anything else I can do?",
        "yes": "Yes",
        "no": "No",
        "today": "Today",
        "tomorrow": "Tomorrow",
        "no_guest": "I can't find any reservations for you in this chat.",
        "no_reservations": "You have no upcoming reservations.",
        "your_reservations": "Your upcoming reservations:",
        "which_cancel": "Which reservation should I cancel?",
        "cancel_label": "Cancel #{id}",
        "confirm_cancel": "Cancel reservation #{id}: {summary}?",
        "canceled": "Your reservation #{id} ({summary}) is canceled.",
        "kept": "OK, your reservation stays as it is.",
        "summary": "{day} at {time}, {guests}",
        "rate_limited": "You're sending messages a little too fast. Please wait a minute and try again.",
        "busy": "I'm still working on your previous message. Please try again in a moment.",
        "error": "Sorry, something went wrong on our side. Please try again in a moment.",
        "llm_did": "Your request went through: {summary}.",
        "llm_booked": "Your table is booked: reservation #{id}, {summary}.",
        "llm_canceled": "Reservation #{id} ({summary}) is canceled.",
    },
    "ru": {
        "menu": "Здравствуйте! Я могу забронировать столик или показать ваши брони. Что вы хотите?",
        "menu_again": "Извините, я не совсем понял. Я могу забронировать столик или показать ваши брони.",
        "book": "Забронировать столик",
        "mine": "Мои брони",
        "ask_date": "На какой день забронировать столик? (например: завтра, в пятницу, 27 ноября)",
        "ask_time": "На какое время {day}? (например, 19:30)",
        "ask_guests": "Сколько будет гостей?",
        "ask_name": "На чьё имя оформить бронь?",
        "ask_phone": "По какому номеру ресторан сможет с вами связаться? (с кодом страны, например +7 916 123-45-67)",
        "again_date": "Извините, я не понял, на какой день.",
        "again_time": "Извините, я не понял время.",
        "again_guests": "Извините, я не понял, сколько будет гостей.",
        "bad_name": "Пожалуйста, напишите имя для брони.",
        "bad_phone": "Это не похоже на номер телефона. Пожалуйста, пришлите его с кодом страны.",
        "not_available": "К сожалению, на {day} в {time} нет свободного столика, {guests}.",
        "options": "Вот что свободно:",
        "nothing_that_day": "К сожалению, на {day} ничего нет, {guests}. Какой другой день вам подойдёт?",
        "confirm_book": "Забронировать столик на {day} в {time}, {guests}, на имя {name}?",
        "booked": "Готово! Столик на {day} в {time}, {guests}, забронирован (бронь №{id}).",
        "not_booked": "Хорошо, я ничего не бронировал. Чем ещё могу помочь?",
        "stopped": "Хорошо, остановился. Чем ещё могу помочь?",
        "yes": "Да",
        "no": "Нет",
        "today": "Сегодня",
        "tomorrow": "Завтра",
        "no_guest": "Я не нашёл ваших броней в этом чате.",
        "no_reservations": "У вас нет предстоящих броней.",
        "your_reservations": "Ваши предстоящие брони:",
        "which_cancel": "Какую бронь отменить?",
        "cancel_label": "Отменить №{id}",
        "confirm_cancel": "Отменить бронь №{id}: {summary}?",
        "canceled": "Бронь №{id} ({summary}) отменена.",
        "kept": "Хорошо, бронь остаётся в силе.",
        "summary": "{day} в {time}, {guests}",
        "rate_limited": "Вы пишете слишком быстро. Пожалуйста, подождите минуту и попробуйте снова.",
        "busy": "Я ещё обрабатываю ваше предыдущее сообщение. Попробуйте, пожалуйста, через минуту.",
        "error": "Извините, у нас что-то пошло не так. Пожалуйста, попробуйте ещё раз чуть позже.",
        "llm_did": "Ваш запрос выполнен: {summary}.",
        "llm_booked": "Столик забронирован: бронь №{id}, {summary}.",
        "llm_canceled": "Бронь №{id} ({summary}) отменена.",
    },
}

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
}  # fmt: skip

# Messages that start over from the menu, wherever the guest is.
RESET_WORDS = frozenset({"/start", "start", "menu", "help", "/help", "меню", "помощь", "начать", "старт"})
GREETINGS = frozenset({
    "hi", "hello", "hey", "good morning", "good afternoon", "good evening", "hiya",
    "привет", "здравствуйте", "добрый день", "добрый вечер", "доброе утро", "здрасте",
})  # fmt: skip


def lang(language: str | None) -> str:
    """The text language for ``language``: Russian when asked, else English."""
    return "ru" if language == "ru" else "en"


def say(language: str, key: str, **values: object) -> str:
    """The text ``key`` in ``language``, filled with ``values``."""
    return TEXTS[lang(language)][key].format(**values)


def day_label(language: str, d: date) -> str:
    """ "Fri 27 Nov" / "пт, 27 ноября"."""
    code = lang(language)
    if code == "ru":
        return f"{_WEEKDAYS[code][d.weekday()]}, {d.day} {_MONTHS[code][d.month - 1]}"
    return f"{_WEEKDAYS[code][d.weekday()]} {d.day} {_MONTHS[code][d.month - 1]}"


def time_label(t: time) -> str:
    return t.strftime("%H:%M")


def guests_label(language: str, n: int) -> str:
    """ "4 guests" / "4 гостя" (Russian plural forms)."""
    if lang(language) == "en":
        return f"{n} guest" if n == 1 else f"{n} guests"
    if n % 10 == 1 and n % 100 != 11:
        word = "гость"
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = "гостя"
    else:
        word = "гостей"
    return f"{n} {word}"


def summary(language: str, d: date, t: time, guests: int) -> str:
    """ "Fri 27 Nov at 19:30, 4 guests"."""
    return say(
        language, "summary", day=day_label(language, d), time=time_label(t), guests=guests_label(language, guests)
    )


# Booking refusals in Russian, by the booking engine's ``code`` (its messages are English).
_RU_REFUSALS = {
    "in_past": "Это время уже прошло.",
    "too_soon": "Бронировать нужно немного заранее.",
    "too_far": "Мы принимаем брони не более чем на {maxAdvanceDays} дн. вперёд.",
    "closed": "В этот день мы закрыты.",
    "outside_hours": "Это время вне часов работы.",
    "ends_after_close": "Мы закрываемся в {closes}, бронь на это время закончилась бы позже.",
    "party_too_large": "Онлайн мы можем посадить не больше {maxGuests} гостей. Пожалуйста, свяжитесь с рестораном.",
    "no_suitable_table": "К сожалению, у нас нет подходящего стола для такой компании.",
    "nonexistent_time": "В эту ночь переводят часы, такого времени не будет.",
}
_RU_REFUSAL_DEFAULT = "К сожалению, на это время забронировать нельзя."


def refusal(language: str, code: str, message: str, details: dict[str, Any]) -> str:
    """A booking refusal for the guest: the engine's own message in English, a translation by ``code`` in Russian."""
    if lang(language) == "en":
        return message
    text = _RU_REFUSALS.get(code, _RU_REFUSAL_DEFAULT)
    try:
        text = text.format(**details)
    except (KeyError, IndexError):
        return _RU_REFUSAL_DEFAULT
    if code == "outside_hours" and details.get("hours"):
        text = f"Это время вне часов работы ({', '.join(details['hours'])})."
    elif code == "outside_hours" and details.get("lastSeating"):
        text = f"Последняя посадка в {details['lastSeating']}."
    elif code == "ends_after_close" and details.get("latestStart"):
        text += f" Самое позднее начало — в {details['latestStart']}."
    return text
