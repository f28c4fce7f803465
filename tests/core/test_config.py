"""Settings: defaults, generated development secrets, and one clear line for each bad value."""

from __future__ import annotations

import pytest

from core.config import load_settings
from core.errors import ConfigurationError


def test_defaults_use_embedded_sqlite_and_generate_secrets(tmp_path):
    settings = load_settings({"TOBEOUT_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite://{tmp_path}/tobeout.sqlite3"
    assert settings.redis_url is None
    assert settings.openai_model == "gpt-4o"
    assert (tmp_path / "secret_key").read_text() == settings.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    again = load_settings({"TOBEOUT_VAR_DIR": str(tmp_path)})
    assert again.secret_key == settings.secret_key and again.encryption_key == settings.encryption_key


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"TOBEOUT_ENV": "staging"}, "TOBEOUT_ENV"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"REDIS_URL": "not a url"}, "REDIS_URL"),
        ({"OPENAI_BASE_URL": "ftp://x"}, "OPENAI_BASE_URL"),
        ({"PUBLIC_BASE_URL": "example.com"}, "PUBLIC_BASE_URL"),
        ({"TOBEOUT_ENCRYPTION_KEY": "short"}, "TOBEOUT_ENCRYPTION_KEY"),
        ({"OPENAI_TIMEOUT": "soon"}, "OPENAI_TIMEOUT"),
    ],
)
def test_bad_values_name_the_variable(tmp_path, env, names):
    with pytest.raises(ConfigurationError) as info:
        load_settings({"TOBEOUT_VAR_DIR": str(tmp_path), **env})
    assert names in info.value.message
    assert "\n" not in info.value.message


def test_production_requires_secrets(tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY is required"):
        load_settings({"TOBEOUT_ENV": "production", "TOBEOUT_VAR_DIR": str(tmp_path)})
    with pytest.raises(ConfigurationError, match="TOBEOUT_ENCRYPTION_KEY is required"):
        load_settings({"TOBEOUT_ENV": "production", "SECRET_KEY": "s" * 40, "TOBEOUT_VAR_DIR": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()


def test_postgres_and_redis_urls_are_accepted(tmp_path):
    settings = load_settings(
        {
            "TOBEOUT_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u:p@db:5432/tobeout",
            "REDIS_URL": "redis://cache:6379/0",
            "OPENAI_BASE_URL": "http://127.0.0.1:9999/v1/",
        }
    )
    assert settings.database_url.startswith("postgres://") and not settings.is_sqlite
    assert settings.redis_url == "redis://cache:6379/0"
    assert settings.openai_base_url == "http://127.0.0.1:9999/v1"
