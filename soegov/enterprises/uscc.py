"""统一社会信用代码 (unified social credit code) per GB 32100-2015, with its check digits."""

from __future__ import annotations

from soegov.core.errors import InputError

# GB 32100 excludes I, O, S, V and Z from the code's alphabet.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# The organisation code inside it (positions 9–17) follows GB 11714 with its own check digit.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_char(first17: str) -> str:
    """The 18th character (check digit) for the first 17."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else ("0" if value == 11 else str(value))


def make_uscc(registration: str, division: str, org_body: str) -> str:
    """A valid code from the registration type (2 chars), division (6 digits) and organisation body (8)."""
    first17 = registration + division + org_body + org_check_char(org_body)
    return first17 + check_char(first17)


def validate_uscc(value: str, path: str = "uscc") -> str:
    """The normalised code, or InputError naming what is wrong with it."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise InputError(
            "invalid_uscc",
            f"统一社会信用代码应为 18 位，当前为 {len(code)} 位",
            path,
            f"The unified social credit code must have 18 characters, not {len(code)}",
        )
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        raise InputError(
            "invalid_uscc",
            f"统一社会信用代码含有不允许的字符：{''.join(bad)}",
            path,
            f"The unified social credit code contains characters not allowed: {''.join(bad)}",
        )
    if not code[2:8].isdigit():
        raise InputError(
            "invalid_uscc", "统一社会信用代码第 3–8 位应为行政区划代码（数字）", path,
            "Characters 3-8 of the code must be the administrative division code (digits)",
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        raise InputError(
            "invalid_uscc",
            f"统一社会信用代码校验位错误：应为 {expected}，实为 {code[17]}",
            path,
            f"Wrong check character of the unified social credit code: expected {expected}, got {code[17]}",
        )
    return code
