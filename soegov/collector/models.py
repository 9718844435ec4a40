"""The collector's records: on the supervisor's side the keys it issued, the nonces seen and a receipt per
package; on the enterprise's side the outbox of packages to report, each with its state and receipt."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.core.files import FileHashField


class CollectorKey(models.Model):
    """A key the supervisor issued to one enterprise: only its SM2 public key is kept (the private key is
    handed over once and never stored)."""

    key_id = models.CharField("密钥编号", max_length=64, unique=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    public_key = models.CharField("SM2 公钥（十六进制）", max_length=130)
    label = models.CharField("说明", max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "企业报送密钥"

    def __str__(self) -> str:
        return self.key_id


class CollectorNonce(models.Model):
    """A nonce a signed request used: the same nonce under the same key is a replay and is refused."""

    key = models.ForeignKey(CollectorKey, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "nonce"], name="collector_nonce_once")]

    def __str__(self) -> str:
        return self.nonce


class ReceiptStatus(models.TextChoices):
    ACCEPTED = "accepted", gettext_noop("已接收")
    PARTIAL = "partial", gettext_noop("部分接收")
    REJECTED = "rejected", gettext_noop("已退回")


class CollectorReceipt(models.Model):
    """What the collector answered for one package id: the same id sent again gets this answer again."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    key = models.ForeignKey(CollectorKey, on_delete=models.PROTECT, related_name="receipts")
    package_id = models.CharField("数据包编号", max_length=64)
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField("结果", max_length=10, choices=ReceiptStatus.choices)
    receipt = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "package_id"], name="collector_receipt_once")]

    def __str__(self) -> str:
        return f"{self.package_id} {self.file_name}"


class OutboxState(models.TextChoices):
    PENDING = "pending", gettext_noop("待发送")
    SENDING = "sending", gettext_noop("发送中")
    ACCEPTED = "accepted", gettext_noop("已接收")
    PARTIAL = "partial", gettext_noop("部分接收")
    REJECTED = "rejected", gettext_noop("已退回")
    RETRYING = "retrying", gettext_noop("重试中")


# States a package leaves only by being sent again by hand (a rejection) or never (a receipt).
FINAL_STATES = (OutboxState.ACCEPTED, OutboxState.PARTIAL, OutboxState.REJECTED)


class OutboxPackage(models.Model):
    """One package the enterprise reports to the supervisor's collector, kept until its receipt comes back."""

    package_id = models.UUIDField("数据包编号", default=uuid.uuid4, unique=True, editable=False)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField("文件名", max_length=255)
    sha256 = FileHashField()
    size = models.PositiveIntegerField()
    source = models.CharField("内容", max_length=200)
    # Which record the package carries ("regulation:<sid>", "meeting:<pk>", "items"): a record the collector
    # already holds goes again as an edit, and one still waiting for its receipt is not queued twice.
    record = models.CharField(max_length=100, blank=True, default="", db_index=True)
    # What the record said when it was queued (collector.fingerprints; "" for a meeting, queued once): the
    # automatic reporting queues a regulation or the decision list again only when this changes.
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    state = models.CharField("状态", max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING,
                             db_index=True)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    last_error = models.CharField("最近一次失败原因", max_length=500, blank=True)
    receipt = models.JSONField("回执", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    sending_since = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "待报送数据包"
        constraints = [
            # 已接收 / 部分接收 / 已退回 say what the collector answered: never without its receipt kept.
            models.CheckConstraint(condition=~models.Q(state__in=[str(s) for s in FINAL_STATES])
                                   | models.Q(receipt__isnull=False, finished_at__isnull=False),
                                   name="outbox_final_state_has_receipt"),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def receipt_message(self) -> str:
        """The receipt's sentence (the batch's outcome, or the collector's refusal)."""
        return str((self.receipt or {}).get("message") or "")

    @property
    def anomaly_count(self) -> int:
        """How many anomalies the supervisor's checks found in the package."""
        return int((self.receipt or {}).get("anomaly_count") or 0)

    @property
    def receipt_notes(self) -> list[dict[str, Any]]:
        """The receipt's lines worth reading: packages refused (with why) and those with anomalies."""
        lines = (self.receipt or {}).get("items") or []
        return [i for i in lines if isinstance(i, dict) and (not i.get("ok") or i.get("anomalies"))]
