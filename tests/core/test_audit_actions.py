"""Every app's audit actions are declared once, with a Chinese label, and recorded from the enumeration."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import soegov
from soegov.core.audit_actions import AuditAction, action_enumerations, action_label

# Apps whose audit entries are all recorded from their enumeration (add an app once it is converted).
CONVERTED = ("exchange",)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _import_everything() -> None:
    for info in pkgutil.walk_packages(soegov.__path__, "soegov."):
        if ".migrations" not in info.name and not info.name.endswith("__main__"):
            importlib.import_module(info.name)


@pytest.mark.django_db
def test_every_action_has_a_chinese_label_and_no_action_string_is_declared_twice() -> None:
    _import_everything()
    seen: dict[str, str] = {}
    problems = []
    for cls in action_enumerations():
        # Enum turns a second name with the same string into an alias of the first: its label would be lost.
        if len(cls.__members__) != len(list(cls)):
            problems.append(f"{cls.__name__}: an action string is declared twice")
        for member in cls:
            if not CJK.search(str(member.label)):
                problems.append(f"{cls.__name__}.{member.name}: no Chinese label")
            if member.value in seen:
                problems.append(f"{member.value}: declared by {seen[member.value]} and {cls.__name__}")
            seen[member.value] = cls.__name__
    assert problems == []


def test_a_member_is_the_stored_string_and_its_label_is_found_from_the_string() -> None:
    class SampleAction(AuditAction):
        WRITE = "sample.write", "示例写入"

    assert SampleAction.WRITE == "sample.write" and isinstance(SampleAction.WRITE, str)
    assert f"{SampleAction.WRITE}" == "sample.write"
    assert action_label("sample.write") == "示例写入"
    assert action_label("sample.unknown") == ""


def _literal_actions(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "audit_record":
            for kw in node.keywords:
                if kw.arg == "action" and isinstance(kw.value, (ast.Constant, ast.JoinedStr)):
                    out.append(f"{path.name}:{node.lineno}")
    return out


@pytest.mark.parametrize("app", CONVERTED)
def test_converted_apps_record_no_free_form_action_string(app: str) -> None:
    folder = Path(soegov.__file__).parent / app
    found = [hit for path in sorted(folder.rglob("*.py")) if "migrations" not in path.parts
             for hit in _literal_actions(path)]
    assert found == []
