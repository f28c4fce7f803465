"""Where a channel's service posts a restaurant's messages.

Each channel reads its own stored fields (:func:`load_config` in its ``settings.py``) and
declares its settings model in its integration type; secrets are decrypted with
``runtime.secrets`` and a save's submitted values are read through
:class:`core.integrations.SaveRequest`.
"""

from __future__ import annotations

from core.runtime import Runtime


def webhook_url(runtime: Runtime, channel: str, restaurant_id: int) -> str:
    """Where the channel's service posts this restaurant's messages: ``PUBLIC_BASE_URL`` + the webhook path."""
    return f"{runtime.settings.public_base_url}/channels/{channel}/{restaurant_id}/webhook"
