"""Helpers for a channel's stored settings (the ``integration_settings`` row of its type).

Each channel reads its own fields (:func:`load_config` in its ``settings.py``); what they
share is how secrets are decrypted, where the webhook lives and how a save request's
masked values are merged with what is stored.
"""

from __future__ import annotations

from typing import Any

from core.integrations import MASK_PREFIX
from core.secrets import SecretBox


def box(runtime: Any) -> SecretBox:
    """The box that encrypts this installation's stored secrets."""
    return SecretBox(runtime.settings.encryption_key)


def webhook_url(runtime: Any, channel: str, restaurant_id: int) -> str:
    """Where the channel's service posts this restaurant's messages: ``PUBLIC_BASE_URL`` + the webhook path."""
    return f"{runtime.settings.public_base_url}/channels/{channel}/{restaurant_id}/webhook"


def submitted(values: dict[str, Any], key: str, stored: str | None) -> str | None:
    """The value a save request gives for ``key``: the stored one when it is left out or masked, None when blank."""
    value = values.get(key)
    if value is None or (isinstance(value, str) and value.startswith(MASK_PREFIX)):
        return stored
    return value or None


def switched_on(enabled: bool | None, config: Any) -> bool:
    """Whether the integration is on after saving: as requested, else as stored, else on."""
    return enabled if enabled is not None else (config.enabled if config is not None else True)
