"""Keep bot tokens out of logs.

Telegram puts the bot token in every API URL (``.../bot<token>/getMe``), and
python-telegram-bot and httpx log those URLs. A log record factory replaces any
token-looking part of such records' text with ``bot<id>:***`` before a handler sees it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

TOKEN = re.compile(r"(\d{5,}):[A-Za-z0-9_-]{20,}")
LOGGERS = ("telegram", "httpx", "httpcore", "channels.telegram")
_installed = False


def redact(text: str) -> str:
    """``text`` with every bot token masked (the bot id stays, for debugging)."""
    return TOKEN.sub(r"\1:***", text)


def install_log_redaction() -> None:
    """Install the record factory once per process (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.name.startswith(LOGGERS):
            message = record.getMessage()
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
