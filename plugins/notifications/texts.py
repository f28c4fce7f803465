"""What the guest is told when the restaurant changes their reservation, in English and Russian."""

from __future__ import annotations

from datetime import date, time

from core.conversation.guided_texts import lang, summary

CREATED, MOVED, CONFIRMED, CANCELED = "created", "moved", "confirmed", "canceled"

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        CREATED: "{restaurant}: we have booked a table for you: {summary}. Reservation #{id}. "
        "Write here if you need to change it.",
        MOVED: "{restaurant}: your reservation #{id} has been changed to {summary}. "
        "Write here if this does not suit you.",
        CONFIRMED: "{restaurant}: your reservation #{id} for {summary} is confirmed. We look forward to seeing you!",
        CANCELED: "{restaurant}: your reservation #{id} for {summary} has been canceled. "
        "Write here if you would like to book another time.",
    },
    "ru": {
        CREATED: "{restaurant}: мы забронировали для вас столик: {summary}. Бронь №{id}. "
        "Если нужно что-то изменить, напишите сюда.",
        MOVED: "{restaurant}: ваша бронь №{id} изменена: {summary}. Если вам неудобно, напишите сюда.",
        CONFIRMED: "{restaurant}: ваша бронь №{id} на {summary} подтверждена. Ждём вас!",
        CANCELED: "{restaurant}: ваша бронь №{id} на {summary} отменена. "
        "Если хотите забронировать другое время, напишите сюда.",
    },
}


def message(language: str | None, kind: str, *, restaurant: str, reservation_id: int, day: date, at: time,
            guests: int) -> str:  # fmt: skip
    """The notification of ``kind`` (created, moved, confirmed, canceled) in the guest's language (English
    otherwise)."""
    language = lang(language)
    text = TEXTS.get(language, TEXTS["en"])[kind]
    return text.format(restaurant=restaurant, id=reservation_id, summary=summary(language, day, at, guests))
