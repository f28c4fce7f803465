"""Integration settings (Telegram, WhatsApp via Twilio, OpenAI): owners and admins only.

Secrets (``botToken``, ``authToken``, ``apiKey``) are write-only: encrypted before
they are stored (:mod:`core.integrations`), answered masked (``••••wxyz``) and
never logged. Checking credentials with the outside service (Telegram ``getMe``,
``setWebhook``; Twilio) belongs to the channel plugins: after every save this
module publishes the domain event ``integration.changed`` ``{"type": ...}`` on the
bus, which they react to.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from quart import Blueprint, current_app
from quart_schema import tag, validate_request, validate_response

from api.common import publish_change
from api.schemas.integrations import IntegrationList, IntegrationOut, OpenAIIn, TelegramIn, WhatsAppIn
from api.security import require_roles, restaurant_scope
from core.integrations import (
    INTEGRATION_CHANGED,
    SECRET_KEYS,
    get_integration,
    list_integrations,
    public_settings,
    save_integration,
    secret_keys_for,
)
from core.models import IntegrationSetting
from core.plugins import call_hook
from core.secrets import SecretBox

blueprint = Blueprint("integrations", __name__, url_prefix="/api/integrations")


def _box() -> SecretBox:
    return SecretBox(current_app.runtime.settings.encryption_key)  # type: ignore[attr-defined]


def integration_out(type_: str, setting: IntegrationSetting | None) -> IntegrationOut:
    """The public view of one integration (masked secrets), also when it was never saved."""
    if setting is None:
        return IntegrationOut(type=type_, enabled=False, configured=False, settings={}, updated_at=None)
    shown = public_settings(setting, _box())
    configured = all(key in shown for key in secret_keys_for(type_)) and bool(shown)
    return IntegrationOut(
        type=type_, enabled=setting.is_active, configured=configured, settings=shown, updated_at=setting.updated_at
    )


async def _get(type_: str) -> IntegrationOut:
    return integration_out(type_, await get_integration(restaurant_scope(), type_))


async def _save(type_: str, data: BaseModel) -> IntegrationOut:
    rid = restaurant_scope()
    values: dict[str, Any] = data.model_dump(by_alias=True, exclude_unset=True)
    enabled = values.pop("enabled", None)
    runtime = current_app.runtime  # type: ignore[attr-defined]
    hook_args = {"restaurant_id": rid, "type": type_, "values": dict(values), "enabled": enabled, "runtime": runtime}
    for extra in await call_hook(runtime.plugins, "tobeout_integration_saving", **hook_args):  # channels check
        values.update(extra)
    setting = await save_integration(rid, type_, values, secret_keys_for(type_), _box(), enabled=enabled)
    await publish_change(INTEGRATION_CHANGED, rid, {"type": type_})
    return integration_out(type_, setting)


@blueprint.get("/settings")
@tag(["integrations"])
@require_roles("restaurant")
@validate_response(IntegrationList)
async def all_settings():  # type: ignore[no-untyped-def]
    """Every integration of the restaurant (built-in ones even when unset), secrets masked."""
    stored = {s.type: s for s in await list_integrations(restaurant_scope())}
    types = list(SECRET_KEYS) + sorted(set(stored) - set(SECRET_KEYS))
    return [integration_out(t, stored.get(t)) for t in types]


@blueprint.get("/telegram")
@tag(["integrations"])
@require_roles("restaurant")
@validate_response(IntegrationOut)
async def get_telegram():  # type: ignore[no-untyped-def]
    """The Telegram bot settings (``botToken`` masked)."""
    return await _get("telegram")


@blueprint.post("/telegram")
@tag(["integrations"])
@require_roles("restaurant")
@validate_request(TelegramIn)
@validate_response(IntegrationOut)
async def save_telegram(data: TelegramIn):  # type: ignore[no-untyped-def]
    """Save ``{botToken, enabled}``; omit ``botToken`` (or send the masked value) to keep it, ``""`` removes it."""
    return await _save("telegram", data)


@blueprint.get("/whatsapp")
@tag(["integrations"])
@require_roles("restaurant")
@validate_response(IntegrationOut)
async def get_whatsapp():  # type: ignore[no-untyped-def]
    """The WhatsApp (Twilio) settings (``authToken`` masked)."""
    return await _get("whatsapp")


@blueprint.post("/whatsapp")
@tag(["integrations"])
@require_roles("restaurant")
@validate_request(WhatsAppIn)
@validate_response(IntegrationOut)
async def save_whatsapp(data: WhatsAppIn):  # type: ignore[no-untyped-def]
    """Save ``{accountSid, authToken, fromNumber, enabled}`` (``authToken`` write-only)."""
    return await _save("whatsapp", data)


@blueprint.get("/openai")
@tag(["integrations"])
@require_roles("restaurant")
@validate_response(IntegrationOut)
async def get_openai():  # type: ignore[no-untyped-def]
    """The OpenAI settings (``apiKey`` masked)."""
    return await _get("openai")


@blueprint.post("/openai")
@tag(["integrations"])
@require_roles("restaurant")
@validate_request(OpenAIIn)
@validate_response(IntegrationOut)
async def save_openai(data: OpenAIIn):  # type: ignore[no-untyped-def]
    """Save ``{apiKey, model, enabled}`` (``apiKey`` write-only)."""
    return await _save("openai", data)
