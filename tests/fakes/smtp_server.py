"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, a free port, in its own thread.

The code under test talks to it with aiosmtplib exactly as to a provider's server, through
``SMTP_URL`` (``mailbox.url``) or a restaurant's saved ``smtpHost``/``smtpPort``. Every message
it accepted is in ``mailbox.messages`` (parsed, :class:`email.message.EmailMessage`), with its
envelope in ``mailbox.envelopes``. ``refuse_next(code, text)`` answers the next DATA with an error.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

# aiosmtpd logs every connection at INFO from its own thread, often between two tests where no capture
# takes it: the test run's output would be full of "EOF received". Its warnings and errors still show.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Handler:
    def __init__(self, box: FakeMailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.box.lock:
            if self.box.refusals:
                return self.box.refusals.pop(0)
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            self.box.messages.append(parsed)
            self.box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.box.received_at.append(time.time())
        return "250 OK"


class FakeMailbox:
    """``with FakeMailbox() as box:`` a listening SMTP server; ``box.url`` is its ``smtp://`` URL."""

    def __init__(self) -> None:
        self.port = free_port()
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refusals: list[str] = []
        self.received_at: list[float] = []  # when each message was accepted (epoch seconds)
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def refuse_next(self, code: int, text: str) -> None:
        """Answer the next message's DATA with ``code text`` (4xx: try later; 5xx: refused)."""
        with self.lock:
            self.refusals.append(f"{code} {text}")

    def to(self, address: str) -> list[EmailMessage]:
        """The messages whose envelope named ``address`` as a recipient."""
        with self.lock:
            return [m for m, (_, rcpt) in zip(self.messages, self.envelopes, strict=True) if address in rcpt]

    def __enter__(self) -> FakeMailbox:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
