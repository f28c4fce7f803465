"""The services one running process shares, typed: what a plugin may use.

A :class:`Runtime` is created with the app (``create_app``), started in ``before_serving``
(:func:`core.bootstrap.start_runtime`) and handed to every hook and engine. Its fields:

- ``settings``: the environment settings (:class:`core.config.Settings`); a plugin's own
  environment variables are read with :meth:`Runtime.environment`;
- ``cache``: the shared key-value store, counters and locks (:class:`core.cache.Cache`);
- ``bus``: the domain events (:class:`core.events.EventBus`);
- ``plugins``: the plugin manager; ``clock``: the one clock (``clock()`` is an aware instant);
- ``plugin_settings``: every plugin's checked ``plugins.toml`` settings (defaults filled in),
  read with :meth:`Runtime.options` (typed) or :meth:`Runtime.settings_for` (a plain dict);
- ``secrets``: the box that encrypts stored integration secrets;
- ``integrations``: the integration types the plugins declared (``tobeout_integration_types``), each an
  :class:`IntegrationType` (defined here, beside the runtime its checks are handed);
- ``channels``: the channel adapters the plugins offered (``tobeout_channels``), by name;
- ``engine``: the conversation engine, built at startup;
- ``stash``: a plugin's own per-process objects, each under a typed :class:`StashKey`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast, runtime_checkable

import pluggy
import pydantic
from pydantic import BaseModel, SecretStr

from core.cache import Cache, make_cache
from core.clock import utcnow
from core.config import EnvironmentSettings, Settings, plugin_environment
from core.errors import ValidationError
from core.events import EventBus, make_event_bus
from core.integration_types import IntegrationSettings, submitted
from core.jsontypes import JSONLike
from core.models import IntegrationSetting, Restaurant
from core.plugin_settings import check_settings
from core.redaction import register_secret
from core.secrets import SecretBox

if TYPE_CHECKING:
    from core.conversation.types import InboundMessage, Reply, TurnResult

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
M = TypeVar("M", bound=BaseModel)
V = TypeVar("V", bound=EnvironmentSettings)


@runtime_checkable
class ChannelAdapter(Protocol):
    """What ``tobeout_channels`` returns: delivers replies to a guest's chat on one channel.

    ``name`` is the channel's name as guests' identities carry it (``InboundMessage.channel``).
    ``send`` raises :class:`core.errors.ChannelError` when the message could not be delivered.
    """

    @property
    def name(self) -> str:
        """The channel's name."""
        ...

    async def send(self, restaurant_id: int, chat_id: str, replies: list[Reply]) -> None:
        """Deliver ``replies`` to ``chat_id`` of the restaurant."""
        ...


class Conversations(Protocol):
    """The conversation engine as channels use it (:class:`core.conversation.engine.ConversationEngine`)."""

    async def handle(self, message: InboundMessage) -> list[Reply]:
        """Handle one inbound message; the replies to send (``[]`` for none)."""
        ...

    async def handle_turn(self, message: InboundMessage, restaurant: Restaurant | None = None) -> TurnResult:
        """Handle one inbound message; the replies and how the turn went (``restaurant``: its row, when the
        channel has just read it)."""
        ...

    async def close(self) -> None:
        """Release the engine's outside connections (its LLM clients)."""
        ...


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
Check = Callable[[SaveRequest], Awaitable[Mapping[str, JSONLike] | None]]
#: ``health(runtime)``: ``{check_name: {"ok": bool, "detail": str}}`` for ``GET /api/health``; keep it cheap.
Health = Callable[["Runtime"], Awaitable[Mapping[str, Mapping[str, JSONLike]]]]
#: ``preview(runtime, restaurant_id)``: read-only values staff need before the first save (e.g. the webhook URL
#: to paste in the service's console), shown with the settings until a save stores its own.
Preview = Callable[["Runtime", int], Mapping[str, JSONLike]]


@dataclass(frozen=True)
class IntegrationType:
    """One outside service a restaurant connects, declared by the plugin that uses it."""

    name: str  # the ``{type}`` of /api/integrations/{type}, e.g. the channel's name
    label: str  # for people, e.g. "Example SMS gateway"
    settings: type[IntegrationSettings]  # what staff may save; SecretStr fields are secret
    check: Check | None = None
    health: Health | None = None
    description: str = ""
    preview: Preview | None = None

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


def _is_secret(annotation: object) -> bool:
    if annotation is SecretStr:
        return True
    return any(_is_secret(arg) for arg in getattr(annotation, "__args__", ()))


