"""Integration types declared by plugins, and their stored settings with encrypted secrets.

A plugin declares the outside service it connects to through the hook
``tobeout_integration_types`` as an :class:`IntegrationType` (defined beside the runtime it is
handed, :mod:`core.runtime`; its settings base :class:`IntegrationSettings` in the leaf
:mod:`core.integration_types`; both re-exported here): its name (the ``{type}`` of
``/api/integrations/{type}``), a pydantic settings model whose ``SecretStr`` fields are the
secrets, a ``check`` run before a save is stored (credentials checked with the service, a
webhook registered) and a ``health`` check reported by ``GET /api/health``. The core names no
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

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from tortoise.exceptions import IntegrityError

from core import db
from core.errors import ConfigurationError, NotFound
from core.integration_types import MASK_PREFIX, IntegrationSettings, submitted
from core.jsontypes import JSON, JSONLike, text_at
from core.models import IntegrationSetting
from core.redaction import forget_secret
from core.runtime import Check, Health, IntegrationType, Runtime, SaveRequest
from core.secrets import SecretBox, mask
from core.storage import orm

# What a plugin declares (core.runtime, core.integration_types) is re-exported: plugins import it from here.
__all__ = [
    "Check",
    "Health",
    "INTEGRATION_CHANGED",
    "IntegrationSettings",
    "IntegrationType",
    "MASK_PREFIX",
    "RESERVED_NAMES",
    "SaveRequest",
    "active_integrations",
    "collect_integration_types",
    "configured",
    "decrypt_setting",
    "decrypted_settings",
    "get_integration",
    "integration_type",
    "list_integrations",
    "public_settings",
    "save_integration",
    "save_submitted",
    "submitted",
]

INTEGRATION_CHANGED = "integration.changed"
#: names that are routes of their own under /api/integrations, never a type
RESERVED_NAMES = frozenset({"settings"})


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
    """The restaurant's settings row of ``type_``, or None when it was never saved.

    Hand-written SQL (the same on both databases), the row converted by the model's fields: every
    conversation turn asks for the ``openai`` row, and building the query cost Tortoise more than the
    round trip (the web chat's rush, docs/benchmarks.md)."""
    rows = await db.fetch_dicts(_INTEGRATION_SQL, [restaurant_id, type_])
    return orm.from_row(IntegrationSetting, rows[0]) if rows else None


_INTEGRATION_SQL = 'SELECT * FROM "integration_settings" WHERE "restaurant_id" = $1 AND "type" = $2 LIMIT 1'


#: The rows :func:`read_integration` read in the current :func:`reading_once` block (None outside one).
_READ_ONCE: ContextVar[dict[tuple[int, str], IntegrationSetting | None] | None] = ContextVar(
    "tobeout_integration_reads", default=None
)


@contextlib.contextmanager
def reading_once() -> Iterator[None]:
    """Within the block, :func:`read_integration` reads each restaurant's row of a type from the database
    once (the outbox sending one sender's batch: its channel's settings read once, not per message). A
    change saved meanwhile is seen by the next block. Writers never read through it."""
    token = _READ_ONCE.set({})
    try:
        yield
    finally:
        _READ_ONCE.reset(token)


async def read_integration(restaurant_id: int, type_: str) -> IntegrationSetting | None:
    """:func:`get_integration` for reading a channel's settings before it sends: inside :func:`reading_once`,
    the row read the first time is returned again (never modify or save it)."""
    reads = _READ_ONCE.get()
    if reads is None:
        return await get_integration(restaurant_id, type_)
    key = (restaurant_id, type_)
    if key not in reads:
        reads[key] = await get_integration(restaurant_id, type_)
    return reads[key]


async def active_integrations(type_: str) -> list[IntegrationSetting]:
    """Every restaurant's switched-on settings row of ``type_``, by restaurant (for health checks)."""
    return list(await IntegrationSetting.filter(type=type_, is_active=True).order_by("restaurant_id"))


async def list_integrations(restaurant_id: int) -> list[IntegrationSetting]:
    """Every settings row of the restaurant, by type."""
    return list(await IntegrationSetting.filter(restaurant_id=restaurant_id).order_by("type"))


def _encrypted(value: JSON) -> str | None:
    """The Fernet token of a stored secret (``{"encrypted": token}``), None for a plain value."""
    token = value.get("encrypted") if isinstance(value, dict) else None
    return token if isinstance(token, str) else None


def decrypt_setting(setting: IntegrationSetting | Mapping[str, JSON] | None, key: str, box: SecretBox) -> str | None:
    """The plain text of secret ``key`` (decrypted); None when absent.

    Raises :class:`core.errors.ConfigurationError` when a secret cannot be decrypted
    (the encryption key changed): the owner has to save the credentials again.
    """
    if setting is None:
        return None
    values = setting.settings if isinstance(setting, IntegrationSetting) else setting
    token = _encrypted((values or {}).get(key))
    return box.decrypt(token) if token is not None else text_at(values, key)


def decrypted_settings(setting: IntegrationSetting, box: SecretBox) -> dict[str, JSON]:
    """All of a row's settings, secrets decrypted (for channel plugins)."""
    values = setting.settings or {}
    return {key: decrypt_setting(values, key, box) if _encrypted(value) else value for key, value in values.items()}


def public_settings(setting: IntegrationSetting | None, box: SecretBox) -> dict[str, JSON]:
    """What staff may see: plain values as stored, secrets masked (``••••wxyz``), never in clear."""
    if setting is None:
        return {}
    shown: dict[str, JSON] = {}
    for key, value in (setting.settings or {}).items():
        token = _encrypted(value)
        if token is not None:
            try:
                shown[key] = mask(box.decrypt(token)) or MASK_PREFIX
            except Exception:  # undecryptable (key rotated): still never show anything of it
                shown[key] = MASK_PREFIX
        else:
            shown[key] = value
    return shown


def _put_secret(stored: dict[str, JSON], key: str, value: JSONLike, box: SecretBox) -> None:
    """Apply a submitted secret to ``stored``: None or masked keeps it, ``""`` removes it (and forgets it in
    the logs' redaction), anything else is stored encrypted."""
    if value is None or (isinstance(value, str) and value.startswith(MASK_PREFIX)):
        return
    if value != "":
        stored[key] = {"encrypted": box.encrypt(str(value))}
        return
    removed = _encrypted(stored.pop(key, None))
    if removed is not None:
        try:
            forget_secret(box.decrypt(removed))
        except ConfigurationError:
            pass  # undecryptable: it was never registered in this process either


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
    stored: dict[str, JSON] = dict(setting.settings or {}) if setting is not None else {}
    for key, value in values.items():
        if key in secret_keys:
            _put_secret(stored, key, value, box)
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
