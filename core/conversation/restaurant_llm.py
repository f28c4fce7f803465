"""A restaurant's own OpenAI key and model: the ``openai`` integration type, and the client its conversations use.

Owners save ``{apiKey, model, enabled}`` through ``POST /api/integrations/openai`` (the type is
declared by the conversation engine's built-in plugin, :mod:`core.conversation.builtin_tools`).
The key is checked with OpenAI when saved (fetching the model), stored encrypted and answered
masked. :class:`RestaurantLLMs` picks the client of each turn: the restaurant's own key and
model when saved and switched on (a model alone changes only the model), else the service's
``OPENAI_API_KEY`` / ``OPENAI_MODEL``, else none (the guided flow answers).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import Field, SecretStr

from core.config import Settings
from core.conversation.llm import Completion, LLMClient
from core.errors import ChannelError, ConfigurationError, ValidationError
from core.integrations import (
    IntegrationSettings,
    IntegrationType,
    SaveRequest,
    decrypt_setting,
)
from core.jsontypes import JSONLike, text_at
from core.secrets import SecretBox

if TYPE_CHECKING:
    from core.models import IntegrationSetting

TYPE = "openai"
MAX_CLIENTS = 64  # restaurants' own clients kept open in one process
REFUSED = "OpenAI refused this API key. Copy a key again from the OpenAI dashboard (API keys) and paste it."


class OpenAISettings(IntegrationSettings):
    """What staff save: the restaurant's own OpenAI API key and chat model (else the service's)."""

    api_key: SecretStr | None = Field(None, max_length=512, title="API key")
    model: str | None = Field(None, max_length=100, pattern=r"^[A-Za-z0-9._:/-]*$", title="Model", examples=["gpt-4o"])


class ChatModel(Protocol):
    """What the engine asks a model for (:class:`core.conversation.llm.LLMClient`, or a test's stand-in)."""

    async def complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> Completion:
        """One answer of the model; raises ``LLMUnavailable``."""
        ...


async def check_key(request: SaveRequest) -> Mapping[str, JSONLike] | None:
    """On save: fetch the chosen model with the key (a refused key is a 400, nothing stored)."""
    import openai

    settings = request.runtime.settings
    stored_key = decrypt_setting(request.stored, "apiKey", request.runtime.secrets) if request.stored else None
    key = request.submitted("apiKey", stored_key)
    stored_model = text_at(request.stored.settings, "model") if request.stored is not None else None
    model = request.submitted("model", stored_model) or settings.openai_model
    if not key or not request.switched_on:
        return None
    client = openai.AsyncOpenAI(
        api_key=key, base_url=settings.openai_base_url or None, max_retries=0, timeout=settings.openai_timeout
    )
    try:
        await client.models.retrieve(model)
    except openai.AuthenticationError:
        raise ValidationError(REFUSED, details={"field": "apiKey"}) from None
    except openai.NotFoundError:
        raise ValidationError(f"This key cannot use the model {model!r}.", details={"field": "model"}) from None
    except openai.OpenAIError as exc:
        raise ChannelError(
            f"OpenAI could not be reached to check the key: {exc.__class__.__name__}.",
            code="openai_unreachable",
            retryable=True,
        ) from None
    finally:
        await client.close()
    return None


def integration_type() -> IntegrationType:
    """The ``openai`` integration type."""
    return IntegrationType(
        name=TYPE,
        label="OpenAI",
        settings=OpenAISettings,
        check=check_key,
        description="The restaurant's own OpenAI API key and chat model (else the service's).",
    )


class RestaurantLLMs:
    """The chat model each restaurant's conversations use; ``await for_settings(row)`` with the restaurant's
    ``openai`` settings row (a turn reads it with its message's claim: ``Storage.claim_and_read``).

    ``default`` is the service's client (``OPENAI_API_KEY``), or None. The restaurants' own
    clients are kept (at most :data:`MAX_CLIENTS`) by key and model, so a changed key or
    model takes effect at the next turn; :meth:`close` releases them all.
    """

    def __init__(self, settings: Settings, default: ChatModel | None, *, budget: float) -> None:
        self.settings = settings
        self.default = default
        self.budget = budget
        self._own: OrderedDict[str, LLMClient] = OrderedDict()

    async def for_settings(self, row: IntegrationSetting | None) -> ChatModel | None:
        """The restaurant's own client when its ``openai`` settings ``row`` is saved and on, else the default."""
        if row is None or not row.is_active:
            return self.default
        try:
            key = decrypt_setting(row, "apiKey", SecretBox(self.settings.encryption_key))
        except ConfigurationError:
            return self.default  # the key cannot be read (encryption key changed): the service's answers
        model = (row.settings or {}).get("model") or self.settings.openai_model
        key = key or self.settings.openai_api_key
        if not key:
            return self.default
        if key == self.settings.openai_api_key and model == self.settings.openai_model:
            return self.default
        return await self._client(str(key), str(model))

    async def _client(self, key: str, model: str) -> LLMClient:
        name = hashlib.sha256(f"{key}\0{model}".encode()).hexdigest()
        client = self._own.get(name)
        if client is not None:
            self._own.move_to_end(name)
            return client
        client = self._own[name] = LLMClient(self.settings, budget=self.budget, api_key=key, model=model)
        while len(self._own) > MAX_CLIENTS:
            _, oldest = self._own.popitem(last=False)
            await oldest.close()
        return client

    async def close(self) -> None:
        """Close the restaurants' own clients (the default is its owner's to close)."""
        while self._own:
            _, client = self._own.popitem()
            await client.close()
