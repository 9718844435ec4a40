"""SSO identities linked to accounts by the system administrator, and the logins still waiting for a link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop


class Provider(models.TextChoices):
    OIDC = "oidc", "OpenID Connect"
    CAS = "cas", "CAS"


class SsoIdentity(models.Model):
    """The provider's person (issuer + claim value) that logs in as one soegov account."""

    provider = models.CharField("认证方式", max_length=8, choices=Provider.choices)
    # The OIDC issuer, or the CAS server's address: the same `sub` from two providers is two people.
    issuer = models.CharField("认证服务", max_length=255)
    claim = models.CharField("标识字段", max_length=64)
    value = models.CharField("标识值", max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="系统账号", on_delete=models.PROTECT,
                             related_name="sso_identities")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField("关联时间", default=timezone.now)

    class Meta:
        ordering = ["provider", "value"]
        verbose_name = "统一身份认证关联"
        constraints = [
            models.UniqueConstraint(fields=["provider", "issuer", "claim", "value"], name="identity_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.claim}={self.value}"


class PendingStatus(models.TextChoices):
    PENDING = "pending", gettext_noop("待处理")
    LINKED = "linked", gettext_noop("已关联")
    DISMISSED = "dismissed", gettext_noop("已驳回")


class PendingLink(models.Model):
    """An SSO login of a person no account is linked to: nothing is created, the system administrator decides."""

    provider = models.CharField("认证方式", max_length=8, choices=Provider.choices)
    issuer = models.CharField("认证服务", max_length=255)
    claim = models.CharField("标识字段", max_length=64)
    value = models.CharField("标识值", max_length=255)
    display_name = models.CharField("姓名/登录名", max_length=150, blank=True)
    # What the provider said about the person (name, login name, e-mail, employee number), to recognise them.
    details = models.JSONField("提供的信息", default=dict)
    attempts = models.PositiveIntegerField("登录尝试次数", default=1)
    first_seen = models.DateTimeField("首次尝试", default=timezone.now)
    last_seen = models.DateTimeField("最近尝试", default=timezone.now)
    last_ip = models.CharField("来源地址", max_length=64, blank=True)
    status = models.CharField("状态", max_length=10, choices=PendingStatus.choices, default=PendingStatus.PENDING)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    identity = models.ForeignKey(SsoIdentity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = "待关联的统一身份认证登录"
        constraints = [
            models.UniqueConstraint(fields=["provider", "issuer", "claim", "value"],
                                    condition=models.Q(status="pending"), name="one_pending_per_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name or self.value}（{self.get_provider_display()}）"
