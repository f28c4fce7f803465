"""What a reminder says, and the answers to its quick replies, in English and Russian."""

from __future__ import annotations

from datetime import date, time

from core.conversation.guided_texts import lang, summary
from core.conversation.types import Choice, Reply

COMMAND = "reminder"
CONFIRM, CANCEL, CHANGE = "confirm", "cancel", "change"

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "reminder": "{restaurant}: a reminder of your reservation #{id}: {summary}. Will you come?",
        "label_confirm": "Confirm", "label_cancel": "Cancel", "label_change": "Change",
        "confirmed": "Thank you! Your reservation #{id} for {summary} is confirmed. See you soon.",
        "canceled": "Your reservation #{id} for {summary} is canceled. We hope to see you another time.",
        "not_found": "I could not find that reservation in this chat. Write “my reservations” to see yours.",
        "cannot": "Your reservation #{id} is {status} now, so it can no longer be {action}.",
        "confirm_verb": "confirmed", "cancel_verb": "canceled", "change_verb": "changed",
    },
    "ru": {
        "reminder": "{restaurant}: напоминаем о вашей брони №{id}: {summary}. Вы придёте?",
        "label_confirm": "Подтвердить", "label_cancel": "Отменить", "label_change": "Изменить",
        "confirmed": "Спасибо! Ваша бронь №{id} на {summary} подтверждена. До встречи.",
        "canceled": "Ваша бронь №{id} на {summary} отменена. Будем рады видеть вас в другой раз.",
        "not_found": "Не нашёл такую бронь в этом чате. Напишите «мои брони», чтобы увидеть свои.",
        "cannot": "Бронь №{id} сейчас в статусе «{status}», её уже нельзя {action}.",
        "confirm_verb": "подтвердить", "cancel_verb": "отменить", "change_verb": "изменить",
    },
}  # fmt: skip


def say(language: str | None, key: str, **values: object) -> str:
    """The text ``key`` in the guest's language (English otherwise)."""
    return TEXTS.get(lang(language), TEXTS["en"])[key].format(**values)


def when(language: str | None, day: date, at: time, guests: int) -> str:
    """The booking as "Fri 27 Nov at 19:30, 4 guests", in the guest's language."""
    return summary(lang(language), day, at, guests)


def reminder(language: str | None, *, restaurant: str, reservation_id: int, day: date, at: time,
             guests: int) -> Reply:  # fmt: skip
    """The reminder with its three quick replies (their values are ``/reminder <answer> <id>``)."""
    text = say(language, "reminder", restaurant=restaurant, id=reservation_id, summary=when(language, day, at, guests))
    answers = (CONFIRM, CANCEL, CHANGE)
    choices = tuple(Choice(say(language, f"label_{key}"), f"/{COMMAND} {key} {reservation_id}") for key in answers)
    return Reply(text, choices)
