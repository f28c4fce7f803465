"""What the example channel is configured with.

- :class:`ExampleSettings`, the plugin's ``plugins.toml`` table (``[plugins.example]``),
  checked at startup: how old a signed request may be, how long a send may take, and the
  text of the ``get_parking_info`` tool.
- :class:`GatewaySettings`, one restaurant's connection to its gateway, saved by the owner
  through ``POST /api/integrations/example`` (the integration type this plugin declares):
  the signing secret (stored encrypted, answered masked) and the gateway's URL for
  outgoing messages.
- :func:`load_gateway`, a restaurant's stored connection, decrypted, or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field, SecretStr

from core.errors import ConfigurationError
from core.integrations import MASK_PREFIX, IntegrationSettings, decrypt_setting, get_integration
from core.jsontypes import text_at
from core.plugin_settings import PluginSettings
from core.runtime import Runtime

NAME = "example"  # the plugin's entry-point name, its plugins.toml table, channel and integration type


class ExampleSettings(PluginSettings):
    """``[plugins.example]`` in plugins.toml."""

    signature_tolerance_seconds: int = Field(300, ge=10, le=3600)
    send_timeout_seconds: float = Field(10.0, gt=0, le=60)
    parking: str = Field("No parking information.", max_length=500)


def _long_enough(value: SecretStr | None) -> SecretStr | None:
    plain = value.get_secret_value() if value is not None else ""
    if plain and not plain.startswith(MASK_PREFIX) and len(plain) < 16:
        raise ValueError("must be at least 16 characters (the gateway's webhook signing secret)")
    return value


def _http_url(value: str | None) -> str | None:
    if value and not value.startswith(("http://", "https://")):
        raise ValueError("must be the gateway's http:// or https:// URL for outgoing messages")
    return value


class GatewaySettings(IntegrationSettings):
    """One restaurant's gateway: ``signingSecret`` (secret) and ``outboundUrl``."""

    signing_secret: Annotated[SecretStr | None, AfterValidator(_long_enough)] = Field(
        None, max_length=512, title="Signing secret"
    )
    outbound_url: Annotated[str | None, AfterValidator(_http_url)] = Field(
        None, max_length=2000, title="Outbound URL", examples=["https://gateway.example.net/send"]
    )


@dataclass(frozen=True)
class Gateway:
    """A restaurant's usable connection (secret decrypted)."""

    restaurant_id: int
    enabled: bool
    secret: str | None
    outbound_url: str | None
    problem: str | None = None  # why it cannot be used (an undecryptable secret)

    @property
    def usable(self) -> bool:
        """Switched on, with a secret and an outbound URL."""
        return self.enabled and bool(self.secret and self.outbound_url) and self.problem is None


async def load_gateway(runtime: Runtime, restaurant_id: int) -> Gateway | None:
    """The restaurant's stored gateway connection, or None when it was never saved."""
    row = await get_integration(restaurant_id, NAME)
    if row is None:
        return None
    url = text_at(row.settings, "outboundUrl")
    try:
        secret = decrypt_setting(row, "signingSecret", runtime.secrets)
    except ConfigurationError as exc:
        return Gateway(restaurant_id, row.is_active, None, url, exc.message)
    return Gateway(restaurant_id, row.is_active, secret, url)
