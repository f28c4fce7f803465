"""The one understanding step, per language (en, ru, de, fr), including the messy messages guests send."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.conversation import i18n
from core.conversation.languages import languages
from core.conversation.understanding import understand

TODAY = date(2026, 11, 25)  # a Wednesday


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# text, language so far, expected: (intent, date, time, guests, language)
CORPUS = {
    "en": [
        ("2 ppl fri 8ish", ("book", d(11, 27), time(20, 0), 2, "en")),
        ("table for 4 around 8 tomorrow", ("book", d(11, 26), time(20, 0), 4, "en")),
        ("what are your opening hours?", ("info", None, None, None, "en")),
        ("where are you located?", ("info", None, None, None, "en")),
        ("can I talk to a person?", ("human", None, None, None, "en")),
        ("I want to speak to a human", ("human", None, None, None, "en")),
        ("thanks!", ("thanks", None, None, None, "en")),
        ("table for 3 on 20/11/2026", ("book", d(11, 20), None, 3, "en")),
        ("yesterday at 7", ("book", d(11, 24), time(19, 0), None, "en")),
        ("15 November", ("book", d(11, 15, 2027), None, None, "en")),
        ("can I move my booking to 9pm?", ("change", None, time(21, 0), None, "en")),
        ("we've got a table friday at 7, could we push it to 8?", ("change", d(11, 27), time(20, 0), None, "en")),
        ("change my booking to 4 people", ("change", None, None, 4, "en")),
        ("cancel my reservation", ("cancel", None, None, None, "en")),
        ("table for 1 person tonight", ("book", d(11, 25), None, 1, "en")),
        ("hi", ("greeting", None, None, None, "en")),
        ("hey can i get a table 4 2 2moro nite around 8", ("book", d(11, 26), time(20, 0), 2, "en")),  # "4" = "for"
        ("table 4 tonight at 8", ("book", d(11, 25), time(20, 0), None, "en")),  # table number 4? asked, not guessed
        ("move it to 12.12", ("change", d(12, 12), None, None, "en")),  # a date after "to", not 12:12
        ("Hey! Do you have room for 3 tomorrow night at 8?", ("book", d(11, 26), time(20, 0), 3, "en")),
        ("friday at 8, sorry I meant 9", ("book", d(11, 27), time(21, 0), None, "en")),  # corrects itself
        ("table for 2 tmrw 8pm. actually 3 of us sorry", ("book", d(11, 26), time(20, 0), 3, "en")),
        ("we are actually 6", ("book", None, None, 6, "en")),
        ("no sorry i meant 7 not 8", (None, None, None, None, "en")),  # a lone 7: the dialog knows what it corrects
        ("4 people + 1 baby saturday 6pm", ("book", d(11, 28), time(18, 0), 5, "en")),
        ("4 guests with 2 kids saturday", ("book", d(11, 28), None, 4, "en")),  # maybe 4 in all: as written
    ],
    "ru": [
        ("столик на двоих около восьми", ("book", None, time(20, 0), 2, "ru")),
        ("какие у вас часы работы?", ("info", None, None, None, "ru")),
        ("где вы находитесь?", ("info", None, None, None, "ru")),
        ("позовите оператора", ("human", None, None, None, "ru")),
        ("спасибо", ("thanks", None, None, None, "ru")),
        ("вчера в 19:00", ("book", d(11, 24), time(19, 0), None, "ru")),
        ("перенесите бронь на пятницу", ("change", d(11, 27), None, None, "ru")),
        ("нас будет пятеро, завтра в 7 вечера", ("book", d(11, 26), time(19, 0), 5, "ru")),
        ("15 ноября", ("book", d(11, 15, 2027), None, None, "ru")),
        ("на завтра в 19 30 на 2 персоны", ("book", d(11, 26), time(19, 30), 2, "ru")),  # not 19:00
        ("столик на завтра на 19 00 на двоих", ("book", d(11, 26), time(19, 0), 2, "ru")),
        ("Можно столик на сегодня вечером часиков на 7? нас 2", ("book", d(11, 25), time(19, 0), 2, "ru")),
        ("у меня бронь на завтра на 19:00, можно перенести на 20:30?", ("change", d(11, 26), time(20, 30), None, "ru")),
        ("бронь на пятницу в 19, перенесите пожалуйста на 8", ("change", d(11, 27), time(20, 0), None, "ru")),
        ("перенесите на 5 декабря", ("change", d(12, 5), None, None, "ru")),
        ("столик на 2 часа на 6 персон в 19", ("book", None, time(19, 0), 6, "ru")),  # "на 2 часа" is how long
    ],
    "de": [
        ("Einen Tisch für 4 Personen morgen um 19 Uhr", ("book", d(11, 26), time(19, 0), 4, "de")),
        ("Tisch für zwei am Freitag gegen 8", ("book", d(11, 27), time(20, 0), 2, "de")),
        ("wir sind zu viert, übermorgen um halb acht", ("book", d(11, 27), time(19, 30), 4, "de")),
        ("Wann habt ihr geöffnet?", ("info", None, None, None, "de")),
        ("Wie ist eure Adresse?", ("info", None, None, None, "de")),
        ("Ich möchte mit einem Mitarbeiter sprechen", ("human", None, None, None, "de")),
        ("Danke schön!", ("thanks", None, None, None, "de")),
        ("Guten Morgen", ("greeting", None, None, None, "de")),
        ("Kann ich meine Reservierung auf 21 Uhr verschieben?", ("change", None, time(21, 0), None, "de")),
        ("Habt ihr Samstagabend gegen 20 Uhr einen Tisch für 3?", ("book", d(11, 28), time(20, 0), 3, "de")),
        ("Können wir die Reservierung am Freitag auf Samstag verschieben?", ("change", d(11, 28), None, None, "de")),
        ("Wann macht ihr am Sonntag auf?", ("info", d(11, 29), None, None, "de")),
        ("Ich möchte meine Reservierung stornieren", ("cancel", None, None, None, "de")),
        ("gestern um 20 Uhr", ("book", d(11, 24), time(20, 0), None, "de")),
        ("Samstag 18:00 4 Pers + 1 Baby", ("book", d(11, 28), time(18, 0), 5, "de")),
        ("Samstag 19 Uhr für 2, ich meinte 4 Personen", ("book", d(11, 28), time(19, 0), 4, "de")),
        ("am 15. November", ("book", d(11, 15, 2027), None, None, "de")),
    ],
    "fr": [
        ("Une table pour 4 personnes samedi à 20h", ("book", d(11, 28), time(20, 0), 4, "fr")),
        ("nous serons 2 demain soir vers 19h30", ("book", d(11, 26), time(19, 30), 2, "fr")),
        ("le 14 décembre à 20 h pour deux personnes", ("book", d(12, 14), time(20, 0), 2, "fr")),
        ("réserver pour le 5 à midi et demi", ("book", d(12, 5), time(12, 30), None, "fr")),
        ("mardi prochain à 8 heures du soir", ("book", d(12, 1), time(20, 0), None, "fr")),
        ("Quels sont vos horaires d'ouverture ?", ("info", None, None, None, "fr")),
        ("Je voudrais parler au responsable", ("human", None, None, None, "fr")),
        ("Je voudrais annuler ma réservation", ("cancel", None, None, None, "fr")),
        ("Pouvez-vous décaler ma réservation à 21h ?", ("change", None, time(21, 0), None, "fr")),
        ("merci beaucoup !", ("thanks", None, None, None, "fr")),
        ("bonsoir", ("greeting", None, None, None, "fr")),
        ("pour moi et ma femme vendredi à 20h", ("book", d(11, 27), time(20, 0), 2, "fr")),
        ("samdi 19h30, 2 adultes et 2 enfants", ("book", d(11, 28), time(19, 30), 4, "fr")),
        ("pour 2 demain 19h, mon mari est allergique aux noix", ("book", d(11, 26), time(19, 0), 2, "fr")),
        ("une table de 4 pour samedi 12 vers 20 heures", ("book", d(12, 12), time(20, 0), 4, "fr")),
        ("c'est où exactement votre restaurant ?", ("info", None, None, None, "fr")),
        (
            "nous ne viendrons pas vendredi, désolé",
            ("cancel", d(11, 27), None, None, "fr"),
        ),  # a negation, no correction
        ("vous avez des plats végétariens ?", ("info", None, None, None, "fr")),
        ("reservation pour 6 persones mardi 1er decembre a 19h", ("book", d(12, 1), time(19, 0), 6, "fr")),
        (
            "est-il possible de décaler notre réservation de samedi à dimanche ?",
            ("change", d(11, 29), None, None, "fr"),
        ),
        ("réservation de samedi à 20h pour 4", ("book", d(11, 28), time(20, 0), 4, "fr")),
        ("une table de 4 à 20h samedi", ("book", d(11, 28), time(20, 0), 4, "fr")),
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"), [case for cases in CORPUS.values() for case in cases], ids=lambda v: str(v)[:40]
)
def test_corpus(text: str, expected: tuple) -> None:
    u = understand(text, TODAY, language="en", region="GB")
    assert (u.intent, u.date, u.time, u.guests, u.language) == expected


def test_every_language_has_a_corpus_words_and_a_complete_catalog() -> None:
    assert set(languages()) == set(CORPUS) == set(i18n.spoken())
    english = set(i18n.catalog("en")._catalog)  # noqa: SLF001 - the compiled entries
    for code in CORPUS:
        missing = english - set(i18n.catalog(code)._catalog)  # noqa: SLF001
        assert not missing, f"{code}.po lacks {sorted(map(str, missing))[:5]}"


def test_notes_on_past_and_next_year_dates() -> None:
    assert understand("table for 3 on 20/11/2026", TODAY, language="en").date_note == "past"
    assert understand("yesterday", TODAY, language="en").date_note == "past"
    assert understand("15 November", TODAY, language="en").date_note == "next_year"
    assert understand("15 November 2027", TODAY, language="en").date_note is None
    assert understand("5 December", TODAY, language="en").date_note is None


def test_approximate_times_and_phones() -> None:
    assert understand("2 ppl fri 8ish", TODAY, language="en").approximate
    assert understand("около восьми", TODAY, language="ru").approximate
    assert not understand("at 8", TODAY, language="en").approximate
    u = understand("Anna, +44 7700 900123", TODAY, language="en", region="GB", expecting="name")
    assert u.phone == "+447700900123"
    assert understand("Anna, 07700 900123", TODAY, language="en", region="GB").phone == "+447700900123"
    assert understand("table for 4 on 5.12.2026 at 19:30", TODAY, language="en", region="GB").phone is None


def test_a_name_just_before_a_phone_number_is_the_name() -> None:
    text = "Hi, a table for eight on December 12th at 7 pm. Thanks, Mark Evans 07700900123"
    u = understand(text, TODAY, language="en", region="GB")
    assert (u.name, u.phone) == ("Mark Evans", "+447700900123")


def test_a_name_or_a_number_keeps_the_language() -> None:
    assert understand("Anna", TODAY, language="ru").language == "ru"
    assert understand("4", TODAY, language="de").language == "de"
    assert understand("ok", TODAY, language="de").language == "de"
    assert understand("Table for 2 please", TODAY, language="ru").language == "en"


@pytest.mark.parametrize(
    ("code", "n", "text"),
    [
        ("en", 1, "1 guest"),
        ("en", 4, "4 guests"),
        ("ru", 1, "1 гость"),
        ("ru", 3, "3 гостя"),
        ("ru", 5, "5 гостей"),
        ("ru", 21, "21 гость"),
        ("de", 1, "1 Gast"),
        ("de", 4, "4 Gäste"),
        ("fr", 1, "1 personne"),
        ("fr", 2, "2 personnes"),
    ],
)
def test_plurals_and_day_names_come_from_the_catalogs_and_cldr(code: str, n: int, text: str) -> None:
    assert i18n.plural(code, "guests", n) == text
    assert i18n.day_label("ru", d(11, 27)) == "пт, 27 ноября"
    assert i18n.day_label("de", d(11, 27)) == "Fr., 27. November"
    assert i18n.day_label("fr", d(11, 27)) == "ven. 27 novembre"
    assert i18n.day_label("en", d(11, 15, 2027), with_year=True) == "Mon 15 Nov 2027"


def test_refusals_in_the_guests_language_with_plurals_and_the_restaurants_phone() -> None:
    from core.booking.refusal_reasons import Reason, Refusal
    from core.conversation.guided_texts import refusal

    english = "We take bookings up to 61 days ahead."
    assert refusal("en", Refusal(Reason.TOO_FAR, max_advance_days=61)) == english
    russian = refusal("ru", Refusal(Reason.TOO_FAR, max_advance_days=61))
    assert russian == "Мы принимаем брони не более чем на 61 день вперёд."
    german = refusal("de", Refusal(Reason.TOO_FAR, max_advance_days=1))
    assert german.startswith("Wir nehmen Reservierungen höchstens 1 Tag ")
    large = refusal("de", Refusal(Reason.PARTY_TOO_LARGE, guests=9, max_guests=8), phone="+49301234567")
    assert large.endswith("rufen Sie uns bitte an: +49301234567.")
    # a reason the catalog has no sentence for: the general refusal
    assert refusal("ru", Refusal(Reason.NO_TABLES, guests=2)) == "К сожалению, на это время забронировать нельзя."


def test_the_prompt_names_the_weekday_in_english_whatever_the_process_locale() -> None:
    """The model is told the day by the rules' English names (``strftime("%A")`` would follow ``LC_TIME``)."""
    from datetime import UTC, datetime

    from core.booking.rules import rules_for
    from core.conversation.prompt import build_system_prompt
    from core.models import Restaurant

    restaurant = Restaurant(id=1, name="Chez Test", timezone="Europe/London", opening_hours={})
    prompt = build_system_prompt(
        restaurant,
        rules_for(restaurant),
        datetime(2026, 11, 27, 12, tzinfo=UTC),
        guest=None,
        channel="web",
        language="en",
    )
    assert "Today at the restaurant: Friday, 2026-11-27 (local time 12:00)." in prompt
