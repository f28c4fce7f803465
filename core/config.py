"""Settings from the environment, validated once at startup (12-factor).

``load_settings()`` reads the environment and returns a frozen :class:`Settings`;
any bad value raises :class:`core.errors.ConfigurationError` whose message is one
line naming the variable, which the CLI prints before exiting.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

from core.errors import ConfigurationError

ENVIRONMENTS = ("development", "test", "production")
DEFAULT_VAR_DIR = "var"


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment."""

    env: str = "development"
    var_dir: Path = Path(DEFAULT_VAR_DIR)
    database_url: str = "sqlite://var/tobeout.sqlite3"
    redis_url: str | None = None
    secret_key: str = field(default="", repr=False)
    encryption_key: str = field(default="", repr=False)
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o"
    openai_timeout: float = 20.0
    telegram_api_base_url: str | None = None
    twilio_api_base_url: str | None = None
    public_base_url: str = "http://127.0.0.1:8000"
    plugins_file: Path = Path("plugins.toml")
    log_level: str = "INFO"

    @property
    def production(self) -> bool:
        """True when running with ``TOBEOUT_ENV=production`` (strict secrets, Secure cookies)."""
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite database."""
        return self.database_url.startswith("sqlite:")


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...], default: str | None = None) -> str | None:
    value = env.get(name, "").strip() or default
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes or (not parts.netloc and parts.scheme not in ("sqlite",)):
        raise ConfigurationError(
            f"{name} is not a valid URL ({value!r}); expected a URL starting with "
            + " or ".join(f"{s}://" for s in schemes)
        )
    return value.rstrip("/") if parts.scheme.startswith("http") else value


def _secret_file(var_dir: Path, name: str, make: callable) -> str:  # type: ignore[valid-type]
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


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise ConfigurationError(f"{name} must be greater than zero, not {raw!r}")
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings from ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env
    mode = env.get("TOBEOUT_ENV", "development").strip() or "development"
    if mode not in ENVIRONMENTS:
        raise ConfigurationError(f"TOBEOUT_ENV must be one of {', '.join(ENVIRONMENTS)}, not {mode!r}")
    var_dir = Path(env.get("TOBEOUT_VAR_DIR", DEFAULT_VAR_DIR))
    database_url = _url(
        env, "DATABASE_URL", ("sqlite", "postgres", "postgresql", "asyncpg"), f"sqlite://{var_dir}/tobeout.sqlite3"
    )
    redis_url = _url(env, "REDIS_URL", ("redis", "rediss", "unix"))

    secret_key = env.get("SECRET_KEY", "").strip()
    encryption_key = env.get("TOBEOUT_ENCRYPTION_KEY", "").strip()
    if mode == "production":
        if not secret_key:
            raise ConfigurationError("SECRET_KEY is required when TOBEOUT_ENV=production")
        if not encryption_key:
            raise ConfigurationError("TOBEOUT_ENCRYPTION_KEY is required when TOBEOUT_ENV=production")
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

    return Settings(
        env=mode,
        var_dir=var_dir,
        database_url=database_url or "",
        redis_url=redis_url,
        secret_key=secret_key,
        encryption_key=encryption_key,
        openai_api_key=env.get("OPENAI_API_KEY", "").strip() or None,
        openai_base_url=_url(env, "OPENAI_BASE_URL", ("http", "https")),
        openai_model=env.get("OPENAI_MODEL", "").strip() or "gpt-4o",
        openai_timeout=_float(env, "OPENAI_TIMEOUT", 20.0),
        telegram_api_base_url=_url(env, "TELEGRAM_API_BASE_URL", ("http", "https")),
        twilio_api_base_url=_url(env, "TWILIO_API_BASE_URL", ("http", "https")),
        public_base_url=_url(env, "PUBLIC_BASE_URL", ("http", "https"), "http://127.0.0.1:8000") or "",
        plugins_file=Path(env.get("TOBEOUT_PLUGINS_FILE", "plugins.toml")),
        log_level=(env.get("LOG_LEVEL", "INFO").strip() or "INFO").upper(),
    )
