"""Logging, configured in one place at start-up: :func:`configure_logging`.

Every ``tobeout`` process (the server, each ``--workers`` process, ``tobeout worker``, one-off
commands) calls it first. It puts one handler on the root logger, writing to stderr:

* ``LOG_FORMAT=text`` (default): ``2026-12-07T14:30:44.123Z INFO api.access [r-3f2a...] message``;
* ``LOG_FORMAT=json``: one JSON object a line (``time``, ``level``, ``logger``, ``message``,
  ``request_id`` when there is one, ``exception`` when there is one);

at ``LOG_LEVEL`` (INFO). Timestamps are always there, in UTC. Libraries (uvicorn, httpx, the SDKs)
log through the root logger, so they get the same format. Every root handler gets
:class:`core.redaction.SecretFilter`, so no registered secret reaches a log line.

The request id (:data:`REQUEST_ID`) is a context variable: set by the API for each request (from a
valid ``X-Request-Id`` header, or made up), it follows the request into the booking engine and the
events and outbox rows it writes, and every log line written meanwhile carries it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TextIO

from core.redaction import SecretFilter, install_secret_filter

#: The id of the request (or outbox message) being handled in this context, None outside one.
REQUEST_ID: ContextVar[str | None] = ContextVar("tobeout_request_id", default=None)
#: What a client may send as its own ``X-Request-Id``: short and plain, or we make one up.
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
LOG_FORMATS = ("text", "json")


def new_request_id(given: str | None = None) -> str:
    """``given`` when it is a plain id of at most 64 characters, else a new random one."""
    if given and _VALID_ID.fullmatch(given):
        return given
    return secrets.token_hex(8)


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(record.msecs):03d}Z"


class _RequestIdFilter(logging.Filter):
    """Puts the context's request id on each record (``record.request_id``, None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


class _ExpectedOutageFilter(logging.Filter):
    """asyncpg's pool logs a warning with a full traceback each time it cannot reopen a connection while
    PostgreSQL restarts ("Failed to restore the pool connection floor; retrying"), which it then does by
    itself: the line stays, with the reason in it, and the traceback goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "asyncpg.pool" and record.levelno == logging.WARNING and record.exc_info:
            error = record.exc_info[1]
            if error is not None:
                record.msg, record.args = f"{record.getMessage()} ({type(error).__name__}: {error})", None
            record.exc_info, record.exc_text = None, None
        return True


class TextFormatter(logging.Formatter):
    """``<UTC time> <LEVEL> <logger> [<request id>] <message>`` (the brackets only inside a request)."""

    def format(self, record: logging.LogRecord) -> str:
        """One line (plus the traceback, if any)."""
        request_id = getattr(record, "request_id", None)
        where = f" [{request_id}]" if request_id else ""
        line = f"{_timestamp(record)} {record.levelname} {record.name}{where}: {record.getMessage()}"
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + record.exc_text
        if record.stack_info:
            line += "\n" + record.stack_info
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time``, ``level``, ``logger``, ``message``, ``request_id``, ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry: dict[str, object] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


class _ServiceHandler(logging.StreamHandler[TextIO]):
    """The handler :func:`configure_logging` installs (recognised so a second call replaces it).

    Without a stream of its own it writes to whatever ``sys.stderr`` is when a record comes, not the
    one of when it was installed: a stderr that was swapped and closed since (a test runner's capture)
    would otherwise take every later record from another thread with it."""

    def __init__(self, stream: TextIO | None = None) -> None:
        logging.Handler.__init__(self)
        self._own_stream = stream

    @property
    def stream(self) -> TextIO:
        return self._own_stream if self._own_stream is not None else sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        self._own_stream = value


def configure_logging(level: str | None = None, fmt: str | None = None, stream: TextIO | None = None) -> None:
    """Log to ``stream`` (stderr) at ``level`` (``LOG_LEVEL``, INFO) in ``fmt`` (``LOG_FORMAT``, text).

    Idempotent: a second call replaces the handler the first installed. Every other handler already
    on the root logger (a test runner's) gets the secret filter too. An unknown level or format
    falls back to the default here; :func:`core.config.load_settings` then refuses it in one line.
    """
    level = (level or os.environ.get("LOG_LEVEL") or "INFO").upper()
    fmt = (fmt or os.environ.get("LOG_FORMAT") or "text").lower()
    root = logging.getLogger()
    for existing in list(root.handlers):
        if isinstance(existing, _ServiceHandler):
            root.removeHandler(existing)
    handler = _ServiceHandler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(_ExpectedOutageFilter())  # before the masking: the line it writes is masked too
    handler.addFilter(SecretFilter())  # the message is masked before anything else reads it
    handler.addFilter(_RequestIdFilter())
    root.addHandler(handler)
    for other in root.handlers:
        install_secret_filter(other)
    root.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
