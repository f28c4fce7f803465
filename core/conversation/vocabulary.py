"""Word tables used by :mod:`core.conversation.parsing` (English and Russian).

Every entry is lower-case and written with "е" instead of "ё": the parser
normalises the guest's text the same way before looking words up.
"""

from __future__ import annotations

# fmt: off

EN_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

# Cardinal numbers with the case forms guests actually write ("на двух человек", "к восьми").
RU_NUMBERS: dict[str, int] = {
    "один": 1, "одна": 1, "одного": 1, "одной": 1, "одну": 1,
    "два": 2, "две": 2, "двух": 2,
    "три": 3, "трех": 3,
    "четыре": 4, "четырех": 4,
    "пять": 5, "пяти": 5,
    "шесть": 6, "шести": 6,
    "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8,
    "девять": 9, "девяти": 9,
    "десять": 10, "десяти": 10,
    "одиннадцать": 11, "одиннадцати": 11,
    "двенадцать": 12, "двенадцати": 12,
    # instrumental, for "с двумя друзьями" ("семью" is left out: it also means "family")
    "двумя": 2, "тремя": 3, "четырьмя": 4, "пятью": 5, "шестью": 6, "восемью": 8, "девятью": 9, "десятью": 10,
}

NUMBER_WORDS: dict[str, int] = {**EN_NUMBERS, **RU_NUMBERS}

# Russian collective numerals: "двое", "на двоих", "вдвоем"...
_COLLECTIVE_STEMS = {
    2: ("двое", "двоих", "вдвоем"),
    3: ("трое", "троих", "втроем"),
    4: ("четверо", "четверых", "вчетвером"),
    5: ("пятеро", "пятерых", "впятером"),
    6: ("шестеро", "шестерых", "вшестером"),
    7: ("семеро", "семерых", "всемером"),
    8: ("восьмеро", "восьмерых", "ввосьмером"),
    9: ("девятеро", "девятерых", "вдевятером"),
    10: ("десятеро", "десятерых", "вдесятером"),
}
RU_COLLECTIVE: dict[str, int] = {word: n for n, words in _COLLECTIVE_STEMS.items() for word in words}

# Genitive ordinals, for "полвосьмого" / "в половине восьмого" (half past seven).
RU_ORDINAL_GENITIVE: dict[str, int] = {
    "первого": 1, "второго": 2, "третьего": 3, "четвертого": 4, "пятого": 5, "шестого": 6,
    "седьмого": 7, "восьмого": 8, "девятого": 9, "десятого": 10, "одиннадцатого": 11, "двенадцатого": 12,
}

EN_MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12,
}

RU_MONTHS: dict[str, int] = {
    "января": 1, "январь": 1, "янв": 1,
    "февраля": 2, "февраль": 2, "фев": 2,
    "марта": 3, "март": 3,
    "апреля": 4, "апрель": 4, "апр": 4,
    "мая": 5, "май": 5,
    "июня": 6, "июнь": 6,
    "июля": 7, "июль": 7,
    "августа": 8, "август": 8, "авг": 8,
    "сентября": 9, "сентябрь": 9, "сен": 9, "сент": 9,
    "октября": 10, "октябрь": 10, "окт": 10,
    "ноября": 11, "ноябрь": 11, "нояб": 11,
    "декабря": 12, "декабрь": 12, "дек": 12,
}

# Monday is 0, as in date.weekday().
EN_WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
# Abbreviations that are also ordinary words ("sat down", "in the sun"): only
# read as weekdays after "on", "this" or "next".
AMBIGUOUS_WEEKDAYS = frozenset({"sat", "sun"})

RU_WEEKDAYS: dict[str, int] = {
    "понедельник": 0, "пн": 0,
    "вторник": 1, "вт": 1,
    "среда": 2, "среду": 2, "среды": 2, "ср": 2,
    "четверг": 3, "чт": 3,
    "пятница": 4, "пятницу": 4, "пятницы": 4, "пт": 4,
    "суббота": 5, "субботу": 5, "субботы": 5, "сб": 5,
    "воскресенье": 6, "воскресенья": 6, "вс": 6,
}

# Words naming a day relative to today.
RELATIVE_DAYS: dict[str, int] = {
    "today": 0, "tonight": 0, "this evening": 0,
    "tomorrow": 1, "tmrw": 1, "tmr": 1, "tomorow": 1, "tommorow": 1, "tommorrow": 1,
    "day after tomorrow": 2,
    "сегодня": 0, "завтра": 1, "послезавтра": 2,
}

