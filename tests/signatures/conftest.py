"""Each signatures test gets its own key folder (KEK and trust anchor) beside its own database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _signature_settings(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOEGOV_KEY_DIR", str(tmp_path / "keys"))
    if "django_db_setup" not in request.fixturenames and "db" not in request.fixturenames:
        return
    settings: Any = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SOEGOV_TOTP_REQUIRED = False
