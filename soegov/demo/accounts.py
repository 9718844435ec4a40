"""The demo's accounts: one password for all, each account made once through the account service."""

from __future__ import annotations

import functools
from typing import Any

from soegov.accounts.models import User
from soegov.accounts.services import user_create
from soegov.accounts.validators import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "demo_account", "demo_user_create", "live_demo_accounts"]


def demo_user_create(**fields: Any) -> User:
    """A demo account opening with the published demo password, which the password policy refuses on purpose
    (CommonPatternValidator): it is set already hashed, and kept in the account's password history."""
    from django.contrib.auth import password_validation

    user = user_create(actor=None, password_hash=_demo_password_hash(), **fields)
    password_validation.password_changed(DEMO_PASSWORD, user)  # as set_password's save does (the history)
    return user


def _demo_password_hash() -> str:
    """The demo password hashed once a process for each hasher setting: every demo account opens with the same
    published password, and hashing it again for each (PBKDF2, slow on purpose) took seconds a demo load."""
    from django.conf import settings

    return _hashed_with(tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hashed_with(hashers: tuple[str, ...]) -> str:
    # `hashers` only keys the cache (make_password reads the setting itself): a test's fast hasher gets its own hash.
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)


def demo_account(username: str, role: str, full_name: str, **scope: Any) -> tuple[str, str, str]:
    """Make (or find) a demo account; returns its name, role and where it works, for the printed list."""
    user = User.objects.filter(username=username).first() or demo_user_create(
        username=username, role=role, full_name=full_name, **scope)
    where = user.enterprise.name if user.enterprise else (user.jurisdiction.supervisor if user.jurisdiction else "全系统")
    return username, user.role_label, where


# The demo's fixed accounts (the meeting seats' accounts are xd_seat<member id>).
DEMO_USERNAMES = ("yn_filer", "yn_leader", "yn_secretary", "yn_reviewer", "yn_inspector", "xd_filer", "xd_reviewer",
                  "sysadmin", "secadmin", "auditadmin", "xd_secretary", "xd_member", "xd_inspector")


def live_demo_accounts() -> list[str]:
    """The demo accounts in this database that are active and still open with the published demo password.

    Only accounts named as the demo names them are tried (checking a password hash is slow on purpose); the
    first that opens with the demo password is enough to refuse a production start, so the rest are listed
    unchecked.
    """
    from django.db.models import Q

    candidates = list(User.objects.filter(Q(username__in=DEMO_USERNAMES) | Q(username__regex=r"^xd_seat[0-9]+$"),
                                          is_active=True).order_by("username"))
    for user in candidates:
        if user.check_password(DEMO_PASSWORD):
            return [u.username for u in candidates]
    return []
