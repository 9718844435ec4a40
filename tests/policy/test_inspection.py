"""Inspection checklists read from inspection.yaml (yining art. 25, xundian art. 25)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from soegov.policy.errors import PackError
from soegov.policy.inspection import build_checklist, checklist_for
from soegov.policy.loader import get_registry, load_pack


def test_yining_has_art25s_six_points() -> None:
    c = checklist_for("yining-2024")
    assert [(p.citation.article, p.citation.item) for p in c.points] == [(25, n) for n in range(1, 7)]
    assert "可行性研究" in c.points[4].citation.text
    assert c.due_on(2026) is None


def test_xundian_self_inspection_is_due_30_december() -> None:
    c = checklist_for("xundian-2020")
    assert c.due_on(2026) == date(2026, 12, 30)
    assert c.citation is not None and "12月30日前" in c.citation.text
    assert all(p.citation.document == "xundian-2020" for p in c.points)
    assert len(c.points) >= 5


@pytest.mark.parametrize(("old", "new", "message"), [
    ("{article: 23}", "{article: 99}", "article 99"),
    ("evidence: [bodies]", "evidence: [gossip]", "unknown evidence"),
    ("due: {month: 12, day: 30}", "due: {month: 2, day: 30}", "real month and day"),
])
def test_bad_inspection_data_is_a_pack_error(tmp_path: Path, old: str, new: str, message: str) -> None:
    folder = tmp_path / "xundian-2020"
    shutil.copytree(get_registry().get("xundian-2020").path, folder)
    f = folder / "inspection.yaml"
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError) as exc:
        build_checklist(load_pack(folder))
    assert message in exc.value.message
