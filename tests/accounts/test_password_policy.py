"""Issue 14.6: the password policy refuses the published demo password and guessable patterns, and the last five
passwords of an account; each refusal names the field in Chinese, each change is audited."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from soegov.accounts import services
from soegov.accounts.models import PasswordHistory
from soegov.accounts.roles import Role
from soegov.accounts.validators import CommonPatternValidator
from soegov.audit.models import AuditEntry
from soegov.core.errors import InputError
from soegov.demo.accounts import DEMO_PASSWORD, demo_user_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GUESSABLE = [
    DEMO_PASSWORD, DEMO_PASSWORD.upper(),       # the password printed in the README and by `soegov demo`
    "Passw0rd!234", "P@ssw0rd2026!", "Password@123456",  # a common word, leet, digits and a symbol
    "Admin@123456", "Qwerty@123456", "1qaz@WSX3edc",     # administrator and keyboard words, keyboard walks
    "Soegov@2026abc", "Woaini@1314520",                  # the product's name; pinyin favourites
    "Dragon#2024!!", "Sunshine_2026",                    # words of Django's 20,000 common passwords
    "Aaaaaa1!aaaa", "Abcd1234!@#$",                      # repeats and sequences
]


def _create(username: str, password: str, full_name: str = "") -> Any:
    return services.user_create(actor=None, username=username, password=password, role=Role.SYSTEM_ADMIN,
                                full_name=full_name)


@pytest.mark.parametrize("password", GUESSABLE)
def test_guessable_passwords_are_refused_naming_the_field(password: str) -> None:
    with pytest.raises(InputError) as exc:
        _create("newadmin", password)
    assert exc.value.path == "password" and exc.value.code == "weak_password"
    assert "密码：" in exc.value.message
    if password.lower() == DEMO_PASSWORD.lower():
        assert "不能使用本系统公开的演示密码" in exc.value.message


def test_the_login_name_or_the_name_with_digits_is_refused() -> None:
    with pytest.raises(InputError) as exc:
        _create("zhangwei", "Zhang@wei2024")
    assert "账号名或姓名" in exc.value.message
    with pytest.raises(InputError):
        _create("li", "Lixiaoming#2026", full_name="Li Xiaoming")


@pytest.mark.parametrize("password", [PASSWORD, "Zq8$wNe4!rTy", "Another#Secret2026x", "ruo7-Bing9-Tai!"])
def test_strong_passwords_are_taken(password: str) -> None:
    assert _create("newadmin", password).check_password(password)


@settings(max_examples=30, deadline=None)
@given(word=st.sampled_from(["password", "admin", "qwerty", "soegov", "welcome", "iloveyou", "woaini"]),
       digits=st.from_regex(r"[0-9]{0,6}", fullmatch=True), symbol=st.sampled_from("!@#$%&*_.-"),
       capital=st.booleans(), leet=st.booleans())
def test_a_word_with_digits_and_symbols_around_it_is_refused(word: str, digits: str, symbol: str, capital: bool,
                                                               leet: bool) -> None:
    core = word.replace("o", "0").replace("a", "@") if leet else word
    password = (core.capitalize() if capital else core) + symbol + digits
    with pytest.raises(Exception, match="密码："):
        CommonPatternValidator().validate(password)


def test_the_demo_loader_still_sets_the_demo_password() -> None:
    user = demo_user_create(username="yn_demo", role=Role.SYSTEM_ADMIN, full_name="演示")
    assert user.check_password(DEMO_PASSWORD)


def test_the_last_five_passwords_may_not_be_used_again(client: Any) -> None:
    user = UserFactory()
    chain = [PASSWORD, "Zq8$wNe4!rTy", "ruo7-Bing9-Tai!", "Another#Secret2026x", "Mu5%tao-Jing8", "Xi9&fan-Lou3"]
    for old, new in itertools.pairwise(chain):
        services.password_change(actor=user, old_password=old, new_password=new)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # The current one and the four before it are refused; the sixth back (the factory's) is free again.
    for reused in chain[1:5]:
        with pytest.raises(InputError) as exc:
            services.password_change(actor=user, old_password=chain[-1], new_password=reused)
        assert exc.value.path == "new_password"
        assert exc.value.message == "密码：不能与最近 5 次使用过的密码相同。"
    services.password_change(actor=user, old_password=chain[-1], new_password=PASSWORD)
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="user.password_change", object_id=str(user.pk)).count() == 6
    # Hashes only, never the password itself.
    assert not PasswordHistory.objects.filter(password__in=chain).exists()


def test_the_page_shows_the_refusal_under_the_new_password(client: Any) -> None:
    user = UserFactory()
    client.force_login(user)
    resp = client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password": "Passw0rd!234", "new_password2": "Passw0rd!234"})
    assert resp.status_code == 200
    assert "容易被猜中" in resp.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    resp = client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password": DEMO_PASSWORD, "new_password2": DEMO_PASSWORD})
    assert "不能使用本系统公开的演示密码" in resp.content.decode()