# A period of the day written after an hour, mapped to how the hour is read:
# "am" keeps it in the morning, "pm" moves 1-11 to the evening, "day" moves
# 1-6 to the afternoon ("в 2 дня"), "night" reads 8-11 as evening and 12 as midnight.
PERIOD_WORDS: dict[str, str] = {
    "am": "am", "a.m.": "am", "a.m": "am", "in the morning": "am", "morning": "am", "утра": "am",
    "pm": "pm", "p.m.": "pm", "p.m": "pm", "in the evening": "pm", "evening": "pm",
    "this evening": "pm", "tonight": "pm", "in the afternoon": "pm", "afternoon": "pm",
    "вечера": "pm", "вечером": "pm",
    "дня": "day", "днем": "day",
    "at night": "night", "ночи": "night",
}

# Words after a number that make it a count of guests ("4 people", "3 человека").
PARTY_NOUNS = (
    "people", "persons", "person", "guests", "guest", "pax", "ppl", "adults", "diners", "covers", "seats", "of us",
    "человек", "чел", "персон", "гост",
)
# Words after "for N" / "на N" that make N something else than guests ("for 3 hours", "на 2 часа").
NOT_AFTER_COUNT = (
    "hour", "hrs", "minute", "mins", "day", "night", "week", "o'clock", "oclock",
    "час", "минут", "дн", "день", "недел", "ноч",
)
# Words after an hour that show it is not a time or not a time at all ("at 8 people", "в 2 раза").
NOT_AFTER_HOUR = (
    "people", "person", "persons", "guest", "guests", "pax", "ppl", "of us", "adults", "kids", "children",
    "day", "days", "week", "weeks", "minute", "minutes", "hour", "hours", "locations",
    "человек", "чел", "персон", "гост", "дн", "день", "недел", "минут", "раз", "зал", "ряд", "этаж",
)
# After "в N" / "к N" with no unit or period, only these words may follow for N to be an hour;
# anything else is probably a noun ("в 2 зале", "в 3 ряду").
RU_WORDS_AFTER_BARE_HOUR = frozenset({
    "на", "или", "и", "а", "в", "во", "к", "с", "до", "завтра", "сегодня", "послезавтра", "пожалуйста",
    "нас", "мы", "будет", "будем", "придем", "прийти", "можно", "вечером", "утром", "днем", "часам", "ровно",
})

# Words anywhere in a message that change how a bare hour is read.
# ("Good morning" and "Good afternoon" are greetings, not hints.)
MORNING_HINTS = ("breakfast", "brunch", "in the morning", "tomorrow morning", "this morning", "завтрак", "утром")
DAYTIME_HINTS = ("lunch", "in the afternoon", "tomorrow afternoon", "this afternoon", "обед", "днем")

YES_WORDS = frozenset({
    "yes", "yeah", "yep", "yup", "ya", "sure", "ok", "okay", "confirm", "confirmed", "correct",
    "right", "absolutely", "definitely", "perfect", "great", "👍", "✅",
    "да", "ага", "угу", "конечно", "подтверждаю", "подтвердить", "верно", "давай", "давайте",
    "хорошо", "ок", "окей", "точно", "согласен", "согласна",
})
YES_PHRASES = frozenset({"of course", "go ahead", "sounds good", "that's right", "all good"})
NO_WORDS = frozenset({
    "no", "nope", "nah", "not", "don't", "dont", "cancel", "wrong", "incorrect", "👎", "❌",
    "не", "нет", "неа", "отмена", "отменить", "отмени", "отмените", "неверно",
})
# A "yes" word immediately followed by one of these is a "no" ("of course not", "да нет").
NEGATORS = frozenset({"not", "не", "нет"})

COMPANIONS_EN = (
    "wife", "husband", "partner", "girlfriend", "boyfriend", "friend", "fiance", "fiancee", "date",
    "mum", "mom", "dad", "mother", "father", "son", "daughter", "colleague", "sister", "brother",
)
# Instrumental case, as in "я с женой", "мы с мужем".
COMPANIONS_RU_INSTRUMENTAL = (
    "женой", "мужем", "девушкой", "парнем", "другом", "подругой", "мамой", "папой",
    "сыном", "дочкой", "дочерью", "коллегой", "сестрой", "братом",
)
# Plural companions: "me and 3 friends" is 4, "мы с двумя друзьями" is 3.
COMPANIONS_PLURAL = ("friends", "colleagues", "others", "mates", "друзьями", "подругами", "коллегами")
COMPANIONS_RU = ("жена", "муж", "девушка", "парень", "друг", "подруга", "мама", "папа")
# fmt: on
