"""Where soegov keeps the files a deployment writes (database, uploads, imported calendars)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The writable data directory: $SOEGOV_DATA_DIR, else ~/.local/share/soegov."""
    configured = os.environ.get("SOEGOV_DATA_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "soegov"


def demo_dir() -> Path:
    """The demo's own data directory: $SOEGOV_DEMO_DIR, else ~/.local/share/soegov-demo — never the one
    `soegov serve` uses, so a production start never finds the demo accounts."""
    configured = os.environ.get("SOEGOV_DEMO_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "soegov-demo"
