"""How the bot did, by language: conversations that ended in a booking, handoffs and why, turns to
book, fallbacks to the guided path and circuit-open refusals.

Over the range's instants (local midnights, see :mod:`core.reports.period`):

* ``conversations``: chats in which the guest wrote at least once in the range, by the chat's language;
* ``booked``: those in which a booking was made in the range on the chat's own channel for its
  guest; ``booking_rate`` is their share;
* ``median_turns``: the median number of the range's guest messages up to and including the one
  that booked;
* ``handoffs`` and their reasons (``ai_activities`` rows of type ``handoff``): ``asked`` (the guest
  asked for a person on the guided path), ``llm_tool`` (the model's hand-off tool),
  ``not_understood`` (several messages in a row not understood); ``handoff_rate`` is handoffs over
  conversations;
* ``fallbacks``: turns the LLM could not answer, answered by the guided path, of which
  ``circuit_open`` were refused at once by the open circuit breaker.

Handoffs and fallbacks carry the language the conversation had then (``unknown`` for rows
recorded before they did).
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from core.reports.period import Period
from core.reports.sql import dialect, rows
from core.reports.table import Report, Value, rate

COLUMNS = [
    "language",
    "conversations",
    "booked",
    "booking_rate",
    "median_turns",
    "handoffs",
    "handoff_rate",
    "asked",
    "llm_tool",
    "not_understood",
    "fallbacks",
    "circuit_open",
]
COUNTED = ("conversations", "booked", "handoffs", "asked", "llm_tool", "not_understood", "fallbacks", "circuit_open")


def _conversations_sql() -> str:
    """One row per conversation of the range: its language, whether it booked, the guest's messages to the booking.

    Read in one pass over the range's guest messages of the restaurant's conversations active since the range
    began (a guest message in the range means a later last activity), beside the first booking each made."""
    i = dialect().instant
    in_range = f"{{at}} >= {i('$2')} AND {{at}} < {i('$3')}"
    return f"""WITH booked AS (
  SELECT c.id AS id, MIN(r.created_at) AS booked_at
  FROM reservations r
  JOIN conversations c ON c.restaurant_id = $1 AND c.guest_id = r.guest_id AND c.channel = r.source
  WHERE r.restaurant_id = $1 AND {in_range.format(at=i("r.created_at"))}
  GROUP BY c.id
)
SELECT c.language AS language, MAX(CASE WHEN b.booked_at IS NULL THEN 0 ELSE 1 END) AS booked,
  SUM(CASE WHEN {i("m.created_at")} <= {i("b.booked_at")} THEN 1 ELSE 0 END) AS turns
FROM conversations c JOIN conversation_messages m ON m.conversation_id = c.id LEFT JOIN booked b ON b.id = c.id
WHERE c.restaurant_id = $1 AND {i("c.last_activity")} >= {i("$2")} AND m.role = 'guest'
  AND {in_range.format(at=i("m.created_at"))}
GROUP BY c.id, c.language"""


def _conversation_groups_sql() -> str:
    """:func:`_conversations_sql` counted by language, booked and turns: a few hundred rows for a year's tens of
    thousands of conversations, so the server's event loop never shapes one row per conversation."""
    return f"""SELECT per.language AS language, per.booked AS booked, per.turns AS turns, COUNT(*) AS n
FROM ({_conversations_sql()}) per
GROUP BY per.language, per.booked, per.turns"""


def _activities_sql() -> str:
    d = dialect()
    language, reason = d.json_text("a.metadata", "language"), d.json_text("a.metadata", "reason")
    path, error = d.json_text("a.metadata", "path"), d.json_text("a.metadata", "error")
    return f"""SELECT a.type AS type, COALESCE({language}, 'unknown') AS language, COALESCE({reason}, '') AS reason,
  COALESCE({path}, '') AS path, CASE WHEN {error} LIKE 'circuit open%' THEN 1 ELSE 0 END AS circuit, COUNT(*) AS n
FROM ai_activities a
WHERE a.restaurant_id = $1 AND a.type IN ('fallback', 'handoff')
  AND {d.instant("a.created_at")} >= {d.instant("$2")} AND {d.instant("a.created_at")} < {d.instant("$3")}
GROUP BY 1, 2, 3, 4, 5"""


async def bot_report(period: Period) -> Report:
    """The ``bot`` report of ``period`` (see the module docstring)."""
    d = dialect()
    args = [period.restaurant_id, d.param_instant(period.starts_at), d.param_instant(period.ends_at)]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    turns: dict[str, list[int]] = defaultdict(list)
    for row in await rows(_conversation_groups_sql(), args):
        language, n = str(row["language"] or "unknown"), int(row["n"])
        counts[language]["conversations"] += n
        if int(row["booked"]):
            counts[language]["booked"] += n
            turns[language].extend([int(row["turns"] or 0)] * n)
    for row in await rows(_activities_sql(), args):
        language, n = str(row["language"]), int(row["n"])
        if row["type"] == "fallback":
            counts[language]["fallbacks"] += n
            counts[language]["circuit_open"] += n * int(row["circuit"])
            continue
        counts[language]["handoffs"] += n
        if row["reason"] == "not_understood":
            counts[language]["not_understood"] += n
        elif row["path"] == "llm":
            counts[language]["llm_tool"] += n
        else:
            counts[language]["asked"] += n
    order = sorted(counts, key=lambda lang: (-counts[lang]["conversations"], lang))
    table = [_row(lang, counts[lang], turns[lang]) for lang in order]
    everything: dict[str, int] = defaultdict(int)
    for values in counts.values():
        for name, value in values.items():
            everything[name] += value
    total = _row("total", everything, [t for lang in order for t in turns[lang]])
    return Report("bot", period, COLUMNS, table, dict(zip(COLUMNS[1:], total[1:], strict=True)))


def _row(language: str, counts: dict[str, int], turns: list[int]) -> list[Value]:
    values = {name: counts.get(name, 0) for name in COUNTED}
    return [
        language,
        values["conversations"],
        values["booked"],
        rate(values["booked"], values["conversations"]),
        median(turns) if turns else None,
        values["handoffs"],
        rate(values["handoffs"], values["conversations"]),
        values["asked"],
        values["llm_tool"],
        values["not_understood"],
        values["fallbacks"],
        values["circuit_open"],
    ]
