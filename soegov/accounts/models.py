"""Accounts: one role each, attached to an enterprise (enterprise roles) or a jurisdiction (supervisor roles)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.accounts.roles import ADMIN_ROLES, ENTERPRISE_ROLES, ROLE_CHOICES, ROLE_LABELS, SUPERVISOR_ROLES


class User(AbstractUser):
    """A person who logs in; `role` decides what they do, `enterprise`/`jurisdiction` where."""

    full_name = models.CharField("姓名", max_length=100, blank=True)
    role = models.CharField("角色", max_length=32, choices=ROLE_CHOICES)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name="所属企业", null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    jurisdiction = models.ForeignKey(
        "enterprises.Jurisdiction", verbose_name="所属监管机构", null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    # The interface language the person chose (issue 18), followed on every device after login; empty: not
    # chosen yet, the browser's language cookie decides (zh-Hans without one).
    language = models.CharField("界面语言", max_length=8, blank=True, default="", choices=settings.LANGUAGES)

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    @property
    def is_enterprise_user(self) -> bool:
        return self.role in ENTERPRISE_ROLES

    @property
    def is_supervisor(self) -> bool:
        return self.role in SUPERVISOR_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def home_jurisdiction_id(self) -> int | None:
        """The jurisdiction the account works in: its own, or its enterprise's."""
        if self.jurisdiction_id:
            return int(self.jurisdiction_id)
        return int(self.enterprise.jurisdiction_id) if self.enterprise_id else None


# The API's parts a token may be limited to: label, and the first segments of /api/v1/ paths they hold.
# Background jobs (/api/v1/jobs) belong to every part: a client polls the job its own request started.
API_AREAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "registry": (gettext_noop("企业名录与决策机构"), ("enterprises", "bodies", "members", "jurisdictions")),
    "matters": (gettext_noop("重大事项"), ("matters", "attachments", "notifications", "calendar")),
    "meetings": (gettext_noop("决策会议"), ("meetings", "topics", "decision-lists", "decisions")),
    "followup": (gettext_noop("决策督办"), ("followup",)),
    "exchange": (gettext_noop("三重一大数据"), ("exchange",)),
    "oversight": (gettext_noop("监督检查与追责"), ("oversight",)),
    "leaders": (gettext_noop("企业领导人员"), ("leaders",)),
}


def api_area(path: str) -> str | None:
    """The API part a request path belongs to (None: every token may call it)."""
    parts = path.split("/")
    segment = parts[3] if len(parts) > 3 and parts[1] == "api" and parts[2] == "v1" else ""
    for area, (_, segments) in API_AREAS.items():
        if segment in segments:
            return area
    return None


def default_token_expiry() -> Any:
    """When a token made now expires unless its holder chose otherwise."""
    from datetime import timedelta

    return timezone.now() + timedelta(days=90)


class ApiToken(models.Model):
    """A bearer token for the REST API, under its holder's rules; only its SHA-256 is stored."""

    READ = "read"
    WRITE = "write"
    SCOPES = [(READ, gettext_noop("只读")), (WRITE, gettext_noop("读写"))]

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    scope = models.CharField("权限", max_length=8, choices=SCOPES, default=READ)
    # Empty: every part of the API; else the keys of API_AREAS this token may call.
    apis = models.JSONField("可调用的接口", default=list, blank=True)
    # The holder's jurisdiction when the token was made: a token stops when its holder moves elsewhere.
    jurisdiction = models.ForeignKey("enterprises.Jurisdiction", verbose_name="所属辖区", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField("有效期至", default=default_token_expiry)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return bool(self.expires_at <= timezone.now())

    @property
    def api_names(self) -> list[str]:
        """The names of the API parts the token is limited to (none: it may call them all)."""
        return [API_AREAS[a][0] for a in self.apis if a in API_AREAS]

    @property
    def apis_label(self) -> str:
        return "、".join(API_AREAS[a][0] for a in self.apis if a in API_AREAS) or "全部"

    @staticmethod
    def hash_key(key: str) -> str:
        """The stored form of a token."""
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


class AdminApproval(models.Model):
    """A request to create or re-enable an administrator account, which a second administrator decides.

    The system administrator files it; only a security administrator (never the requester) approves it, so no
    single person can make an administrator account he could log into (三员分立, dual control).
    """

    CREATE = "create"
    ENABLE = "enable"
    KINDS = [(CREATE, "新建管理员账号"), (ENABLE, "重新启用管理员账号")]

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="admin_approvals")
    kind = models.CharField("申请事项", max_length=16, choices=KINDS)
    requested_by = models.ForeignKey(User, verbose_name="申请人", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(User, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    approved = models.BooleanField("是否同意", null=True, blank=True)

    class Meta:
        verbose_name = "管理员账号双人确认"
        constraints = [
            # At most one open request per account: a second one would let two approvals race.
            models.UniqueConstraint(fields=["user"], condition=models.Q(decided_at__isnull=True),
                                    name="one_open_admin_approval"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.user.username}"

    @property
    def pending(self) -> bool:
        return self.decided_at is None


class PasswordHistory(models.Model):
    """The hash of a password an account had, so that its last few are not chosen again (等保: 口令更换)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        indexes = [models.Index(fields=["user", "-id"])]

    def __str__(self) -> str:
        return f"{self.user_id} 的历史密码（{self.created_at:%Y-%m-%d}）"
