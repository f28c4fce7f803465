"""German words of the guided path (umlauts are written as the guest writes them: both "ü" and "ue" work)."""

from core.conversation.languages import Vocabulary


def _both(words: dict[str, int]) -> dict[str, int]:
    """Each word also spelled without umlauts ("für" -> "fuer", "fur"), as guests type on other keyboards."""
    out = dict(words)
    for word, value in words.items():
        for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
            if a in word:
                out.setdefault(word.replace(a, b), value)
    return out


# fmt: off
WORDS = Vocabulary(
    code="de",
    markers=frozenset({
        "der", "die", "das", "und", "ich", "wir", "sie", "für", "fuer", "einen", "ein", "eine", "tisch",
        "morgen", "heute", "uhr", "um", "bitte", "personen", "leute", "reservieren", "reservierung", "ist",
        "hallo", "danke", "ja", "nein", "sind", "möchte", "moechte", "gerne", "gern", "guten", "tag", "wann",
        "wo", "habt", "haben", "ihr", "mit", "am", "zu", "zwei", "drei", "vier", "uns", "mein", "meine",
        "buchen", "übermorgen", "abend", "abends", "freitag", "samstag", "sonntag", "gäste", "geöffnet",
    }),
    numbers=_both({
        "eins": 1, "ein": 1, "eine": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
        "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    }),
    collective={"zu zweit": 2, "zu dritt": 3, "zu viert": 4, "zu fünft": 5, "zu fuenft": 5, "zu sechst": 6,
                "zu siebt": 7, "zu acht": 8, "zu neunt": 9, "zu zehnt": 10, "zu zwei": 2},
    months=_both({
        "januar": 1, "jan": 1, "jänner": 1, "februar": 2, "feb": 2, "märz": 3, "mär": 3, "april": 4, "apr": 4,
        "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9,
        "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
    }),
    weekdays={
        "montag": 0, "mo": 0, "dienstag": 1, "di": 1, "mittwoch": 2, "mi": 2, "donnerstag": 3, "do": 3,
        "freitag": 4, "fr": 4, "samstag": 5, "sa": 5, "sonnabend": 5, "sonntag": 6, "so": 6,
    },
    # "so", "do", "mi", "di", "sa" are ordinary words or syllables: weekdays only after "am", "diesen", "nächsten".
    ambiguous_weekdays=frozenset({"mo", "di", "mi", "do", "fr", "sa", "so"}),
    weekday_on=("am",),
    weekday_this=(r"diese[nrs]?", r"kommende[nrs]?"),
    weekday_next=(r"nachste[nrs]?", r"nächste[nrs]?", r"naechste[nrs]?"),
    next_week=(r"nächste\s+woche", r"naechste\s+woche", r"nachste\s+woche"),
    relative_days={"heute": 0, "heute abend": 0, "morgen": 1, "übermorgen": 2, "uebermorgen": 2,
                   "gestern": -1, "vorgestern": -2},
    not_dates=("guten morgen", "morgen früh", "morgens"),
    period_words={"morgens": "am", "früh": "am", "vormittags": "am", "abends": "pm", "am abend": "pm",
                  "nachmittags": "pm", "am nachmittag": "pm", "mittags": "day", "nachts": "night"},
    morning_hints=("frühstück", "fruehstueck", "morgens", "vormittag"),
    daytime_hints=("mittagessen", "mittags", "zum mittag"),
    time_prefixes=("um", "ab", "bis"),
    approx_prefixes=("gegen", "ca.", "ca", "circa", "etwa", "ungefähr", "ungefaehr"),
    hour_units=("uhr",),
    party_nouns=("personen", "person", "leute", "gäste", "gaeste", "gast", "pers"),
    party_prefixes=("für", "fuer", "fur"),
    party_patterns=(r"\btisch\s+f(?:ü|ue|u)r\s+{n}", r"\bwir\s+(?:sind|kommen\s+zu|werden)\s+(?:zu\s+)?{n}"),
    not_after_count=("stunde", "minute", "tag", "nacht", "woche", "uhr"),
    not_after_hour=("personen", "person", "leute", "gäste", "gaeste", "gast", "stunde", "minute", "tag", "woche"),
    yes_words=frozenset({"ja", "jawohl", "genau", "gerne", "gern", "klar", "richtig", "passt", "okay", "ok",
                         "bestätigen", "einverstanden", "super", "prima"}),
    yes_phrases=frozenset({"na klar", "auf jeden", "passt so", "sehr gerne"}),
    no_words=frozenset({"nein", "nee", "nö", "ne", "nicht", "falsch", "abbrechen", "stornieren"}),
    negators=frozenset({"nicht"}),
    greetings=frozenset({"hallo", "guten tag", "guten abend", "guten morgen", "servus", "moin", "grüß gott",
                         "hi"}),
    reset_words=frozenset({"hilfe", "menü", "neu"}),
    thanks_re=r"^\W*(?:danke(?:\s+schön|\s+sehr)?|vielen\s+dank|dankeschön|merci)\b[\w\s!.,]{0,20}$",
    human_re=(r"\b(?:mitarbeiter\w*|mensch\w*|person\s+sprechen|jemand\w*\s+(?:sprechen|reden)|"
              r"(?:mit\s+)?(?:einem|einer)\s+(?:menschen|person|mitarbeiter\w*)|telefonisch\s+sprechen|"
              r"rückruf|rueckruf)\b"),
    cancel_re=r"\b(?:stornier\w*|absagen|abzusagen|absage)\b",
    list_re=(r"\bmeine\s+(?:reservierung|buchung)\w*|\b(?:zeig\w*|liste)\s+(?:mir\s+)?(?:meine\s+)?"
             r"(?:reservierung|buchung)\w*|\bhabe\s+ich\s+(?:eine\s+)?(?:reservierung|buchung)\w*"),
    booking_re=r"\breservier\w*|\bbuchen\b|\bbuchung\b|\btisch\w*",
    change_re=r"\b(?:änder\w*|aender\w*|verschieb\w*|umbuch\w*|verleg\w*)",
    name_prefix_re=r"mein\s+name\s+ist|ich\s+heiße|ich\s+heisse|ich\s+bin|name\s*:",
    info_re={
        "hours": (r"\b(?:öffnungszeiten|oeffnungszeiten|geöffnet|geoeffnet|offen|"
                  r"wann\s+(?:habt|haben)\s+(?:ihr|sie)\s+(?:auf|offen)|bis\s+wann)\b"),
        "address": r"\b(?:adresse|wo\s+(?:seid|sind|ist)\s+(?:ihr|sie|das\s+restaurant)|anfahrt|wo\s+finde)\b",
        "phone": r"\b(?:telefon\w*|anrufen|nummer)\b",
        "website": r"\b(?:webseite|website|internetseite|homepage)\b",
        "cuisine": r"\b(?:küche|kueche|was\s+für\s+essen|speisekarte|gerichte|vegan|vegetarisch)\b",
        "price": r"\b(?:preis\w*|teuer|kosten|kostet)\b",
    },
)
# fmt: on
