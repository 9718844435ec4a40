"""Each signatures test gets its own key folder even without a database (tests/conftest.py does it for the rest)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _key_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOEGOV_KEY_DIR", str(tmp_path / "keys"))
