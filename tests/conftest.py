"""Test-wide settings: fast password hashing, TOTP off unless a test turns it on, a clean cache."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _web_test_settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SOEGOV_TOTP_REQUIRED = False
    from django.core.cache import cache

    cache.clear()
