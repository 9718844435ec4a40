"""Settings for the web app's tests: fast password hashing, TOTP off unless a test turns it on, a clean cache."""

from __future__ import annotations

import pytest

# The Django apps' test folders; the engine's tests run without Django fixtures.
WEB_TEST_DIRS = {
    "accounts", "advisor", "api", "audit", "backup", "browser", "collector", "core", "enterprises", "exchange", "followup",
    "hrsync", "inbox", "invariants",
    "jobs", "leaders", "matters", "meetings", "notices", "oversight", "search", "signatures", "sso", "web",
}


@pytest.fixture(autouse=True)
def _web_test_settings(request: pytest.FixtureRequest) -> None:
    if request.node.path.parent.name not in WEB_TEST_DIRS:
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SOEGOV_TOTP_REQUIRED = False
    # Each test its own signing key folder (KEK and root certificate), as it has its own database.
    request.getfixturevalue("monkeypatch").setenv("SOEGOV_KEY_DIR", str(request.getfixturevalue("tmp_path") / "keys"))
    # ... and its own audit anchor folder, as the anchors name that database's entries.
    request.getfixturevalue("monkeypatch").setenv(
        "SOEGOV_AUDIT_ANCHOR_DIR", str(request.getfixturevalue("tmp_path") / "audit-anchors")
    )
    # Each test its own file store (soegov.core.files), so files left by one test are never seen by another.
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(request.getfixturevalue("tmp_path") / "media")}}}
    # Jobs run in the test's own process and transaction; tests/jobs start real workers where it matters.
    settings.SOEGOV_JOBS_EAGER = True
    from django.core.cache import cache

    cache.clear()
