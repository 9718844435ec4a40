"""`soegov policy lint` on an overlay itself: its quoted texts name what was read, and it sits under nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from soegov.cli import main
from soegov.policy.loader import PACKS_DIR


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "national"
    shutil.copytree(os.path.join(PACKS_DIR, "national"), folder)
    return folder


def test_the_shipped_overlay_lints_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "lint", "national"]) == 0
    assert "0 个错误" in capsys.readouterr().out


def test_an_unverified_text_without_a_note_saying_what_was_read_is_an_error(tmp_path: Path,
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = _copy(tmp_path)
    articles = (folder / "articles.yaml").read_text(encoding="utf-8")
    start = articles.index("  - document: prc-company-law-2023")
    note = articles.index("    note: >-", start)
    end = articles.index("    articles:", note)
    (folder / "articles.yaml").write_text(articles[:note] + articles[end:], encoding="utf-8")
    assert main(["policy", "lint", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "prc-company-law-2023 articles [172, 185] could not be checked" in out


def test_an_overlay_under_another_overlay_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _copy(tmp_path)
    meta = (folder / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(meta.replace("versions:", "overlays: [national]\nversions:", 1), encoding="utf-8")
    assert main(["policy", "lint", str(folder)]) == 1
    assert "an overlay does not sit under another overlay" in capsys.readouterr().out
