"""Encryption of stored integration secrets (bot tokens, auth tokens, API keys).

Secrets are encrypted with Fernet under ``TOBEOUT_ENCRYPTION_KEY`` before they reach the
database, returned to staff only masked, and never logged: every value encrypted or decrypted here is
registered with :mod:`core.redaction`, which masks it in every log line of the process.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from core.errors import ConfigurationError
from core.redaction import register_secret


class SecretBox:
    """Encrypts and decrypts strings with one Fernet key."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def encrypt(self, plaintext: str) -> str:
        """The ciphertext of ``plaintext`` (url-safe text, safe to store in JSON); ``plaintext`` is masked in logs."""
        register_secret(plaintext)
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """The plaintext; raises ``ConfigurationError`` when the key does not match (key rotated?)."""
        try:
            plaintext = self._fernet.decrypt(ciphertext.encode()).decode()
        except (InvalidToken, ValueError):
            raise ConfigurationError(
                "A stored secret cannot be decrypted with TOBEOUT_ENCRYPTION_KEY; was the key changed? "
                "Save the integration's credentials again."
            ) from None
        register_secret(plaintext)  # masked in every log line of this process from now on
        return plaintext


def mask(secret: str | None) -> str | None:
    """What staff see of a secret: its last four characters, e.g. ``••••wxyz``."""
    if not secret:
        return None
    return "••••" + secret[-4:] if len(secret) > 8 else "••••"
