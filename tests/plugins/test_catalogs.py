"""Every catalog a guest's text comes from (the conversation's, the notifying plugins', the waitlist's, the
calendar file's, the manage page's, the web chat's booking form's, the e-mail's and the SMS channel's) speaks
every language the bot speaks, has every English key and fills the same placeholders as English."""

from __future__ import annotations

from string import Formatter

import pytest
from babel.messages.pofile import read_po

from api.guest_ui import texts as manage_page
from channels.email import render as email
from channels.sms import texts as sms
from channels.webchat import form as webchat_form
from core.booking import calendar, waitlist_texts
from core.conversation import i18n
from core.models import ReservationStatus
from plugins.notifications import texts as notifications
from plugins.reminders import texts as reminders

CATALOGS = {
    "conversation": i18n.CONVERSATION,
    "notifications": notifications.CATALOGS,
    "reminders": reminders.CATALOGS,
    "waitlist": waitlist_texts.CATALOGS,
    "calendar": calendar.CATALOGS,
    "manage_page": manage_page.CATALOGS,
    "webchat_form": webchat_form.CATALOGS,
    "email": email.CATALOGS,
    "sms": sms.CATALOGS,
}


def placeholders(catalogs: i18n.Catalogs, code: str) -> dict[str, set[str]]:
    with (catalogs.directory / f"{code}.po").open("rb") as source:
        parsed = read_po(source, locale=code)
    found: dict[str, set[str]] = {}
    for message in parsed:
        if not message.id:
            continue
        key = str(message.id[0] if isinstance(message.id, tuple) else message.id)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        found[key] = {name for text in strings for _, name, _, _ in Formatter().parse(str(text)) if name}
    return found


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_every_catalog_speaks_every_language_with_every_english_key(name: str) -> None:
    catalogs = CATALOGS[name]
    assert set(catalogs.codes()) == set(i18n.spoken())
    english = catalogs.keys("en")
    assert english
    for code in catalogs.codes():
        missing = english - catalogs.keys(code)
        assert not missing, f"{name}/{code}.po lacks {sorted(missing)[:5]}"


# The conversation's catalogs are left out on purpose: their callers pass both a bare count and its
# plural label, and each language picks the one its grammar needs ({count} in English, {guests} in Russian).
@pytest.mark.parametrize("name", ["notifications", "reminders", "waitlist", "calendar", "manage_page", "email", "sms"])
def test_every_translation_fills_the_placeholders_english_does(name: str) -> None:
    catalogs = CATALOGS[name]
    english = placeholders(catalogs, "en")
    for code in catalogs.codes():
        theirs = placeholders(catalogs, code)
        wrong = {key: theirs[key] for key in english if key in theirs and theirs[key] != english[key]}
        assert not wrong, f"{name}/{code}.po: {wrong}"


def test_every_reservation_status_has_words_for_the_guest() -> None:
    keys = reminders.CATALOGS.keys("en")
    assert {f"status_{status.value}" for status in ReservationStatus} <= keys
    assert reminders.status_label("de", "no_show") == "nicht erschienen"
    assert reminders.status_label("ru", "canceled") == "отменена"
    assert reminders.status_label("fr", "no_show") == "non honorée"
