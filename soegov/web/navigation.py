"""The menu each role sees: entries, and the one count it carries (ballots waiting for the user)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from soegov.accounts.roles import BUSINESS_ROLES, SUPERVISOR_ROLES, Role
from soegov.meetings.selectors import holds_seat, pending_ballots


def menu_for(user: Any) -> list[tuple[str, str]]:
    """The (label, URL) entries of the logged-in user's menu, in order."""
    from soegov.inbox.selectors import todo_counts

    waiting_steps = sum(todo_counts(user=user).values())
    items = [(_("待办（%(n)s）") % {"n": waiting_steps} if waiting_steps else _("待办"), reverse("home"))]
    if user.role in BUSINESS_ROLES:
        items += [
            (_("企业名录"), reverse("enterprises:list")),
            (_("决策机构"), reverse("enterprises:bodies")),
            (_("事项顾问"), reverse("advisor:advisor")),
            (_("重大事项"), reverse("matters:list")),
            (_("企业领导人员"), reverse("leaders:index")),
            (_("制度法规"), reverse("advisor:regulations")),
        ]
    if user.role in BUSINESS_ROLES:
        items.append((_("决策会议"), reverse("meetings:list")))
        if holds_seat(user):
            waiting = pending_ballots(user).count()
            items.append((_("我的表决（%(n)s 项待投票）") % {"n": waiting} if waiting else _("我的表决"),
                          reverse("meetings:my_votes")))
    if user.role in SUPERVISOR_ROLES:
        items.append((_("审核队列"), reverse("matters:queue")))
        items.append((_("三重一大决策"), reverse("meetings:decisions")))
        items.append((_("监督看板"), reverse("oversight:dashboard")))
    if user.role == Role.SUPERVISOR_INSPECTOR:
        items.append((_("追责案件"), reverse("oversight:cases")))
    if user.role in BUSINESS_ROLES:
        items.append((_("检查与事件"), reverse("oversight:inspections")))
    if user.role in BUSINESS_ROLES:
        items.append((_("决策督办"), reverse("followup:home")))
        if user.role in SUPERVISOR_ROLES:
            items.append((_("三重一大数据"), reverse("exchange:received")))
        else:
            items.append((_("数据报送"), reverse("exchange:regulations")))
    if user.role in BUSINESS_ROLES:
        items.append((_("消息提醒"), reverse("matters:notifications")))
    if user.role == Role.AUDIT_ADMIN:
        items.append((_("审计日志"), reverse("audit:log")))
    if user.role == Role.SECURITY_ADMIN:
        items.append((_("账号安全"), reverse("accounts:security")))
        items.append((_("签名证书管理"), reverse("signatures:manage")))
        items.append((_("企业报送密钥"), reverse("collector:keys")))
    if user.role in BUSINESS_ROLES:
        items.append((_("我的签名证书"), reverse("signatures:mine")))
    items.append((_("签名验证"), reverse("signatures:verify")))
    if user.role == Role.SYSTEM_ADMIN:
        items.append((_("用户管理"), reverse("accounts:users")))
        items.append((_("统一身份认证"), reverse("identity:admin")))
        items.append((_("消息发送"), reverse("notices:delivery")))
        items.append((_("人事同步"), reverse("hrsync:index")))
        items.append((_("节假日日历"), reverse("matters:calendar")))
    # Tokens and the API's documentation are for those who connect other systems: the header links to them.
    return items
