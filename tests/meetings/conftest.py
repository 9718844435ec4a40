"""Uploaded materials go to a per-test data directory."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _uploads(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(tmp_path / "data"))
