"""This soegov set up to report to a collector, as its operator would: a key issued, its key file, the settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from soegov.collector import signing
from soegov.collector.credentials import key_issue


def report_to(settings: Any, tmp_path: Path, enterprise: Any, url: str) -> Any:
    """Issue `enterprise` a key and point the outbox at the collector at `url`; the key."""
    key, private = key_issue(actor=None, uscc=enterprise.uscc)
    assert private is not None
    key_file = tmp_path / "collector.key"
    key_file.write_text(signing.key_file_text(key.key_id, private), encoding="utf-8")
    settings.SOEGOV_COLLECTOR_URL = url
    settings.SOEGOV_COLLECTOR_KEY_ID = key.key_id
    settings.SOEGOV_COLLECTOR_KEY_FILE = str(key_file)
    return key
