"""Settings: defaults, generated development secrets, and one clear line for each bad value."""

from __future__ import annotations

import os

import pytest
from cryptography.fernet import Fernet

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


PRODUCTION = {"TOBEOUT_ENV": "production", "TOBEOUT_ENCRYPTION_KEY": Fernet.generate_key().decode()}
STRONG_KEY = "k3Y-" + "a1b2c3d4e5f6g7h8i9j0" * 2


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({"SECRET_KEY": "abc", "DATABASE_URL": "postgres://u:p@db/t"}, "SECRET_KEY is too weak for production"),
        ({"SECRET_KEY": "s" * 64, "DATABASE_URL": "postgres://u:p@db/t"}, "SECRET_KEY is too weak for production"),
        ({"SECRET_KEY": STRONG_KEY}, "DATABASE_URL is required when TOBEOUT_ENV=production"),
        ({"SECRET_KEY": STRONG_KEY, "DATABASE_URL": "sqlite://x.sqlite3"}, "DATABASE_URL must be PostgreSQL"),
    ],
)
def test_production_refuses_a_weak_key_sqlite_and_no_database(tmp_path, env, refusal):
    with pytest.raises(ConfigurationError) as info:
        load_settings({**PRODUCTION, "TOBEOUT_VAR_DIR": str(tmp_path), **env})
    assert info.value.message.startswith(refusal) and "\n" not in info.value.message
    assert env["SECRET_KEY"] not in info.value.message or len(env["SECRET_KEY"]) < 4
    good = load_settings(
        {
            **PRODUCTION,
            "TOBEOUT_VAR_DIR": str(tmp_path),
            "SECRET_KEY": STRONG_KEY,
            "DATABASE_URL": "postgres://u:p@db/t",
        }
    )
    assert good.production and not good.is_sqlite


def test_an_unreachable_database_at_start_up_is_one_line_and_exit_2(tmp_path):
    import socket
    import subprocess

    from tests.serving import TOBEOUT

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"postgres://tobeout:hunter2-secret@127.0.0.1:{port}/tobeout"}
    env.pop("TOBEOUT_ENV", None)
    for command in (["serve", "--port", "0"], ["worker"], ["db", "upgrade"]):
        done = subprocess.run(
            [str(TOBEOUT), *command], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2, done.stderr
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert lines == [
            f"tobeout: cannot reach the database at postgres://tobeout@127.0.0.1:{port}/tobeout: "
            f"[Errno 111] Connect call failed ('127.0.0.1', {port}) (is PostgreSQL running, and is DATABASE_URL right?)"
        ]
        assert "hunter2" not in done.stdout + done.stderr
