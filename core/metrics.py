"""The service's Prometheus metrics, defined in one place (prometheus-client).

The domain counts what it does here, at the seam where it happens: a booking created or canceled where
its event is published (:func:`count_booking`, from :mod:`core.booking.notify`), a conversation turn by
the path that answered it (:func:`count_turn`) and every model call's latency and failure
(:func:`observe_llm`, :func:`count_llm_failure`), from the conversation engine. The HTTP edge (api/)
adds the requests and the open event streams; ``/metrics`` (``api/observability.py``) exports them all,
plus what the database knows (outbox, workers).

**Several processes**: every metric here is a counter, a histogram or a ``livesum`` gauge, which
prometheus-client adds up over processes when ``PROMETHEUS_MULTIPROC_DIR`` names a directory they
share (``tobeout serve --workers N`` makes one when it is not set). Labels whose values come from data
(a booking's source) go through :func:`bounded_label`, so no caller can grow the series without end.
"""

from __future__ import annotations

import re
import threading

from prometheus_client import Counter, Gauge, Histogram

#: Distinct values one data-driven label keeps per process before the rest count as ``other``.
MAX_LABEL_VALUES = 32
_LABEL = re.compile(r"^[a-z0-9_.-]{1,32}$")
_seen: dict[str, set[str]] = {}
_seen_lock = threading.Lock()

HTTP_REQUESTS = Counter("tobeout_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "tobeout_http_request_duration_seconds",
    "Time to answer an HTTP request (streams: until their headers)",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
HTTP_REFUSED = Counter(
    "tobeout_http_refused_total",
    "Requests answered before the app ran: header_timeout, body_timeout (408, connection closed), "
    "too_busy (503 beyond --limit-concurrency), headers_too_large (431)",
    ["reason"],
)
SSE_STREAMS = Gauge("tobeout_sse_streams", "Open /api/events streams", multiprocess_mode="livesum")
SSE_REFUSED = Counter("tobeout_sse_streams_refused_total", "Event streams refused by a cap (429)", ["cap"])
BOOKINGS = Counter(
    "tobeout_bookings_total",
    "Reservations created or canceled, by the booking's source (webchat, staff, walk_in...) and who acted",
    ["event", "source", "actor"],
)
TURNS = Counter(
    "tobeout_conversation_turns_total",
    "Guest messages handled, by the path that answered: llm, guided, fallback (guided after the model "
    "failed), command, error, staff (a person answers), rate_limited, busy",
    ["path"],
)
TURN_LATENCY = Histogram(
    "tobeout_conversation_turn_seconds",
    "Time to answer a guest message, by path",
    ["path"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30),
)
TURNS_WAITING = Gauge(
    "tobeout_conversation_turns_waiting",
    "Guest messages waiting for one of their process's places to be worked on (turns_at_once); "
    "a queue that stays long means the processes have more work than CPU",
    multiprocess_mode="livesum",
)
LLM_LATENCY = Histogram(
    "tobeout_llm_request_seconds",
    "Time of one model request, retries included, by outcome (ok, failed)",
    ["outcome"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30),
)
LLM_FAILURES = Counter(
    "tobeout_llm_failures_total",
    "Turns where the model could not answer and the guided path took over, by reason: timeout "
    "(connection or time budget), rate_limited (429), server_error (5xx), refused (other 4xx), "
    "circuit_open, no_answer",
    ["reason"],
)


def bounded_label(name: str, value: str | None) -> str:
    """``value`` as a label of ``name``: ``unknown`` when empty, ``other`` when it is not a short plain word
    or when ``name`` already has :data:`MAX_LABEL_VALUES` other values in this process."""
    if not value:
        return "unknown"
    value = value.strip().lower()
    if not _LABEL.match(value):
        return "other"
    with _seen_lock:
        seen = _seen.setdefault(name, set())
        if value not in seen:
            if len(seen) >= MAX_LABEL_VALUES:
                return "other"
            seen.add(value)
    return value


def count_booking(event: str, source: str | None, actor: str) -> None:
    """One reservation ``event`` (``created``, ``canceled``) of a booking from ``source``, done by ``actor``."""
    BOOKINGS.labels(event, bounded_label("source", source), actor).inc()


def count_turn(path: str, seconds: float | None = None) -> None:
    """One guest message answered by ``path`` (see :data:`TURNS`), in ``seconds`` when it was answered."""
    TURNS.labels(path).inc()
    if seconds is not None:
        TURN_LATENCY.labels(path).observe(seconds)


def observe_llm(seconds: float, *, ok: bool) -> None:
    """One model request (with its retries) that took ``seconds``."""
    LLM_LATENCY.labels("ok" if ok else "failed").observe(seconds)


def llm_failure_reason(status: int | None, *, circuit_open: bool, answered: bool) -> str:
    """The ``reason`` label of a model failure: from the HTTP ``status`` (None: no answer in time or no
    connection), the circuit breaker, or a model that ``answered`` without anything usable."""
    if circuit_open:
        return "circuit_open"
    if status is None:
        return "no_answer" if answered else "timeout"
    if status == 429:
        return "rate_limited"
    return "server_error" if status >= 500 else "refused"


def count_llm_failure(reason: str) -> None:
    """One turn the model could not answer, for ``reason`` (see :func:`llm_failure_reason`)."""
    LLM_FAILURES.labels(reason).inc()
