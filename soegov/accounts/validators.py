"""Password complexity: characters from several classes, as government password policies require."""

from __future__ import annotations

import functools
import re
import string
from typing import Any

from django.core.exceptions import ValidationError

# The demo's one password, printed by `soegov demo` and in the README: refused for any real account
# (CommonPatternValidator); only the demo loader (soegov.demo.accounts) gives it to its accounts.
DEMO_PASSWORD = "Soegov@Demo2026"

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


# Letters that stand in for others in "clever" passwords (Passw0rd, P@ssword, $ecret), unfolded before the
# word check.
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
# Words that, alone or joined, with digits and symbols around them, make a guessable password: the product's and
# the demo's own names, administrator and keyboard words, and the pinyin favourites of Chinese password lists.
# Django's list of 20,000 common passwords (CommonPasswordValidator's) is checked as well.
COMMON_WORDS = frozenset([
    "soegov", "demo", "gov", "sasac", "guoziwei", "guozi", "admin", "administrator", "root", "super", "sysadmin",
    "secadmin", "auditadmin", "system", "sys", "manager", "user", "test", "guest", "login", "welcome", "password",
    "passwd", "pass", "pwd", "secret", "letmein", "hello", "qwerty", "qwer", "asdf", "asdfgh", "zxcv", "zxcvbn",
    "qaz", "wsx", "edc", "abc", "abcd", "abcdef", "iloveyou", "love", "woaini", "aini", "wangluo", "china",
    "zhongguo", "beijing", "shanghai", "huawei", "baidu", "taobao", "tencent", "company", "gongsi", "yining",
    "xundian",
])


def _skeletons(password: str) -> set[str]:
    """The letters of the password, lower case: as typed (Soegov@2026abc → soegovabc), and with look-alikes inside
    the word unfolded once the digits and symbols around it are cut (P@ssw0rd!234 → password)."""
    low = password.lower()
    plain = "".join(c for c in low if c.isascii() and c.isalpha())
    core = re.sub(r"^[^a-z@$!01345]+|[^a-z]+$", "", low)
    unfolded = "".join(c for c in core.translate(LEET) if c.isascii() and c.isalpha())
    return {w for w in (plain, unfolded) if len(w) >= 3}


@functools.lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from django.contrib.auth.password_validation import CommonPasswordValidator

    return frozenset(p for p in CommonPasswordValidator().passwords if len(p) >= 4)


def _made_of(skeleton: str, words: set[str] | frozenset[str]) -> bool:
    """Whether the skeleton is nothing but words of the list, one after another (two letters at least each)."""
    ends = {0}
    for i in range(1, len(skeleton) + 1):
        if any(j in ends and skeleton[j:i] in words for j in range(max(0, i - 20), i - 1)):
            ends.add(i)
    return len(skeleton) in ends


class CommonPatternValidator:
    """Refuse the published demo password and guessable patterns: a common word, the login name or the person's
    name with digits and symbols around it (Passw0rd!234, Admin@123456), keyboard walks and sequences; scored by
    zxcvbn (Dropbox's estimator), which also knows names, dates and repeats."""

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        """Raise ValidationError naming the pattern found."""
        from zxcvbn import zxcvbn

        if password.lower() == DEMO_PASSWORD.lower():
            raise ValidationError("密码：不能使用本系统公开的演示密码。", code="password_demo")
        personal = {w.lower() for w in _user_words(user) if len(w) >= 2}
        words = COMMON_WORDS | personal
        if any(_made_of(w, words) or w in _common_passwords() for w in _skeletons(password)):
            raise ValidationError(
                "密码：由常见单词、账号名或姓名加数字、符号组成（如 Passw0rd!234），容易被猜中，请换一个。",
                code="password_word_and_digits")
        result = zxcvbn(password[:100], user_inputs=sorted(personal | COMMON_WORDS))
        if result["score"] < self.min_score:
            found = sorted({PATTERN_LABELS.get(m["pattern"], "常见组合") for m in result["sequence"]
                            if m["pattern"] != "bruteforce"}) or ["过短的随机部分"]
            raise ValidationError(f"密码：容易被猜中（含{'、'.join(found)}），请换一个更难猜的密码。",
                                  code="password_guessable")

    def get_help_text(self) -> str:
        """Shown beside password fields."""
        return "不能使用演示密码，也不能是常见单词、账号名或姓名加数字、符号的组合，或键盘序列、连续字符。"


PATTERN_LABELS = {"dictionary": "常见单词或账号信息", "spatial": "键盘序列", "sequence": "连续字符",
                  "repeat": "重复字符", "date": "日期", "regex": "年份"}


def _user_words(user: Any) -> list[str]:
    """The login name and the name, whole and in their parts (yn_filer → yn, filer)."""
    words: list[str] = []
    for value in (getattr(user, "username", ""), getattr(user, "full_name", "")):
        value = str(value or "")
        words += [value, *re.split(r"[^A-Za-z]+", value)]
    return [w for w in words if w]


class PasswordHistoryValidator:
    """A new password may not be any of the last `count` passwords of the account (their hashes are kept)."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password: str, user: Any = None) -> None:
        """Raise ValidationError when the password was one of the last `count`."""
        from django.contrib.auth.hashers import check_password

        if user is None or user.pk is None:
            return
        from soegov.accounts.models import PasswordHistory

        kept = list(PasswordHistory.objects.filter(user=user).order_by("-pk").values_list("password", flat=True)
                    [: self.count])
        if user.has_usable_password() and user.password not in kept:
            kept = [user.password, *kept][: self.count]
        if any(check_password(password, encoded) for encoded in kept):
            raise ValidationError(f"密码：不能与最近 {self.count} 次使用过的密码相同。", code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        """Keep the new password's hash (Django calls this when the account is saved with a new password)."""
        from soegov.accounts.models import PasswordHistory

        if user is None or user.pk is None or not user.has_usable_password():
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        old = PasswordHistory.objects.filter(user=user).order_by("-pk").values_list("pk", flat=True)[self.count:]
        PasswordHistory.objects.filter(pk__in=list(old)).delete()

    def get_help_text(self) -> str:
        """Shown beside password fields."""
        return f"不能与最近 {self.count} 次使用过的密码相同。"
