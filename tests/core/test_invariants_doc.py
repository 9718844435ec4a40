"""docs/invariants.md names the tests that check each invariant: every one it names exists."""

from __future__ import annotations

from tests.core.test_security_doc import ROOT, missing_references


def test_every_test_the_invariants_page_names_exists() -> None:
    assert missing_references((ROOT / "docs" / "invariants.md").read_text(encoding="utf-8")) == []
