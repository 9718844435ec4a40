"""The demo data loaded once per test process and shared, each test seeing it pristine (see tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import override_settings

# What every web test runs with (tests/conftest.py applies it per test; the demo is loaded under it too).
WEB_TEST_SETTINGS: dict[str, Any] = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "SOEGOV_TOTP_REQUIRED": False,
    # Jobs run in the test's own process and transaction; tests/jobs start real workers where it matters.
    "SOEGOV_JOBS_EAGER": True,
    # Whitenoise finds a static file when it is asked for (as under DEBUG) instead of listing and stat-ing all of
    # them (206, through the finders) each time a test client starts its handler: 35 ms a test client.
    "WHITENOISE_AUTOREFRESH": True,
}


def storages_in(media: Path) -> dict[str, Any]:
    """The STORAGES setting with the file store (soegov.core.files) in the given folder."""
    from django.conf import settings

    return {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)}}}


class DemoDatabase:
    """The demo inside a transaction left open beneath the tests' own (each rolled back), loaded and unloaded on demand.

    Loaded, the demo sits in an outer transaction of the test database; pytest-django's per-test transaction
    becomes a savepoint inside it, so whatever a test writes is rolled back and the next test sees the demo as
    loaded. Unloading rolls the outer transaction back, which leaves the test database empty again.
    """

    def __init__(self, blocker: Any, folder: Path) -> None:
        self.blocker = blocker
        self.folder = folder
        self.media = self.keys = self.anchors = folder
        self.accounts: list[tuple[str, str, str]] = []
        self.loads = 0
        self.atomic: Any = None

    @property
    def loaded(self) -> bool:
        """Whether the demo is in the test database now."""
        return self.atomic is not None

    def env(self) -> dict[str, str]:
        """The environment the demo was loaded under: its signing keys and audit anchors belong to its rows."""
        return {"SOEGOV_KEY_DIR": str(self.keys), "SOEGOV_AUDIT_ANCHOR_DIR": str(self.anchors)}

    def load(self) -> None:
        """Load the demo in a transaction left open (no test's transaction may be open yet)."""
        from soegov.demo.load import load_demo

        # Folders of its own each time: a key folder keeps the root certificate of a load since rolled back.
        each = self.folder / f"load-{self.loads + 1}"
        self.media, self.keys, self.anchors = each / "media", each / "keys", each / "audit-anchors"
        with self.blocker.unblock(), pytest.MonkeyPatch.context() as mp, \
                override_settings(**WEB_TEST_SETTINGS, STORAGES=storages_in(self.media)):
            for name, value in self.env().items():
                mp.setenv(name, value)
            if transaction.get_connection().in_atomic_block:
                raise RuntimeError("the demo must be loaded before a test's own transaction opens")
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                self.accounts = load_demo()
            except BaseException:
                self.unload()
                raise
            self.loads += 1

    def unload(self) -> None:
        """Roll the demo back: the test database is empty again."""
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic, self.atomic = self.atomic, None
            atomic.__exit__(None, None, None)
