"""Password complexity: characters from several classes, as government password policies require."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError

CLASSES = (
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("数字", lambda c: c.isdigit()),
    ("符号", lambda c: not c.isalnum()),
)


class ComplexityValidator:
    """At least `min_classes` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        """Raise ValidationError when too few character classes are used."""
        used = sum(1 for _, test in CLASSES if any(test(c) for c in password))
        if used < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        """Shown beside password fields."""
        return f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。"


class MinimumLengthValidator:
    """At least `min_length` characters (configurable by SOEGOV_PASSWORD_MIN_LENGTH)."""

    def __init__(self, min_length: int = 12):
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        """Raise ValidationError when the password is too short."""
        if len(password) < self.min_length:
            raise ValidationError(f"密码长度不能少于 {self.min_length} 位。", code="password_too_short")

    def get_help_text(self) -> str:
        """Shown beside password fields."""
        return f"密码长度不能少于 {self.min_length} 位。"
