"""A signing PIN is stretched at the real scrypt cost outside the tests (which use a small one: tests/conftest.py),
and a key sealed at one cost opens wherever another is configured, because the cost travels with the key."""

from __future__ import annotations

import subprocess
import sys

from soegov.signatures import keystore
from tests.conftest import TEST_SCRYPT


def test_a_soegov_process_stretches_a_pin_at_the_real_cost() -> None:
    code = "from soegov.signatures import keystore; print(sorted(keystore.SCRYPT.items()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.strip() == str(sorted({"n": 2**15, "r": 8, "p": 1}.items()))
    assert keystore.SCRYPT == TEST_SCRYPT  # this process: the tests' small cost


def test_the_cost_is_stored_with_the_key_and_read_back_from_it(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOEGOV_KEY_DIR", str(tmp_path / "keys"))
    sealed = keystore.seal_with_pin(b"k" * 32, "pin-2026!", b"cert")
    assert {k: sealed[k] for k in ("n", "r", "p")} == TEST_SCRYPT
    monkeypatch.setattr(keystore, "SCRYPT", {"n": 2**12, "r": 8, "p": 1})
    assert keystore.open_with_pin(sealed, "pin-2026!", b"cert") == b"k" * 32
    again = keystore.seal_with_pin(b"k" * 32, "pin-2026!", b"cert")
    assert again["n"] == 2**12 and keystore.open_with_pin(again, "pin-2026!", b"cert") == b"k" * 32
