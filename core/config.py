"""Settings from the environment, declared once and validated at startup (12-factor).

:class:`Settings` is a pydantic-settings model: each field names its environment variable.
``load_settings()`` reads the environment (or a given mapping) and returns a frozen
:class:`Settings`; any bad value raises :class:`core.errors.ConfigurationError` whose
message is one line naming the variable, which the CLI prints before exiting.

A plugin declares the variables of its own (a channel's API base URL) the same way, as a
subclass of :class:`EnvironmentSettings`, read with ``runtime.environment(Model)``
(:func:`plugin_environment`) from the same environment the service's settings came from.

Relative paths (``TOBEOUT_VAR_DIR``, a SQLite ``DATABASE_URL``, ``TOBEOUT_PLUGINS_FILE``)
are resolved once, against the working directory at startup, so the service behaves the
same whatever directory it later runs code from.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Literal, TypeVar
from urllib.parse import urlsplit

import pydantic
from cryptography.fernet import Fernet
from pydantic import AfterValidator, Field, PrivateAttr
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from core.errors import ConfigurationError
from core.redaction import register_secret, register_url_password

ENVIRONMENTS = ("development", "test", "production")
E = TypeVar("E", bound="EnvironmentSettings")
DEFAULT_VAR_DIR = "var"
_GIVEN: ContextVar[Mapping[str, str] | None] = ContextVar("tobeout_settings_env", default=None)


def _url(*schemes: str) -> AfterValidator:
    """A validator accepting URLs of ``schemes`` (trailing slash of http URLs dropped)."""

    def check(value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in schemes or (not parts.netloc and parts.scheme != "sqlite"):
            expected = " or ".join(f"{s}://" for s in schemes)
            raise ValueError(f"is not a valid URL ({value!r}); expected a URL starting with {expected}")
        return value.rstrip("/") if parts.scheme.startswith("http") else value

    return AfterValidator(check)


def _positive(value: float) -> float:
    if value <= 0:
        raise ValueError(f"must be greater than zero, not {value!r}")
    return value


class _Environment(EnvSettingsSource):
    """The process environment, or the mapping handed to :func:`load_settings` instead of it."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        given = _GIVEN.get()
        if given is None:
            return super()._load_env_vars()
        return {key.lower(): value for key, value in given.items() if value != ""}


HttpUrl = Annotated[str, _url("http", "https")]
Seconds = Annotated[float, AfterValidator(_positive)]


