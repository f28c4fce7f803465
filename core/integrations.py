"""Integration types declared by plugins, and their stored settings with encrypted secrets.

A plugin declares the outside service it connects to through the hook
``tobeout_integration_types`` as an :class:`IntegrationType`: its name (the ``{type}`` of
``/api/integrations/{type}``), a pydantic settings model whose ``SecretStr`` fields are the
secrets, a ``check`` run before a save is stored (credentials checked with the service, a
webhook registered) and a ``health`` check reported by ``/readyz``. The core names no
service: the types come from the plugins (the channels, the conversation engine's OpenAI key).

An :class:`~core.models.IntegrationSetting` row holds one restaurant's settings of one type in
``settings`` (camelCase keys, as the API speaks). Secret values are stored as
``{"encrypted": "<Fernet token>"}`` under ``TOBEOUT_ENCRYPTION_KEY``; everything else is plain.
Plugins read credentials with :func:`get_integration` and :func:`decrypt_setting`; the staff
API saves them with :func:`save_submitted` and shows them with :func:`public_settings` (masked).

After a save the API publishes :data:`INTEGRATION_CHANGED` (``data={"type": ...}``) so a plugin
can react (drop a cached client). Nothing here ever logs a secret.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pydantic
from pydantic import BaseModel, ConfigDict, SecretStr
from pydantic.alias_generators import to_camel
from tortoise.exceptions import IntegrityError

from core.errors import ConfigurationError, NotFound, ValidationError
from core.models import IntegrationSetting
from core.redaction import forget_secret, register_secret
from core.secrets import SecretBox, mask

if TYPE_CHECKING:
    from core.runtime import Runtime

INTEGRATION_CHANGED = "integration.changed"
MASK_PREFIX = "••••"
#: names that are routes of their own under /api/integrations, never a type
RESERVED_NAMES = frozenset({"settings"})


class IntegrationSettings(BaseModel):
    """Base of an integration type's settings model: camelCase on the wire, unknown keys refused.

    Every field is optional in a save (a key left out keeps the stored value). Declare a
    secret as ``SecretStr | None``: it is stored encrypted and answered masked (``••••wxyz``).
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


@dataclass(frozen=True)
class SaveRequest:
    """A save of one restaurant's settings of one type, handed to the type's ``check``.

    ``values`` are the submitted camelCase values, secrets in plain text: a key that is
    absent or masked keeps the stored value, ``""`` or ``None`` removes it (see
    :func:`submitted`). ``enabled`` is the requested switch (None when not sent); ``stored``
    the row as it is before the save (None when never saved).
    """

    runtime: Runtime
    restaurant_id: int
    type: str
    values: dict[str, Any]
    enabled: bool | None
    stored: IntegrationSetting | None

    def submitted(self, key: str, stored: str | None) -> str | None:
        """The value this save gives ``key``: ``stored`` when left out or masked, None when blank."""
        return submitted(self.values, key, stored)

    @property
    def switched_on(self) -> bool:
        """Whether the integration is on after this save: as requested, else as stored, else on."""
        if self.enabled is not None:
            return self.enabled
        return self.stored.is_active if self.stored is not None else True


#: ``check(request)``: the extra values to store and show (``None`` for none); raise
#: ``ValidationError`` (400) when the service refused the credentials, ``ChannelError`` (502) when
#: it could not be reached: nothing is stored then. A secret among the extras goes in as
#: ``{"encrypted": runtime.secrets.encrypt(value)}``.
Check = Callable[[SaveRequest], Awaitable[Mapping[str, Any] | None]]
#: ``health(runtime)``: ``{check_name: {"ok": bool, "detail": str}}`` for ``/readyz``; keep it cheap.
Health = Callable[["Runtime"], Awaitable[Mapping[str, Mapping[str, Any]]]]


@dataclass(frozen=True)
class IntegrationType:
    """One outside service a restaurant connects, declared by the plugin that uses it."""

    name: str  # the ``{type}`` of /api/integrations/{type}, e.g. the channel's name
    label: str  # for people, e.g. "Example SMS gateway"
    settings: type[IntegrationSettings]  # what staff may save; SecretStr fields are secret
    check: Check | None = None
    health: Health | None = None
    description: str = ""

    @property
    def secret_keys(self) -> tuple[str, ...]:
        """The camelCase keys of the settings model's secret (``SecretStr``) fields."""
        keys = []
        for name, info in self.settings.model_fields.items():
            if _is_secret(info.annotation):
                keys.append(info.alias or name)
        return tuple(keys)

    def parse(self, body: Mapping[str, Any], shown: Iterable[str] = ()) -> dict[str, Any]:
        """The submitted values of ``body`` (camelCase, secrets in plain text), only the keys sent.

        Keys of ``shown`` that the model does not declare (values the check stored and staff
        see, like a bot's username or the status) are read-only: sent back, they are ignored.
        Any other unknown key, or a value the model refuses, raises :class:`ValidationError`
        with ``{path, message}`` errors.
        """
        declared = {info.alias or name for name, info in self.settings.model_fields.items()}
        read_only = set(shown) - declared
        try:
            model = self.settings.model_validate({k: v for k, v in body.items() if k not in read_only})
        except pydantic.ValidationError as exc:
            errors = [
                {"path": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "invalid")}
                for err in exc.errors(include_url=False)
            ]
            raise ValidationError("Validation error", details={"errors": errors}) from None
        values: dict[str, Any] = {}
        for name in model.model_fields_set:
            info = self.settings.model_fields[name]
            value = getattr(model, name)
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
                register_secret(value)  # masked in logs from now on, before the check sends it anywhere
            values[info.alias or name] = value
        return values


