"""Where an uploaded ledger's file is kept: the path the scanner and the finding pages read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from soegov.paths import data_dir

if TYPE_CHECKING:
    from soegov.oversight.models import LedgerImport


def ledgers_dir() -> Path:
    """Where uploaded ledgers live (outside static and media)."""
    return data_dir() / "ledgers"


def ledger_path(ledger: LedgerImport) -> Path:
    """The stored file of a ledger import (named by hash, with its extension so the scanner reads it)."""
    return ledgers_dir() / ledger.sha256[:2] / f"{ledger.sha256}.{ledger.extension}"
