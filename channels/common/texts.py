"""What every channel sends the same way: long text in pieces, and the answer to a message without text."""

from __future__ import annotations

from core.conversation import i18n


def unsupported(language: str | None) -> str:
    """The polite answer to a sticker, photo, voice note... in the guest's language (English otherwise)."""
    return i18n.say(language, "unsupported")


def split_text(value: str, limit: int) -> list[str]:
    """``value`` in pieces of at most ``limit`` characters, cut at line breaks where possible."""
    pieces, rest = [], value
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    return [*pieces, rest] if rest or not pieces else pieces
