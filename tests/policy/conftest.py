from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from soegov.policy.loader import reset_registry

TEST_PACKS = Path(__file__).parent / "packs"


@pytest.fixture
def demo_county(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The made-up third jurisdiction, installed through $SOEGOV_POLICY_PATH."""
    monkeypatch.setenv("SOEGOV_POLICY_PATH", str(TEST_PACKS))
    reset_registry()
    yield "demo-county-2026"
    reset_registry()
