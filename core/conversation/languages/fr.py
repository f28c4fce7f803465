"""French words of the guided path (accented words are listed also without accents, as guests often type them)."""

from core.conversation.languages import Vocabulary


def _plain(words: dict[str, int]) -> dict[str, int]:
    """Each word also spelled without accents ("février" -> "fevrier", "après-demain" -> "apres-demain")."""
    out = dict(words)
    for word, value in words.items():
        out.setdefault(word.translate(_ACCENTS), value)
    return out


_ACCENTS = str.maketrans("éèêëàâîïôûùüç", "eeeeaaiiouuuc")
_DAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|apr[eè]s-demain)"

WORDS = Vocabulary(
    code="fr",
    letters="éèêàçùâîôûœ",
    markers=frozenset(
        {
            "le",
            "la",
            "vos",
            "votre",
            "sont",
            "quels",
            "quel",
            "êtes",
            "etes",
            "horaires",
            "ouverture",
            "les",
            "une",
            "des",
            "pour",
            "et",
            "je",
            "nous",
            "vous",
            "est",
            "bonjour",
            "bonsoir",
            "salut",
            "coucou",
            "bjr",
            "merci",
            "oui",
            "non",
            "réserver",
            "reserver",
            "réservation",
            "reservation",
            "resa",
            "résa",
            "personnes",
            "demain",
            "soir",
            "ce",
            "avec",
            "svp",
            "ma",
            "mon",
            "mes",
            "du",
            "au",
            "on",
            "sera",
            "serons",
            "sommes",
            "voudrais",
            "veux",
            "quelle",
            "heure",
            "heures",
            "ouverts",
            "c'est",
            "pas",
            "parler",
            "samedi",
            "dimanche",
            "vendredi",
            "peut",
            "plaît",
            "plait",
            "d'accord",
        }
    ),
    numbers=_plain(
        {
            "un": 1,
            "une": 1,
            "deux": 2,
            "trois": 3,
            "quatre": 4,
            "cinq": 5,
            "six": 6,
            "sept": 7,
            "huit": 8,
            "neuf": 9,
            "dix": 10,
            "onze": 11,
            "douze": 12,
        }
    ),
    collective={"à deux": 2, "a deux": 2, "à trois": 3, "a trois": 3, "à quatre": 4, "a quatre": 4},
    months=_plain(
        {
            "janvier": 1,
            "janv": 1,
            "février": 2,
            "févr": 2,
            "mars": 3,
            "avril": 4,
            "avr": 4,
            "mai": 5,
            "juin": 6,
            "juillet": 7,
            "juil": 7,
            "août": 8,
            "septembre": 9,
            "octobre": 10,
            "novembre": 11,
            "décembre": 12,
            "déc": 12,
        }
    ),
    weekdays=_plain(
        {
            "lundi": 0,
            "lun": 0,
            "mardi": 1,
            "mercredi": 2,
            "mer": 2,
            "jeudi": 3,
            "jeu": 3,
            "vendredi": 4,
            "ven": 4,
            "samedi": 5,
            "sam": 5,
            "dimanche": 6,
            "dim": 6,
        }
    ),
    # Short forms that are also words ("jeu", "mer", "dim", "sam"): weekdays only after "ce", or before a time.
    ambiguous_weekdays=frozenset({"lun", "mer", "jeu", "ven", "sam", "dim"}),
    weekday_on=("le",),
    day_after_weekday=True,  # "samedi 12" is the 12th (a time is written "12h")
    weekday_this=("ce",),
    weekday_next=(),
    # "mardi prochain", "samedi de la semaine prochaine": the weekday of next calendar week
    next_week=(r"prochain", r"(?:de\s+)?la\s+semaine\s+prochaine"),
    relative_days=_plain(
        {"aujourd'hui": 0, "ce soir": 0, "demain": 1, "après-demain": 2, "après demain": 2, "hier": -1}
    ),
    period_words={
        "du matin": "am",
        "le matin": "am",
        "du soir": "pm",
        "le soir": "pm",
        "de l'après-midi": "pm",
        "de l'apres-midi": "pm",
        "de la nuit": "night",
    },
    morning_hints=("petit-déjeuner", "petit déjeuner", "petit dejeuner", "matin", "brunch"),
    daytime_hints=("déjeuner", "dejeuner", "midi"),
    time_prefixes=("à",),
    approx_prefixes=("vers", "environ", "aux alentours de"),
    hour_units=("heures", "heure", "h"),
    party_nouns=("personnes", "personne", "pers", "couverts", "convives"),
    party_prefixes=("pour", "pr"),
    party_patterns=(
        r"\btable\s+(?:pour|pr|de)\s+{n}",
        r"\bnous\s+(?:serons|sommes|serions|seront|venons\s+à)\s+(?:finalement\s+|en\s+fait\s+|donc\s+)?{n}",
        r"\bon\s+(?:sera|est|seras|serait|vient\s+à)\s+(?:finalement\s+|en\s+fait\s+|donc\s+)?{n}",
        r"\b(?:venir|être|etre)\s+(?:à|a)\s+{n}(?!\s*h\b)",
        r"\b(?:pour|pr)\s+{n}\s+(?:adultes|adulte)\b",
    ),
    companions=(
        "femme",
        "mari",
        "copine",
        "copain",
        "compagne",
        "compagnon",
        "conjoint",
        "conjointe",
        "ami",
        "amie",
        "mère",
        "mere",
        "père",
        "pere",
        "fille",
        "fils",
        "soeur",
        "sœur",
        "frère",
        "frere",
        "collègue",
        "fiancé",
        "fiancée",
    ),
    pair_patterns=(
        r"\bmoi\s+et\s+(?:ma|mon)\s+{c}\b",
        r"\b(?:ma|mon)\s+{c}\s+et\s+moi\b",
        r"\bavec\s+(?:ma|mon)\s+{c}\b(?=.*\bje\b|.*\bmoi\b)",
    ),
    not_after_count=("heure", "heures", "h", "minute", "jour", "semaine", "nuit", "ans", "mois"),
    not_after_hour=("personnes", "personne", "pers", "couverts", "convives", "minutes", "jours", "semaines", "ans"),
    yes_words=frozenset(
        {
            "oui",
            "ouais",
            "ouai",
            "d'accord",
            "dac",
            "parfait",
            "exact",
            "exactement",
            "volontiers",
            "confirme",
            "confirmé",
            "confirmer",
            "entendu",
            "impeccable",
            "nickel",
            "super",
            "ok",
            "okay",
        }
    ),
    yes_phrases=frozenset({"bien sûr", "bien sur", "c'est bon", "ça marche", "ca marche", "tout à fait", "c'est ça"}),
    no_words=frozenset({"non", "nan"}),
    negators=frozenset({"pas"}),
    greetings=frozenset({"bonjour", "bonsoir", "salut", "coucou", "bjr", "bonjour à vous"}),
    reset_words=frozenset({"aide", "menu", "recommencer"}),
    thanks_re=r"^\W*(?:merci(?:\s+beaucoup|\s+bien|\s+à\s+vous)?|je\s+vous\s+remercie)\b[\w\s!.,]{0,20}$",
    human_re=(
        r"\b(?:parler\s+(?:à|a)\s+(?:quelqu'un|une?\s+(?:vraie?\s+)?(?:personne|humain|employée?|serveur|serveuse))|"
        r"une?\s+(?:vraie?\s+)?personne\s+(?:réelle|reelle|physique)|quelqu'un\s+du\s+restaurant|"
        r"rappelez-moi|me\s+rappeler)"
    ),
    cancel_re=(
        r"\bannul\w*|\bdécommand\w*|\bdecommand\w*"
        r"|\bne\s+(?:pourr\w+|peu[xt]|pouvons|pourrons|viendr\w+)\s+(?:plus\s+|finalement\s+)?(?:pas|plus)\b(?:\s+venir)?"
    ),
    list_re=(
        r"\bmes\s+r[ée]s(?:ervations?|as?)\b|\b(?:voir|afficher|consulter)\s+(?:ma|mes)\s+r[ée]s\w*"
        r"|\bai-je\s+une\s+r[ée]s\w*|\best-ce\s+que\s+j'ai\s+une\s+r[ée]s\w*"
    ),
    booking_re=r"\br[ée]serv\w*|\br[ée]sa\b|\btable\b",
    change_re=(
        r"\b(?:modifi\w*|chang\w*|d[ée]cal\w*|d[ée]plac\w*|report\w*|avancer|avancez|repousser|au\s+lieu\s+de|"
        r"plut[oô]t|la\s+passer\s+(?:à|a)|(?:on\s+a|nous\s+avons|j'ai)\s+(?:déjà\s+)?une\s+r[ée]s(?:ervation|a)\b)"
    ),
    name_prefix_re=r"je\s+m['’]appelle|mon\s+nom\s+est|moi\s+c['’]est|c['’]est|au\s+nom\s+de|nom\s*:",
    info_re={
        "hours": (
            r"\b(?:horaires?|heures\s+d'ouverture|ouverts?|ouvertes?|ouvrez|fermez|fermés?|fermez-vous|"
            r"jusqu'(?:à|a)\s+quelle\s+heure|à\s+quelle\s+heure\s+(?:vous\s+)?(?:ouvr|ferm)\w*)"
        ),
        "address": (
            r"\b(?:adresse|où\s+(?:êtes|etes|se\s+trouve|vous\s+trouver|est\s+(?:le|votre)\s+restaurant)|ou\s+etes|"
            r"c'est\s+o[uù]\b|vous\s+(?:êtes|etes)\s+o[uù]\b|comment\s+venir)"
        ),
        "phone": r"\b(?:num[ée]ro\s+de\s+t[ée]l[ée]phone|t[ée]l[ée]phone\s+du\s+restaurant|vous\s+appeler)\b",
        "website": r"\b(?:site\s+(?:web|internet))\b",
        "cuisine": (
            r"\b(?:(?:type|genre)\s+de\s+cuisine|quelle\s+cuisine|la\s+carte|votre\s+menu|vos\s+plats|"
            r"(?:plats?|options?|menus?)\s+(?:v[ée]g[ée]tarien\w*|v[ée]gan\w*|sans\s+gluten))\b"
        ),
        "price": r"\b(?:prix|tarifs?|combien\s+(?:ça|ca)\s+co[uû]te)\b",
    },
    stemmer="french",
    human_words=(
        "quelqu'un du restaurant",
        "responsable",
        "gérant",
        "gerant",
        "manager",
        "directeur",
        "patron",
        "humain",
        "employé",
    ),
    cancel_words=("annuler", "annulation", "décommander"),
    adult_words=("adulte", "adultes"),
    child_words=("enfant", "enfants", "bébé", "bebe", "gamin", "ado", "adolescent"),
    friend_words=("ami", "amis", "amie", "amies", "copain", "copains", "copine", "collègue", "collègues"),
    request_words={
        "allergy": ("allergie", "allergique", "noix", "arachide", "cacahuète", "lactose", "intolérance"),
        "vegan": ("végan", "vegan", "végétalien"),
        "vegetarian": ("végétarien", "végétarienne", "vegetarien"),
        "gluten_free": ("sans gluten", "gluten", "coeliaque", "cœliaque"),
        "dietary": ("halal", "casher"),
        "birthday": ("anniversaire",),
        "anniversary": ("anniversaire de mariage", "noces"),
        "occasion": ("fiançailles", "demande en mariage", "fête", "célébrer"),
        "high_chair": ("chaise haute", "réhausseur", "rehausseur"),
        "wheelchair": ("fauteuil roulant",),
        "accessibility": ("poussette", "mobilité réduite", "accessible"),
        "window": ("fenêtre",),
        "quiet": ("calme", "tranquille"),
        "outdoor": ("terrasse", "dehors", "extérieur"),
        "seating": ("banquette", "coin"),
    },
    now_words=("maintenant", "en ce moment", "actuellement"),
    # "décaler notre réservation de samedi à dimanche": the day after "de" is the one said no to when another
    # day follows "à" ("une table de 4 à 20h" is a party, "réservation de samedi à 20h" a day and a time)
    correction_re=(
        r"\bpas|\bau\s+lieu\s+de|\bplut[oô]t\s+que"
        rf"|\bde(?=\s+{_DAYS}\s+(?:à|a)\s+{_DAYS}\b)"
    ),
    negation_before_re=r"\b(?:ne|n')\s*\S+\s+(?:\S+\s+)?",  # "ne viendrons pas", "n'est pas", "ne pourra plus pas"
    meant_re=r"\bje\s+voulais\s+dire|\bje\s+veux\s+dire",
    change_to_re=r"\b(?:passer|décaler|decaler|déplacer|deplacer|avancer|repousser|reporter)\s+(?:\S+\s+){0,3}?(?:à|a)",
    name_intro_re=(
        r"je\s+m['’]appelle|mon\s+nom\s+est|moi\s+c['’]est|au\s+nom\s+de|de\s+la\s+part\s+de|je\s+suis|nom\s*:"
    ),
)