def _is_secret(annotation: Any) -> bool:
    if annotation is SecretStr:
        return True
    return any(_is_secret(arg) for arg in getattr(annotation, "__args__", ()))


async def collect_integration_types(runtime: Runtime) -> dict[str, IntegrationType]:
    """The integration types every plugin declares (``tobeout_integration_types``), by name.

    Raises :class:`ConfigurationError` naming the plugins when two declare the same name.
    """
    from core.plugins import call_hook_each

    types: dict[str, IntegrationType] = {}
    owners: dict[str, str] = {}
    for plugin, result in await call_hook_each(runtime.plugins, "tobeout_integration_types", runtime=runtime):
        for declared in result if isinstance(result, list | tuple) else [result]:
            if not isinstance(declared, IntegrationType):
                raise ConfigurationError(f"plugin {plugin!r}: tobeout_integration_types must return IntegrationType")
            if declared.name in RESERVED_NAMES or not declared.name.isidentifier():
                raise ConfigurationError(f"plugin {plugin!r}: {declared.name!r} cannot be an integration type name")
            if declared.name in types:
                raise ConfigurationError(
                    f"plugins {owners[declared.name]!r} and {plugin!r} both declare the integration type "
                    f"{declared.name!r}"
                )
            types[declared.name] = declared
            owners[declared.name] = plugin
    return types


def integration_type(runtime: Runtime, name: str) -> IntegrationType:
    """The declared type ``name``; :class:`NotFound` (listing the known ones) otherwise."""
    found = runtime.integrations.get(name)
    if found is None:
        known = ", ".join(sorted(runtime.integrations)) or "none"
        raise NotFound(f"There is no integration type {name!r} (known: {known}).")
    return found


def submitted(values: Mapping[str, Any], key: str, stored: str | None) -> str | None:
    """The value a save request gives for ``key``: the stored one when it is left out or masked, None when blank."""
    value = values.get(key)
    if value is None or (isinstance(value, str) and value.startswith(MASK_PREFIX)):
        return stored
    return str(value) or None


def configured(kind: IntegrationType, shown: Mapping[str, Any]) -> bool:
    """Whether a restaurant's settings of ``kind`` hold every secret of the type (and anything at all)."""
    return bool(shown) and all(key in shown for key in kind.secret_keys)


async def save_submitted(
    runtime: Runtime, kind: IntegrationType, restaurant_id: int, values: Mapping[str, Any], enabled: bool | None
) -> IntegrationSetting:
    """Run ``kind``'s check on a save, then store the values with the check's extras.

    Nothing is stored when the check raises. ``values`` come from :meth:`IntegrationType.parse`.
    The caller publishes :data:`INTEGRATION_CHANGED` once the save is committed.
    """
    stored = await get_integration(restaurant_id, kind.name)
    request = SaveRequest(runtime, restaurant_id, kind.name, dict(values), enabled, stored)
    merged = dict(values)
    if kind.check is not None:
        extra = await kind.check(request)
        if extra:
            merged.update(extra)
    setting = await save_integration(
        restaurant_id, kind.name, merged, kind.secret_keys, runtime.secrets, enabled=enabled
    )
    return setting


async def get_integration(restaurant_id: int, type_: str) -> IntegrationSetting | None:
    """The restaurant's settings row of ``type_``, or None when it was never saved."""
    return await IntegrationSetting.filter(restaurant_id=restaurant_id, type=type_).first()


async def active_integrations(type_: str) -> list[IntegrationSetting]:
    """Every restaurant's switched-on settings row of ``type_``, by restaurant (for health checks)."""
    return list(await IntegrationSetting.filter(type=type_, is_active=True).order_by("restaurant_id"))


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
    if isinstance(value, dict) and isinstance(value.get("encrypted"), str):
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
                removed = stored.pop(key, None)
                if _is_encrypted(removed):
                    try:
                        forget_secret(box.decrypt(removed["encrypted"]))
                    except ConfigurationError:
                        pass  # undecryptable: it was never registered in this process either
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