class StashKey(Generic[T_co]):
    """A typed key of :class:`Stash`: ``NOTIFIER = StashKey[Notifier]("notifications")``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"StashKey({self.name!r})"


class Stash:
    """A plugin's per-process objects (its channel object, its notifier), typed by their key.

    Keys are compared by identity, so two plugins never collide even with the same name.
    """

    def __init__(self) -> None:
        self._values: dict[StashKey[object], object] = {}

    def __contains__(self, key: StashKey[object]) -> bool:
        return key in self._values

    def __getitem__(self, key: StashKey[T]) -> T:
        return cast(T, self._values[key])

    def __setitem__(self, key: StashKey[T], value: T) -> None:
        self._values[key] = value

    def get(self, key: StashKey[T]) -> T | None:
        """The object under ``key``, or None."""
        return cast("T | None", self._values.get(key))

    def setdefault(self, key: StashKey[T], make: Callable[[], T]) -> T:
        """The object under ``key``, made by ``make()`` (and kept) when there is none yet."""
        if key not in self._values:
            self._values[key] = make()
        return cast(T, self._values[key])

    def pop(self, key: StashKey[T]) -> T | None:
        """Remove and return the object under ``key`` (None when there is none)."""
        return cast("T | None", self._values.pop(key, None))


@dataclass(eq=False)
class Runtime:
    """Created at app build, started in ``before_serving``, kept on the app, handed to hooks and engines."""

    settings: Settings
    cache: Cache
    bus: EventBus
    plugins: pluggy.PluginManager
    clock: Callable[[], datetime] = utcnow
    #: checked plugins.toml settings by plugin name (see :func:`core.plugins.check_plugin_settings`)
    plugin_settings: dict[str, BaseModel] = field(default_factory=dict)
    #: plugins.toml tables not checked at build (plugins not loaded); checked when first asked for
    raw_plugin_settings: dict[str, dict[str, object]] = field(default_factory=dict)
    integrations: dict[str, IntegrationType] = field(default_factory=dict)
    channels: dict[str, ChannelAdapter] = field(default_factory=dict)
    stash: Stash = field(default_factory=Stash)
    _environments: dict[type[EnvironmentSettings], EnvironmentSettings] = field(default_factory=dict, repr=False)
    _engine: Conversations | None = field(default=None, repr=False)

    @property
    def secrets(self) -> SecretBox:
        """The box that encrypts and decrypts this installation's stored secrets."""
        return SecretBox(self.settings.encryption_key)

    @property
    def engine(self) -> Conversations:
        """The process's conversation engine (built by :func:`core.bootstrap.start_runtime`); channels call
        ``engine.handle``."""
        if self._engine is None:
            raise RuntimeError("the conversation engine is built at startup (start_runtime) and is not running")
        return self._engine

    @engine.setter
    def engine(self, engine: Conversations) -> None:
        self._engine = engine

    @property
    def started(self) -> bool:
        """True once :func:`core.bootstrap.start_runtime` built the conversation engine."""
        return self._engine is not None

    def options(self, plugin: str, model: type[M]) -> M:
        """The checked ``plugins.toml`` settings of ``plugin`` as ``model`` (its defaults when it has no table).

        Raises :class:`core.errors.ConfigurationError` (one line naming the plugin and the key)
        when the table does not fit ``model``.
        """
        found = self.plugin_settings.get(plugin)
        if isinstance(found, model):
            return found
        checked = check_settings(plugin, model, self.raw_plugin_settings.get(plugin, {}))
        self.plugin_settings[plugin] = checked
        return checked

    def environment(self, model: type[V]) -> V:
        """A plugin's own environment variables, declared as ``model`` (read once, then kept).

        Raises :class:`core.errors.ConfigurationError` naming the variable on a bad value.
        """
        found = self._environments.get(model)
        if not isinstance(found, model):
            found = self._environments[model] = plugin_environment(self.settings, model)
        return found

    def settings_for(self, plugin: str) -> dict[str, object]:
        """The ``plugins.toml`` settings of ``plugin`` as a plain dict (defaults filled in when declared)."""
        found = self.plugin_settings.get(plugin)
        if found is not None:
            return found.model_dump()
        return dict(self.raw_plugin_settings.get(plugin, {}))


def runtime_of(app: object) -> Runtime:
    """The :class:`Runtime` of a ToBeOut app (``current_app`` in a request), typed."""
    runtime = getattr(app, "runtime", None)
    if not isinstance(runtime, Runtime):
        raise RuntimeError("this app has no ToBeOut runtime (build it with api.app.create_app)")
    return runtime


def make_runtime(
    settings: Settings,
    plugins: pluggy.PluginManager,
    plugin_settings: Mapping[str, Mapping[str, object]] | None = None,
    checked: Mapping[str, BaseModel] | None = None,
) -> Runtime:
    """Build the cache and bus for ``settings`` (not yet started).

    ``plugin_settings`` are the raw ``plugins.toml`` tables; ``checked`` the ones already
    checked against their plugin's model (:func:`core.plugins.check_plugin_settings`).
    """
    return Runtime(
        settings=settings,
        cache=make_cache(settings.redis_url, database_url=settings.database_url),
        bus=make_event_bus(settings.redis_url),
        plugins=plugins,
        plugin_settings=dict(checked or {}),
        raw_plugin_settings={name: dict(values) for name, values in (plugin_settings or {}).items()},
    )
