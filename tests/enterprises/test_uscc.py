"""统一社会信用代码 check digits (GB 32100-2015)."""

import pytest

from soegov.core.errors import InputError
from soegov.enterprises.uscc import make_uscc, validate_uscc


def test_the_standards_example_is_valid() -> None:
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"


def test_lower_case_and_spaces_are_normalised() -> None:
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_made_codes_validate() -> None:
    for n in range(200):
        validate_uscc(make_uscc("91", "654002", f"MA{n:06d}"))


def test_wrong_check_digit_names_the_expected_one() -> None:
    with pytest.raises(InputError) as exc:
        validate_uscc("91350100M000100Y44")
    assert exc.value.message == "统一社会信用代码校验位错误：应为 3，实为 4"
    assert exc.value.path == "uscc"


def test_wrong_length() -> None:
    with pytest.raises(InputError) as exc:
        validate_uscc("9135010")
    assert exc.value.message == "统一社会信用代码应为 18 位，当前为 7 位"


def test_letters_gb32100_excludes() -> None:
    with pytest.raises(InputError) as exc:
        validate_uscc("91350100M000100I43")
    assert "不允许的字符：I" in exc.value.message
