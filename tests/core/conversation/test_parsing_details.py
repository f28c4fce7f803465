"""The details around the booking slots (core.conversation.parsing_details) and the words under them
(core.conversation.word_forms): typos, word forms, names, corrections, compound parties and special requests."""

from __future__ import annotations

import pytest

from core.conversation import parsing_details as details
from core.conversation import word_forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tommorow at 8", "tomorrow at 8"),
        ("завтро в 8", "завтра в 8"),
        ("moregn um 20h", "morgen um 20h"),
        ("Hi, Alex Morgan here", "hi, alex morgan here"),  # a capitalised word inside a sentence is a name
        ("на четверых", "на четверых"),  # a word the vocabulary lists is never a typo
        ("morgen mittag", "morgen mittag"),
    ],
)
def test_typos_in_day_words_are_corrected_and_nothing_else(text, expected):
    assert word_forms.correct_typos(text) == expected


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("table for 2 adults and 2 kids", 4),
        ("2 Erwachsene und ein Baby", 3),
        ("двое взрослых и малыш", 3),
        ("столик на 2+1 ребенок", 3),
        ("ich und 3 Freunde", 4),
        ("drei Erwachsene, Freitag", 3),
        ("+44 7700 900123", None),  # a phone's "+" is no sum
        ("table for 2 tomorrow", None),
    ],
)
def test_parties_written_as_parts_are_added_up(text, party):
    assert details.compound_party(text) == party


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("My name is Tom Baker, mobile +44 7700 900456", "Tom Baker"),
        ("меня зовут Ольга Петрова, нужен столик", "Ольга Петрова"),
        ("hier ist Markus Braun, Tel. +49 170", "Markus Braun"),
        ("It's under Jenkins, phone 07700 900612", "Jenkins"),
        ("it's my wife's birthday", None),
        ("я с женой", None),
    ],
)
def test_a_name_is_found_where_the_guest_introduces_themself(text, name):
    assert details.find_name(text) == name


def test_the_value_said_no_to_is_taken_out():
    assert details.take_out_rejected("sorry, 9 not 8").rejected == ("8",)
    assert "9" in details.take_out_rejected("ой, не в 8, а в 9").kept
    kept = details.take_out_rejected("doch lieber Sonntag statt Samstag").kept
    assert "sonntag" in kept and "samstag" not in kept
    assert details.take_out_rejected("table for 2 tomorrow").rejected == ()


def test_special_requests_keep_the_guests_words_and_their_tags():
    assert details.special_requests("book for 2 tomorrow 8pm, one of us has a nut allergy") == (
        ("one of us has a nut allergy",),
        ("allergy",),
    )
    assert details.special_requests("morgen 20 Uhr für 2, ich habe eine Nussallergie")[1] == ("allergy",)
    assert details.special_requests("двое взрослых и малыш, нужен детский стульчик")[1] == ("high_chair",)
    assert details.special_requests("Hello! mobile +44 7700 900456") == ((), ())


def test_inflected_words_are_found_by_their_stem():
    assert word_forms.mentions("соедините с менеджером пожалуйста", "human_words")
    assert word_forms.mentions("bitte meine Reservierung löschen", "cancel_words")
    assert not word_forms.mentions("table for 2 tomorrow", "human_words")


@pytest.mark.parametrize(
    ("text", "added"),
    [
        ("one more person joining us", 1),
        ("2 more people", 2),
        ("ещё один человек", 1),
        ("noch eine Person", 1),
        ("can u add 2 more people", 2),  # a verb of adding, in every language
        ("could we add a guest to our table", 1),
        ("добавьте пожалуйста одного человека к брони", 1),
        ("wir kommen mit 2 Personen mehr", 2),
        ("on peut rajouter une personne à notre réservation ?", 1),
        ("add a high chair please", None),
    ],
)
def test_people_added_to_a_party_are_counted(text, added):
    assert details.added_people(text.lower()) == added


def test_a_bare_name_in_a_list_of_details_is_a_name_and_a_word_is_not():
    assert details.find_name("на завтра в 8 вечера на двоих, Анна, +44 7700 900321", listed=True) == "Анна"
    assert details.find_name("tomorrow at 7, Table for 2, Tom Smith", listed=True) == "Tom Smith"
    assert details.find_name("Friday 8pm, 2 people, Thanks", listed=True) is None
    assert details.find_name("Hi, Friday at 8, Sunday", listed=True) is None
    assert details.find_name("на завтра на двоих, Анна") is None  # only when the message lists booking details
    assert details.find_name("Хочу забронировать на субботу. 20:00. 2 человека. Спасибо", listed=True) is None


def test_a_special_request_or_a_german_noun_is_no_name():
    assert details.find_name("3 Personen morgen 19 Uhr, meine Mutter sitzt im Rollstuhl", listed=True) is None
    assert details.find_name("Tisch für 2 am 5.12 um 19 Uhr, Nussallergie", listed=True) is None
    assert details.find_name("18. Dezember 19 Uhr, 6 Personen, Firmenessen", listed=True, language="de") is None
    assert details.find_name("Samstag 19 Uhr, 4 Personen, Anna Müller", listed=True, language="de") == "Anna Müller"
    beside_phone = f"Samstag 19 Uhr, 4 Personen, Müller, {details.PHONE_MARK}                 "
    assert details.find_name(beside_phone, listed=True, language="de") == "Müller"


def test_a_french_negation_is_no_correction_unless_a_but_follows():
    assert details.take_out_rejected("nous ne viendrons pas vendredi").rejected == ()
    assert details.take_out_rejected("on ne sera pas 4 mais 5").rejected == ("4",)
    assert details.take_out_rejected("non pas demain, samedi").rejected == ("demain",)
