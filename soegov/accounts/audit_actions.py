"""Audit actions of the accounts app that go through the administrators' dual control and API tokens."""

from __future__ import annotations

from soegov.core.audit_actions import AuditAction


class AccountAction(AuditAction):
    """What the accounts app records about administrator approvals, first passwords and tokens."""

    ADMIN_REQUEST = "user.admin_request", "申请新建或启用管理员账号（待安全管理员确认）"
    ADMIN_APPROVE = "user.admin_approve", "安全管理员确认管理员账号"
    ADMIN_REFUSE = "user.admin_refuse", "安全管理员拒绝管理员账号"
    FIRST_PASSWORD = "user.first_password", "本人通过一次性链接设置初始密码"
    TOKEN_REJECTED = "token.rejected", "无效或不可用的接口令牌被拒绝"
    TOKEN_RATE_LIMITED = "token.rate_limited", "接口令牌尝试过多被限流"
    ADMIN_NETWORK_REFUSED = "admin.network_refused", "管理员从允许网段之外访问被拒绝"
    LANGUAGE = "user.language", "本人选择界面语言"
