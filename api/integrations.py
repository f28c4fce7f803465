"""Integration settings, one generic resource for every type the plugins declare: owners and admins only.

``GET /api/integrations`` (also ``/api/integrations/settings``) lists the restaurant's
integrations, ``GET/POST /api/integrations/{type}`` reads and saves one. The types (a
channel's bot or account, the conversation engine's OpenAI key...) come from the plugins
(``tobeout_integration_types``, :mod:`core.integrations`); this module names none of them.

A save is ``{"enabled"?: bool, ...the type's settings}``, checked against the type's
pydantic model (unknown keys and bad values are a 400 naming the key). Secrets are
write-only: encrypted before they are stored, answered masked (``••••wxyz``) and never
logged; a secret left out, or sent back masked, keeps the stored one, ``""`` removes it.
Before anything is stored the type's ``check`` runs (credentials checked with the service,
a webhook registered); a refusal is a 400, an unreachable service a 502, and nothing is
stored. After the save the domain event ``integration.changed`` ``{"type": ...}`` is published.
"""

from __future__ import annotations

from typing import Any

from quart import Blueprint, current_app, request
from quart_schema import document_request, tag, validate_response

from api.common import publish_change
from api.openapi import answers_error
from api.schemas.integrations import IntegrationIn, IntegrationList, IntegrationOut
from api.security import require_roles, restaurant_scope
from core.errors import ValidationError
from core.integrations import (
    INTEGRATION_CHANGED,
    IntegrationType,
    configured,
    get_integration,
    integration_type,
    list_integrations,
    public_settings,
    save_submitted,
)
from core.models import IntegrationSetting
from core.runtime import Runtime, runtime_of

blueprint = Blueprint("integrations", __name__, url_prefix="/api/integrations")


def _runtime() -> Runtime:
    return runtime_of(current_app)


def integration_out(
    runtime: Runtime, name: str, setting: IntegrationSetting | None, restaurant_id: int
) -> IntegrationOut:
    """The public view of one integration (masked secrets, what its type accepts), also when never saved: then
    its settings are the type's ``preview`` (e.g. the webhook URL to give the service), if it has one."""
    kind = runtime.integrations.get(name)
    described: dict[str, Any] = {}
    if kind is not None:
        described = {
            "label": kind.label,
            "description": kind.description or None,
            "secret_keys": list(kind.secret_keys),
            "settings_schema": kind.settings.model_json_schema(by_alias=True),
        }
    if setting is None:
        preview = dict(kind.preview(runtime, restaurant_id)) if kind is not None and kind.preview else {}
        return IntegrationOut(
            type=name, enabled=False, configured=False, settings=preview, updated_at=None, **described
        )
    shown = public_settings(setting, runtime.secrets)
    is_configured = configured(kind, shown) if kind is not None else bool(shown)
    return IntegrationOut(
        type=name,
        enabled=setting.is_active,
        configured=is_configured,
        settings=shown,
        updated_at=setting.updated_at,
        **described,
    )


async def _body() -> tuple[dict[str, Any], bool | None]:
    """The save request's settings and its ``enabled`` switch; 400 when it is not a JSON object."""
    body = await request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError(
            "Validation error", details={"errors": [{"path": "", "message": "The request body must be a JSON object."}]}
        )
    enabled = body.pop("enabled", None)
    if enabled is not None and not isinstance(enabled, bool):
        raise ValidationError("enabled must be true or false.", details={"field": "enabled"})
    return body, enabled


@blueprint.get("")
@blueprint.get("/settings")
@tag(["integrations"])
@require_roles("restaurant")
@validate_response(IntegrationList)
async def all_settings() -> IntegrationList:
    """Every integration of the restaurant (each declared type, even when never saved), secrets masked."""
    runtime, rid = _runtime(), restaurant_scope()
    stored = {s.type: s for s in await list_integrations(rid)}
    names = sorted(runtime.integrations) + sorted(set(stored) - set(runtime.integrations))
    return IntegrationList([integration_out(runtime, name, stored.get(name), rid) for name in names])


@blueprint.get("/<type>")
@tag(["integrations"])
@require_roles("restaurant")
@validate_response(IntegrationOut)
async def get_settings(type: str) -> IntegrationOut:
    """One integration's settings (secrets masked); 404 for a type no plugin declares."""
    runtime = _runtime()
    kind: IntegrationType = integration_type(runtime, type)
    rid = restaurant_scope()
    return integration_out(runtime, kind.name, await get_integration(rid, kind.name), rid)


@blueprint.post("/<type>")
@tag(["integrations"])
@answers_error(502, "the service the settings name could not be reached or answered with an error")
@require_roles("restaurant")
@document_request(IntegrationIn)
@validate_response(IntegrationOut)
async def save_settings(type: str) -> IntegrationOut:
    """Save ``{enabled?, ...settings}`` of one type (its fields: ``GET /api/integrations/{type}``, docs/channels.md).

    Secrets are write-only; omit one (or send its masked value) to keep it, ``""`` removes it.
    """
    runtime = _runtime()
    kind = integration_type(runtime, type)
    body, enabled = await _body()
    rid = restaurant_scope()
    stored = await get_integration(rid, kind.name)
    values = kind.parse(body, shown=(stored.settings or {}) if stored is not None else ())
    setting = await save_submitted(runtime, kind, rid, values, enabled)
    await publish_change(INTEGRATION_CHANGED, rid, {"type": kind.name})
    return integration_out(runtime, kind.name, setting, rid)
