"""Secret values kept out of every log line, by value rather than by shape.

Every secret the service holds (a restaurant's bot token, Twilio auth token or OpenAI key, an SMTP
password, ``SECRET_KEY``, the database and Redis passwords) is *registered* here when it is loaded,
decrypted or saved, and *forgotten* when it is removed. :class:`SecretFilter`, installed on the
root logger's handlers by :func:`core.logs.configure_logging`, replaces each registered value in
a record's message, its exception text and its stack text with ``[secret]`` before any handler
formats it, whichever library logged it (httpx logging a Bot API URL, an SDK's traceback).

Values are matched as registered and in the forms they take inside URLs and JSON
(percent-encoded, ``+`` for spaces, JSON-escaped), so a token of any shape is masked. Values
shorter than :data:`MIN_LENGTH` are not registered: masking every ``abc`` would garble the logs
while hiding nothing.

For code that holds a secret of its own (a channel reading an SMTP password from its settings):
call :func:`register_secret` with the plain value as soon as it is read. Secrets stored through
:mod:`core.integrations` (``SecretStr`` fields) and the service's own settings are registered
for you.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from urllib.parse import quote, quote_plus, unquote, urlsplit

MASK = "[secret]"
#: Set on a record once it is masked, so that the next handler's filter leaves it as it is.
MASKED_ATTRIBUTE = "tobeout_masked"
#: Shorter values are not masked (they would match ordinary words).
MIN_LENGTH = 4

_lock = threading.Lock()
_values: set[str] = set()
_pattern: re.Pattern[str] | None = None
_exception_formatter = logging.Formatter()


def _forms(value: str) -> set[str]:
    """``value`` as written, percent-encoded (path and query style) and JSON-escaped."""
    forms = {value, quote(value, safe=""), quote(value), quote_plus(value), json.dumps(value)[1:-1]}
    return {form for form in forms if len(form) >= MIN_LENGTH}


def _rebuild() -> None:
    global _pattern
    forms: set[str] = set()
    for value in _values:
        forms |= _forms(value)
    if not forms:
        _pattern = None
        return
    # Longest first, so a secret containing another is masked whole.
    _pattern = re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)))


def register_secret(value: str | None) -> None:
    """Mask ``value`` in every log line of this process from now on (None, blank or short values are ignored).

    Call it with the plain value wherever a secret enters the process: read from the environment or
    a settings file, decrypted, or received in a save request before it is checked with the service.
    """
    if not value or len(value) < MIN_LENGTH:
        return
    with _lock:
        if value in _values:
            return
        _values.add(value)
        _rebuild()


def register_url_password(url: str | None) -> None:
    """Mask the password of a URL such as ``postgres://user:pass@host/db`` or ``smtp://user:pass@host``."""
    if not url:
        return
    try:
        password = urlsplit(url).password
    except ValueError:
        return
    if password:
        register_secret(password)
        register_secret(unquote(password))


def forget_secret(value: str | None) -> None:
    """Stop masking ``value`` (the secret was deleted; nothing will log it any more)."""
    if not value:
        return
    with _lock:
        if value in _values:
            _values.discard(value)
            _rebuild()


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``[secret]``."""
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


def registered_count() -> int:
    """How many secret values are registered (for tests and start-up logging)."""
    return len(_values)


class SecretFilter(logging.Filter):
    """A handler filter that rewrites a record so that no registered secret reaches the handler.

    The message is formatted once (``msg % args``) and masked; an exception or stack trace is
    formatted and masked into ``exc_text``/``stack_info``, which formatters use as they are.
    The record is changed in place, so every handler after this one sees it masked too; it is
    masked once only (the mask itself may contain a registered value, such as a secret "secret").
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record; always lets it through."""
        if _pattern is None or getattr(record, MASKED_ATTRIBUTE, False):
            return True
        setattr(record, MASKED_ATTRIBUTE, True)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as it would
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _exception_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install_secret_filter(handler: logging.Handler) -> None:
    """Add :class:`SecretFilter` to ``handler`` (once)."""
    if not any(isinstance(existing, SecretFilter) for existing in handler.filters):
        handler.addFilter(SecretFilter())
