"""The demo's accounts: one password for all, each account made once through the account service."""

from __future__ import annotations

from typing import Any

from soegov.accounts.models import User
from soegov.accounts.services import user_create

DEMO_PASSWORD = "Soegov@Demo2026"


def demo_account(username: str, role: str, full_name: str, **scope: Any) -> tuple[str, str, str]:
    """Make (or find) a demo account; returns its name, role and where it works, for the printed list."""
    user = User.objects.filter(username=username).first() or user_create(
        actor=None, username=username, password=DEMO_PASSWORD, role=role, full_name=full_name, **scope)
    where = user.enterprise.name if user.enterprise else (user.jurisdiction.supervisor if user.jurisdiction else "全系统")
    return username, user.role_label, where
