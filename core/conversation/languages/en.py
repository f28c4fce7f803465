"""English words of the guided path."""

from core.conversation.languages import Vocabulary

# fmt: off
WORDS = Vocabulary(
    code="en",
    markers=frozenset({
        "the", "a", "for", "at", "on", "please", "table", "tomorrow", "today", "people", "guests", "book",
        "my", "is", "what", "when", "where", "are", "you", "hi", "hello", "thanks", "thank", "yes", "no",
        "and", "we", "i", "reservation", "time", "tonight", "friday", "saturday", "can", "do", "your",
    }),
    numbers={
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    },
    months={
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
        "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
        "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
        "nov": 11, "november": 11, "dec": 12, "december": 12,
    },
    weekdays={
        "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
        "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
        "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
    },
    # "sat down", "in the sun": read as weekdays only after "on", "this" or "next".
    ambiguous_weekdays=frozenset({"sat", "sun"}),
    weekday_on=("on",),
    weekday_this=(r"this\s+coming", "this", "coming"),
    weekday_next=("next",),
    next_week=(r"next\s+week",),
    relative_days={
        "today": 0, "tonight": 0, "this evening": 0,
        "tomorrow": 1, "tmrw": 1, "tmr": 1, "tomorow": 1, "tommorow": 1, "tommorrow": 1,
        "day after tomorrow": 2,
        "yesterday": -1, "day before yesterday": -2,
    },
    period_words={
        "am": "am", "a.m.": "am", "a.m": "am", "in the morning": "am", "morning": "am",
        "pm": "pm", "p.m.": "pm", "p.m": "pm", "in the evening": "pm", "evening": "pm",
        "this evening": "pm", "tonight": "pm", "in the afternoon": "pm", "afternoon": "pm",
        "at night": "night",
    },
    morning_hints=("breakfast", "brunch", "in the morning", "tomorrow morning", "this morning"),
    daytime_hints=("lunch", "in the afternoon", "tomorrow afternoon", "this afternoon"),
    time_prefixes=("at", "by", "after", "until", "till"),
    approx_prefixes=("around", "about", "approximately", "approx", "roughly", "ca"),
    hour_units=("o'clock", "oclock"),
    party_nouns=("people", "persons", "person", "guests", "guest", "pax", "ppl", "adults", "diners", "covers",
                 "seats", "of us"),
    party_prefixes=("for",),
    party_patterns=(
        r"\b(?:table|booking|reservation|seats?)\s+for\s+(?:a\s+(?:party|group)\s+of\s+)?{n}",
        r"\b(?:party|group)\s+of\s+{n}",
        r"\bwe(?:'re|\s+are|\s+will\s+be|'ll\s+be)\s+(?:a\s+(?:party|group)\s+of\s+)?{n}",
    ),
    not_after_count=("hour", "hrs", "minute", "mins", "day", "night", "week", "o'clock", "oclock"),
    not_after_hour=("people", "person", "persons", "guest", "guests", "pax", "ppl", "of us", "adults", "kids",
                    "children", "day", "days", "week", "weeks", "minute", "minutes", "hour", "hours", "locations"),
    yes_words=frozenset({"yes", "yeah", "yep", "yup", "ya", "sure", "ok", "okay", "confirm", "confirmed", "correct",
                         "right", "absolutely", "definitely", "perfect", "great", "👍", "✅"}),
    yes_phrases=frozenset({"of course", "go ahead", "sounds good", "that's right", "all good"}),
    no_words=frozenset({"no", "nope", "nah", "not", "don't", "dont", "cancel", "wrong", "incorrect", "👎", "❌"}),
    negators=frozenset({"not"}),
    greetings=frozenset({"hi", "hello", "hey", "good morning", "good afternoon", "good evening", "hiya"}),
    reset_words=frozenset({"/start", "start", "menu", "help", "/help"}),
    thanks_re=r"^\W*(?:thanks?(?:\s+you)?|thank\s+you(?:\s+(?:so|very)\s+much)?|thx|ty|cheers|great,?\s+thanks?)\b[\w\s!.,]{0,20}$",
    human_re=(r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+|your\s+|some\s*)?(?:real\s+)?"
              r"(?:human|person|one|body|operator|manager|staff|waiter|agent|team)\b"
              r"|\b(?:a|real|actual)\s+(?:human|person)\b|\b(?:human|operator)\b|\bcall\s+me\s+back\b"),
    cancel_re=r"\bcancel\w*|\bcall\s+off\b",
    list_re=(r"\bmy\s+(?:bookings|reservations)\b"
             r"|\b(?:show|list|see|view|check)\s+(?:me\s+)?(?:all\s+)?(?:my\s+|the\s+)?(?:bookings?|reservations?)\b"
             r"|\bdo\s+i\s+have\s+(?:a|any)\s+(?:bookings?|reservations?)\b"),
    booking_re=r"\bbook(?:ing|ed)?\b|\breserv\w*|\btable\b",
    change_re=(r"\b(?:change|modify|move|reschedule|postpone|amend|update)\b"
               r"|\bmake\s+it\b|\binstead\b"),
    name_prefix_re=r"my\s+name\s+is|my\s+name's|name\s*:|i\s+am|i'm|it's|this\s+is",
    info_re={
        "hours": r"\b(?:opening\s+hours|hours|open(?:ing)?|close|closing|what\s+time\s+do\s+you)\b",
        "address": (r"\b(?:address|where\s+(?:are|is)\s+(?:you|it|the\s+restaurant)|located|location|directions|"
                    r"find\s+you)\b"),
        "phone": r"\b(?:phone(?:\s+number)?|call\s+you|telephone|number\s+to\s+call)\b",
        "website": r"\b(?:website|web\s*site|site|url|menu\s+online|homepage)\b",
        "cuisine": r"\b(?:cuisine|what\s+(?:kind\s+of\s+)?food|what\s+do\s+you\s+serve|dishes|vegan|vegetarian)\b",
        "price": r"\b(?:price|prices|expensive|cheap|cost|how\s+much|price\s+range)\b",
    },
)
# fmt: on