class EnvironmentSettings(BaseSettings):
    """Base of a model read from the environment: each field's ``validation_alias`` is its variable.

    Read-only; blank variables count as unset; only the environment is read (no ``.env`` file).
    """

    model_config = SettingsConfigDict(
        frozen=True, env_ignore_empty=True, str_strip_whitespace=True, extra="ignore", populate_by_name=True
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the environment (or the mapping handed to :func:`load_settings`): no .env or secrets files."""
        return (init_settings, _Environment(settings_cls))


class Settings(EnvironmentSettings):
    """Everything the service itself reads from its environment (the variable is each field's alias)."""

    _environ: dict[str, str] = PrivateAttr(default_factory=dict)  # what was read, for plugins' own variables

    env: Literal["development", "test", "production"] = Field("development", validation_alias="TOBEOUT_ENV")
    var_dir: Path = Field(Path(DEFAULT_VAR_DIR), validation_alias="TOBEOUT_VAR_DIR")
    database_url: Annotated[str, _url("sqlite", "postgres", "postgresql", "asyncpg")] = Field(
        "", validation_alias="DATABASE_URL", validate_default=False
    )
    redis_url: Annotated[str, _url("redis", "rediss", "unix")] | None = Field(None, validation_alias="REDIS_URL")
    secret_key: str = Field("", repr=False, validation_alias="SECRET_KEY")
    encryption_key: str = Field("", repr=False, validation_alias="TOBEOUT_ENCRYPTION_KEY")
    openai_api_key: str | None = Field(None, repr=False, validation_alias="OPENAI_API_KEY")
    openai_base_url: HttpUrl | None = Field(None, validation_alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4o", validation_alias="OPENAI_MODEL")
    openai_timeout: Seconds = Field(20.0, validation_alias="OPENAI_TIMEOUT")
    public_base_url: HttpUrl = Field("http://127.0.0.1:8000", validation_alias="PUBLIC_BASE_URL")
    #: None: ``./plugins.toml`` when there is one, else the built-in plugins with their defaults
    plugins_file: Path | None = Field(None, validation_alias="TOBEOUT_PLUGINS_FILE")
    log_level: Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"] = Field("INFO", validation_alias="LOG_LEVEL")
    log_format: Literal["text", "json"] = Field("text", validation_alias="LOG_FORMAT")
    #: whether /readyz fails while Redis is away (the service itself degrades to PostgreSQL meanwhile)
    ready_requires_redis: bool = Field(False, validation_alias="READY_REQUIRES_REDIS")
    #: open /api/events streams one session or token, and one client address, may hold over every process
    sse_max_per_credential: int = Field(5, ge=1, validation_alias="SSE_MAX_PER_CREDENTIAL")
    sse_max_per_address: int = Field(20, ge=1, validation_alias="SSE_MAX_PER_ADDRESS")
    #: seconds a stream's place under those caps lasts unless renewed (a killed process's places free then)
    sse_slot_seconds: Seconds = Field(30.0, validation_alias="SSE_SLOT_SECONDS")
    #: the bearer token /metrics asks for (unset: /metrics answers 404)
    metrics_token: str | None = Field(None, repr=False, validation_alias="METRICS_TOKEN")

    @pydantic.field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @pydantic.field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @property
    def production(self) -> bool:
        """True when running with ``TOBEOUT_ENV=production`` (strict secrets, Secure cookies)."""
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite database."""
        return self.database_url.startswith("sqlite:")


def _variable(cls: type[BaseSettings], loc: tuple[int | str, ...]) -> str:
    name = str(loc[0]) if loc else "?"
    field = cls.model_fields.get(name)
    alias = field.validation_alias if field is not None else None
    return alias if isinstance(alias, str) else name


def _one_line(exc: pydantic.ValidationError, model: type[BaseSettings]) -> str:
    """The first error as ``VARIABLE is ...`` / ``VARIABLE: message (got 'value')``."""
    error = exc.errors(include_url=False)[0]
    variable = _variable(model, tuple(error["loc"]))
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "value_error":
        return f"{variable} {message}"
    return f"{variable}: {message} (got {error.get('input')!r})"


def _secret_file(var_dir: Path, name: str, make: Callable[[], str]) -> str:
    """Read a development secret from ``var/``, creating it (mode 0600) on first use."""
    path = var_dir / name
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


def _sqlite_absolute(url: str, cwd: Path) -> str:
    """``sqlite://var/x.sqlite3`` -> ``sqlite:///abs/var/x.sqlite3`` (``:memory:`` kept)."""
    if not url.startswith("sqlite://"):
        return url
    path = url.removeprefix("sqlite://")
    if not path or path.startswith(":memory:") or Path(path).is_absolute():
        return url
    return f"sqlite://{cwd / path}"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings from ``env`` (default: ``os.environ``)."""
    source = os.environ if env is None else env
    environ = {k: v for k, v in source.items() if isinstance(v, str) and v.strip()}
    settings = _read(Settings, environ)

    cwd = Path.cwd()
    var_dir = settings.var_dir if settings.var_dir.is_absolute() else cwd / settings.var_dir
    database_url = _sqlite_absolute(settings.database_url or f"sqlite://{var_dir}/tobeout.sqlite3", cwd)
    plugins_file = settings.plugins_file
    if plugins_file is not None and not plugins_file.is_absolute():
        plugins_file = cwd / plugins_file

    secret_key, encryption_key = settings.secret_key, settings.encryption_key
    if settings.production:
        _refuse_in_production(settings)
    if not secret_key:
        secret_key = _secret_file(var_dir, "secret_key", lambda: secrets.token_urlsafe(48))
    if not encryption_key:
        encryption_key = _secret_file(var_dir, "encryption.key", lambda: Fernet.generate_key().decode())
    try:
        Fernet(encryption_key.encode())
    except (ValueError, TypeError):
        raise ConfigurationError(
            "TOBEOUT_ENCRYPTION_KEY is not a valid key (32 url-safe base64-encoded bytes, "
            'make one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")'
        ) from None
    loaded = settings.model_copy(
        update={
            "var_dir": var_dir,
            "database_url": database_url,
            "plugins_file": plugins_file,
            "secret_key": secret_key,
            "encryption_key": encryption_key,
        }
    )
    loaded._environ = environ
    for secret in (secret_key, encryption_key, settings.openai_api_key, settings.metrics_token):
        register_secret(secret)
    register_url_password(database_url)
    register_url_password(settings.redis_url)
    return loaded


#: The least a production ``SECRET_KEY`` must have: length and distinct characters (a generated key has ~40).
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT = 8


def _refuse_in_production(settings: Settings) -> None:
    """What ``TOBEOUT_ENV=production`` does not start with, each refused in one line."""
    if not settings.secret_key:
        raise ConfigurationError("SECRET_KEY is required when TOBEOUT_ENV=production")
    if not settings.encryption_key:
        raise ConfigurationError("TOBEOUT_ENCRYPTION_KEY is required when TOBEOUT_ENV=production")
    key = settings.secret_key
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_SECRET_KEY_DISTINCT:
        raise ConfigurationError(
            f"SECRET_KEY is too weak for production ({len(key)} characters): use {MIN_SECRET_KEY_LENGTH}+ random "
            "characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if not settings.database_url:
        raise ConfigurationError(
            "DATABASE_URL is required when TOBEOUT_ENV=production (postgres://user:password@host:5432/tobeout)"
        )
    if settings.is_sqlite:
        raise ConfigurationError(
            "DATABASE_URL must be PostgreSQL when TOBEOUT_ENV=production: SQLite is for one process on one machine"
        )


def _read(model: type[E], environ: Mapping[str, str]) -> E:
    token = _GIVEN.set(environ)
    try:
        read = model()
        for name in type(read).model_fields:
            value = getattr(read, name)
            if isinstance(value, pydantic.SecretStr):
                register_secret(value.get_secret_value())  # a plugin's secret variable: masked in logs
            elif isinstance(value, str) and "://" in value:
                register_url_password(value)  # e.g. SMTP_URL=smtp://user:password@host
        return read
    except pydantic.ValidationError as exc:
        raise ConfigurationError(_one_line(exc, model)) from None
    finally:
        _GIVEN.reset(token)


def plugin_environment(settings: Settings, model: type[E]) -> E:
    """A plugin's own variables (``model``, an :class:`EnvironmentSettings`) from the environment ``settings``
    were read from; :class:`core.errors.ConfigurationError` naming the variable on a bad value."""
    return _read(model, settings._environ)
