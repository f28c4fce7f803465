"""Stored settings of outside services (Telegram, WhatsApp/Twilio, OpenAI), with encrypted secrets.

An :class:`~core.models.IntegrationSetting` row holds one restaurant's settings of one
type in ``settings`` (camelCase keys, as the API speaks). Secret values are stored as
``{"encrypted": "<Fernet token>"}`` under ``TOBEOUT_ENCRYPTION_KEY``; everything else
is plain. Channel plugins read credentials with :func:`get_integration` and
:func:`decrypt_setting` (no import of ``api/`` needed); the staff API writes them
with :func:`save_integration` and shows them with :func:`public_settings` (masked).

After a save the API publishes the domain event :data:`INTEGRATION_CHANGED`
(``data={"type": ...}``) so a channel can react (re-register a webhook, drop a
cached client). Nothing here ever logs a secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tortoise.exceptions import IntegrityError

from core.models import IntegrationSetting
from core.secrets import SecretBox, mask

INTEGRATION_CHANGED = "integration.changed"

#: The built-in integration types and which of their keys are secret. Plugins may store other types.
SECRET_KEYS: dict[str, tuple[str, ...]] = {
    "telegram": ("botToken",),
    "whatsapp": ("authToken",),
    "openai": ("apiKey",),
}
MASK_PREFIX = "••••"


def secret_keys_for(type_: str) -> tuple[str, ...]:
    """The secret keys of a built-in type (none for unknown ones)."""
    return SECRET_KEYS.get(type_, ())


async def get_integration(restaurant_id: int, type_: str) -> IntegrationSetting | None:
    """The restaurant's settings row of ``type_``, or None when it was never saved."""
    return await IntegrationSetting.filter(restaurant_id=restaurant_id, type=type_).first()


async def list_integrations(restaurant_id: int) -> list[IntegrationSetting]:
    """Every settings row of the restaurant, by type."""
    return list(await IntegrationSetting.filter(restaurant_id=restaurant_id).order_by("type"))


def _is_encrypted(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("encrypted"), str)


def decrypt_setting(setting: IntegrationSetting | Mapping[str, Any] | None, key: str, box: SecretBox) -> Any:
    """The plain value of ``key`` (decrypting a secret); None when absent.

    Raises :class:`core.errors.ConfigurationError` when a secret cannot be decrypted
    (the encryption key changed): the owner has to save the credentials again.
    """
    if setting is None:
        return None
    values = setting.settings if isinstance(setting, IntegrationSetting) else setting
    value = (values or {}).get(key)
    if _is_encrypted(value):
        return box.decrypt(value["encrypted"])
    return value


def decrypted_settings(setting: IntegrationSetting, box: SecretBox) -> dict[str, Any]:
    """All of a row's settings in plain text (for channel plugins)."""
    return {key: decrypt_setting(setting, key, box) for key in (setting.settings or {})}


def public_settings(setting: IntegrationSetting | None, box: SecretBox) -> dict[str, Any]:
    """What staff may see: plain values as stored, secrets masked (``••••wxyz``), never in clear."""
    if setting is None:
        return {}
    shown: dict[str, Any] = {}
    for key, value in (setting.settings or {}).items():
        if _is_encrypted(value):
            try:
                shown[key] = mask(box.decrypt(value["encrypted"])) or MASK_PREFIX
            except Exception:  # undecryptable (key rotated): still never show anything of it
                shown[key] = MASK_PREFIX
        else:
            shown[key] = value
    return shown


async def save_integration(
    restaurant_id: int,
    type_: str,
    values: Mapping[str, Any],
    secret_keys: Iterable[str],
    box: SecretBox,
    *,
    enabled: bool | None = None,
) -> IntegrationSetting:
    """Create or update the restaurant's ``type_`` settings with ``values`` (camelCase keys).

    Only the keys present in ``values`` change. For a secret key: ``None`` or a masked
    value (``••••...``, as answered to staff) keeps the stored secret, ``""`` removes
    it, anything else is encrypted and stored. For a plain key, ``None`` or ``""``
    removes it. ``enabled`` sets ``is_active`` when given.
    """
    secret_keys = set(secret_keys)
    setting = await get_integration(restaurant_id, type_)
    stored: dict[str, Any] = dict(setting.settings or {}) if setting is not None else {}
    for key, value in values.items():
        if key in secret_keys:
            if value is None or (isinstance(value, str) and value.startswith(MASK_PREFIX)):
                continue
            if value == "":
                stored.pop(key, None)
            else:
                stored[key] = {"encrypted": box.encrypt(str(value))}
        elif value is None or value == "":
            stored.pop(key, None)
        else:
            stored[key] = value
    if setting is None:
        try:
            return await IntegrationSetting.create(
                restaurant_id=restaurant_id, type=type_, settings=stored, is_active=True if enabled is None else enabled
            )
        except IntegrityError:  # created concurrently: update that row instead
            setting = await get_integration(restaurant_id, type_)
            if setting is None:
                raise
            return await save_integration(restaurant_id, type_, values, secret_keys, box, enabled=enabled)
    else:
        setting.settings = stored
        fields = ["settings", "updated_at"]
        if enabled is not None:
            setting.is_active = enabled
            fields.append("is_active")
        await setting.save(update_fields=fields)
    return setting
