"""Every app's error-code enumeration is sound, and raising from one carries both messages and the field."""

from __future__ import annotations

import importlib
import pkgutil
from string import Formatter

import pytest

import soegov
from soegov.core.error_codes import CoreError, ErrorCode
from soegov.core.errors import InputError, SoegovError, TransitionRefused


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def _all_enumerations() -> list[type[ErrorCode]]:
    # Import every soegov module so each app's enumeration is defined (migrations and packs aside).
    for info in pkgutil.walk_packages(soegov.__path__, "soegov."):
        if ".migrations" not in info.name and not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found: list[type[ErrorCode]] = []
    todo = list(ErrorCode.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


@pytest.mark.django_db
def test_every_code_has_both_messages_with_matching_fields_and_is_declared_once() -> None:
    enumerations = _all_enumerations()
    assert CoreError in enumerations
    problems = []
    for cls in enumerations:
        # Enum turns a second name with the same code into an alias of the first: its messages would be lost.
        if len(cls.__members__) != len(list(cls)):
            problems.append(f"{cls.__name__}: a code is declared twice")
        for member in cls:
            if not member.zh.strip() or not member.en.strip():
                problems.append(f"{cls.__name__}.{member.name}: a message is missing")
            # A value that itself needs translating is passed twice: `what` (zh) and `what_en` (en).
            elif _fields(member.zh) != {f.removesuffix("_en") for f in _fields(member.en)}:
                problems.append(f"{cls.__name__}.{member.name}: zh and en take different fields")
            if not issubclass(member.raises, SoegovError):
                problems.append(f"{cls.__name__}.{member.name}: raises something that is not a SoegovError")
    assert problems == []


class SampleError(ErrorCode):
    NOT_EDITABLE = ("not_editable", "事项当前状态为“{state}”，不能修改", "the matter cannot be changed while {state_en}",
                    TransitionRefused)
    EMPTY = "empty_file", "{field}为空", "{field} is empty", InputError
    PLAIN = "plain", "出错了", "something went wrong"


def test_raising_from_an_enumeration_fills_both_messages_and_names_the_field() -> None:
    exc = SampleError.NOT_EDITABLE.error(path="status", state="已报送", state_en="submitted")
    assert isinstance(exc, TransitionRefused)
    assert (exc.code, exc.path) == ("not_editable", "status")
    assert exc.text("zh") == "事项当前状态为“已报送”，不能修改"
    assert exc.text("en") == "the matter cannot be changed while submitted"
    assert exc.as_dict()["error"] == {"code": "not_editable", "message": "事项当前状态为“已报送”，不能修改", "path": "status"}
    assert exc.code == SampleError.NOT_EDITABLE and SampleError("empty_file") is SampleError.EMPTY


def test_the_exception_class_defaults_to_soegov_error() -> None:
    exc = SampleError.PLAIN.error()
    assert type(exc) is SoegovError and exc.path is None and exc.message_en == "something went wrong"
    assert isinstance(SampleError.EMPTY.error(field="附件"), InputError)


def test_a_missing_parameter_is_a_programming_error_not_a_half_message() -> None:
    with pytest.raises(KeyError):
        SampleError.EMPTY.error(path="file")


def test_the_engine_can_import_errors_without_django() -> None:
    import subprocess
    import sys

    code = ("import sys, soegov.core.errors, soegov.core.time, soegov.core.error_codes; "
            "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
