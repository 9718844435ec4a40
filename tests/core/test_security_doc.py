"""docs/security.md maps every level-3 item of GB/T 22239-2019 §8.1.4 to tests, and every test it names exists."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
ITEMS = ["8.1.4.1 身份鉴别", "8.1.4.2 访问控制", "8.1.4.3 安全审计", "8.1.4.4 入侵防范", "8.1.4.5 恶意代码防范",
         "8.1.4.6 可信验证", "8.1.4.7 数据完整性", "8.1.4.8 数据保密性", "8.1.4.9 数据备份恢复", "8.1.4.10 剩余信息保护",
         "8.1.4.11 个人信息保护"]
FULL_REF = re.compile(r"\b(tests/[\w/]+\.py)(?:::(\w+))?")
SHORT_REF = re.compile(r"(?<![\w/])(test_\w+\.py)::(\w+)")
BARE_NAME = re.compile(r"(?<![\w/:.])(test_\w+)\b(?!\.py|::)")


@cache
def _defined(path: Path) -> frozenset[str]:
    return frozenset(re.findall(r"^\s*(?:async\s+)?(?:def|class)\s+(\w+)", path.read_text(encoding="utf-8"), re.M))


def _all_tests() -> list[Path]:
    return sorted((ROOT / "tests").rglob("test_*.py"))


def missing_references(text: str) -> list[str]:
    """Every test file or test function the text names that does not exist."""
    missing = []
    for file, name in FULL_REF.findall(text):
        path = ROOT / file
        if not path.is_file():
            missing.append(file)
        elif name and name not in _defined(path):
            missing.append(f"{file}::{name}")
    for file, name in SHORT_REF.findall(text):
        if not any(p.name == file and name in _defined(p) for p in _all_tests()):
            missing.append(f"{file}::{name}")
    everywhere = frozenset().union(*(_defined(p) for p in _all_tests()))
    missing += [name for name in BARE_NAME.findall(FULL_REF.sub("", SHORT_REF.sub("", text))) if name not in everywhere]
    return missing


def test_every_test_the_document_names_exists() -> None:
    assert missing_references(DOC.read_text(encoding="utf-8")) == []


def test_every_level_3_item_has_a_row_with_tests() -> None:
    rows = {line.split("|")[1].strip(): line.split("|")[3] for line in DOC.read_text(encoding="utf-8").splitlines()
            if line.startswith("| 8.1.4.")}
    assert sorted(rows, key=lambda k: int(k.split()[0].split(".")[-1])) == ITEMS
    assert [item for item, tests in rows.items() if not FULL_REF.search(tests)] == []


def test_the_check_catches_a_misnamed_test() -> None:
    text = ("`tests/audit/test_tamper.py::test_no_such_case`, `tests/audit/test_nothing.py`, "
            "test_chain.py::test_gone, test_chain.py::test_an_edited_row_is_detected, test_never_written and "
            "tests/accounts/test_auth.py::test_three_admins_are_separate")
    assert missing_references(text) == ["tests/audit/test_tamper.py::test_no_such_case", "tests/audit/test_nothing.py",
                                        "test_chain.py::test_gone", "test_never_written"]
