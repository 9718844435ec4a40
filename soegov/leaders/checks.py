"""What writes on leaders share: the supervisor's gate and the checks of a post, a term and a record's version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from soegov.accounts.roles import Role
from soegov.core.errors import InputError
from soegov.core.gates import Gate
from soegov.core.locking import lock_current
from soegov.enterprises.permissions import within_jurisdiction
from soegov.leaders.models import Post

MONEY_MAX = Decimal("1e10")
# Only the supervisor's reviewers of the enterprise's jurisdiction act on its leaders.
SUPERVISOR_GATE = Gate({Role.SUPERVISOR_REVIEWER}, "只有本辖区的国资监管审核人可以办理企业领导人员事项", within_jurisdiction,
                       "只有本辖区的国资监管审核人可以办理企业领导人员事项")


def post_value(value: Any) -> str:
    """A leader's post as chosen on a form; InputError when it is not one."""
    if value not in Post.values:
        raise InputError("invalid_post", "请选择职务", "post", "choose a post")
    return str(value)


def locked(model: Any, obj: Any, version: int | None) -> Any:
    """The record locked for update, refused when it changed since the form showed `version`."""
    return lock_current(model.objects.all(), obj.pk, version, "记录", "record")


def term_check(start: dt.date | None, end: dt.date | None) -> None:
    """Refuse a term that ends before it starts."""
    if start and end and end < start:
        raise InputError("invalid_term", "任期结束日期不能早于开始日期", "term_end", "term_end is before term_start")
