"""How the settings read the environment: a yes/no or a whole number (a bad one refused at start-up, naming
the variable), a database URL, and the secret key kept in the data directory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from soegov.paths import private_file


def env_bool(name: str, default: bool) -> bool:
    """$name as yes (1, true, yes, on) or no; `default` when it is unset or empty."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """$name as a whole number; `default` when it is unset; ImproperlyConfigured naming it when it is not one."""
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} 不是整数 / {name} must be a whole number") from None


def database_config(name: str, url: str) -> dict[str, Any]:
    """One DATABASES entry from a URL, with persistent connections checked before reuse."""
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("SOEGOV_DB_CONN_MAX_AGE", 60),
                                       conn_health_checks=env_bool("SOEGOV_DB_CONN_HEALTH_CHECKS", True))
    except (ValueError, dj_database_url.UnknownSchemeError) as exc:
        raise ImproperlyConfigured(f"{name} 无法解析（{exc}）；应形如 postgres://用户:密码@主机:5432/库名 / "
                                   f"{name} is not a database URL") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] and not str(config["NAME"]).startswith((":memory:", "file:")):
            # Made 0600 before SQLite opens it: its -wal and -shm files take the database file's mode.
            private_file(Path(config["NAME"]))
        # waitress serves from several threads: write transactions take the lock up front and wait for it,
        # and WAL lets readers go on while one writes, instead of "database is locked" errors.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return dict(config)


def secret_key(directory: Path) -> str:
    """$SOEGOV_SECRET_KEY, else a random key kept in the data directory so sessions survive restarts."""
    configured = os.environ.get("SOEGOV_SECRET_KEY")
    if configured:
        return configured
    path = directory / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    private_file(path).write_text(key)
    return key
