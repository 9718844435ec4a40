"""A wildcard rule may leave types out (yining 16.3: a level-4 enterprise's own merger is the remedy, not a breach)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from soegov.cli import main
from soegov.policy import classify
from soegov.policy.loader import PACKS_DIR


def _level4(form: str) -> dict[str, object]:
    return {"date": "2026-03-01", "enterprise": {"level": 4, "ownership": "controlled"}, "type": "restructuring",
            "attributes": {"form": form}}


def test_the_level_finding_leaves_out_the_restructuring_that_remedies_it() -> None:
    merger = classify(_level4("merger"), policy="yining-2024")
    assert "prohibited" not in [o["kind"] for o in merger["obligations"]]
    remedy = next(n for n in merger["notes"] if n["code"] == "level_remedy")
    assert (remedy["citation"]["article"], remedy["citation"]["item"]) == (16, 3)
    division = classify(_level4("division"), policy="yining-2024")
    assert [o["citation"]["article"] for o in division["obligations"] if o["kind"] == "prohibited"] == [16]
    # Every other matter of a level-4 enterprise still carries the finding.
    org = classify({**_level4("merger"), "type": "org_structure", "attributes": {}}, policy="yining-2024")
    assert [o["citation"]["item"] for o in org["obligations"] if o["kind"] == "prohibited"] == [3]


@pytest.mark.parametrize(("edit", "message"), [
    ("    types: [\"*\"]\n    except_types: [restructuring]\n", "    types: [\"*\"]\n    except_types: [no_such_type]\n"),
    ("  - id: y16-4\n    types: [guarantee]\n", "  - id: y16-4\n    types: [guarantee]\n    except_types: [donation]\n"),
])
def test_lint_refuses_an_exception_that_is_not_a_type_or_not_on_a_wildcard(tmp_path: Path, edit: str, message: str,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "yining"
    shutil.copytree(os.path.join(PACKS_DIR, "yining-2024"), pack)
    rules = (pack / "rules.yaml").read_text(encoding="utf-8")
    assert edit in rules
    (pack / "rules.yaml").write_text(rules.replace(edit, message, 1), encoding="utf-8")
    assert main(["policy", "lint", str(pack)]) == 1
    out = capsys.readouterr().out
    assert "except_types" in out
