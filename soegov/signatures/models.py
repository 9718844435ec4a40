"""Signing certificates (persons, organisations, the installation's root), frozen documents and signatures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop


class Holder(models.TextChoices):
    PERSON = "person", gettext_noop("个人")
    ORGANISATION = "organisation", gettext_noop("机构（监管机构签章）")
    ROOT = "root", gettext_noop("根证书")


class CertStatus(models.TextChoices):
    PENDING = "pending", gettext_noop("已签发，待本人设置签名密码启用")
    ACTIVE = "active", gettext_noop("有效")
    SUPERSEDED = "superseded", gettext_noop("已更新（旧证书，仅用于核验此前的签名）")
    REVOKED = "revoked", gettext_noop("已吊销")


class SigningCertificate(models.Model):
    """One SM2 key pair and its X.509 certificate; the private key only ever sealed (keystore)."""

    holder = models.CharField("持有者类型", max_length=12, choices=Holder.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="signing_certificates", verbose_name="持有人")
    jurisdiction = models.ForeignKey("enterprises.Jurisdiction", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="signing_certificates", verbose_name="监管机构")
    subject = models.CharField("证书主体", max_length=100)
    organisation = models.CharField("所属单位", max_length=100, blank=True)
    serial = models.CharField("序列号", max_length=40, unique=True)
    der = models.BinaryField("证书", null=True, blank=True)
    public_key = models.CharField("公钥", max_length=130, blank=True)
    status = models.CharField("状态", max_length=12, choices=CertStatus.choices, default=CertStatus.PENDING)
    valid_days = models.PositiveIntegerField("有效期（天）", default=730)
    not_before = models.DateTimeField("生效时间", null=True, blank=True)
    not_after = models.DateTimeField("失效时间", null=True, blank=True)
    # The private key sealed by soegov.signatures.keystore (SM4-GCM); null until the key exists.
    sealed_key = models.JSONField("加密私钥", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="签发人")
    requested_at = models.DateTimeField("签发时间", default=timezone.now)
    activated_at = models.DateTimeField("启用时间", null=True, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="更新自")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revocation_reason = models.CharField("吊销原因", max_length=200, blank=True)
    failed_attempts = models.PositiveIntegerField("签名密码连续错误次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "签名证书"
        indexes = [models.Index(fields=["holder", "status"])]
        constraints = [
            # One usable key per person and per organisation at a time (and one renewal waiting for its PIN).
            models.UniqueConstraint(fields=["user", "status"], condition=models.Q(status__in=["pending", "active"]),
                                    name="one_live_certificate_per_user"),
            models.UniqueConstraint(fields=["jurisdiction", "status"],
                                    condition=models.Q(status__in=["pending", "active"]),
                                    name="one_live_certificate_per_jurisdiction"),
        ]

    def __str__(self) -> str:
        return f"{self.subject}（{self.serial}）"


class SignedDocument(models.Model):
    """A document frozen for signing: its renditions' bytes never change once stored."""

    kind = models.CharField("文书类型", max_length=40)
    ref = models.CharField("所属记录", max_length=100, db_index=True)
    title = models.CharField("标题", max_length=255)
    revision = models.PositiveIntegerField("稿次", default=1)
    # The version of the record it was rendered from: the same version is never frozen twice.
    source_version = models.PositiveIntegerField("所据记录版本", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "签署文书"
        constraints = [models.UniqueConstraint(fields=["ref", "revision"], name="one_document_per_revision")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.revision}稿）"


class Rendition(models.Model):
    """One format (docx, pdf, ofd) of a frozen document, with its SM3 digest."""

    document = models.ForeignKey(SignedDocument, on_delete=models.CASCADE, related_name="renditions")
    fmt = models.CharField("格式", max_length=8)
    content = models.BinaryField("内容")
    sm3 = models.CharField("SM3", max_length=64)
    size = models.PositiveIntegerField("字节数")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "fmt"], name="one_rendition_per_format")]

    def __str__(self) -> str:
        return f"{self.document_id}.{self.fmt}"


# What a signature is for, as the verification sheet names it.
PURPOSES = {
    "minutes.sign": "会议记录出席人员签字",
    "ballot.sign": "本人投票签名",
    "reply.seal": "批复发文机关签章",
    "receipt.seal": "备案回执发文机关签章",
    "document.sign": "文书签名",
}


class SignatureRecord(models.Model):
    """One SM2 signature over a canonical statement: what (document digests or a ballot), who, when, which key."""

    certificate = models.ForeignKey(SigningCertificate, on_delete=models.PROTECT, related_name="signatures")
    document = models.ForeignKey(SignedDocument, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="signatures")
    ref = models.CharField("所属记录", max_length=100, db_index=True)
    purpose = models.CharField("用途", max_length=40)
    # The exact bytes signed (canonical JSON, UTF-8); never re-serialised.
    statement = models.TextField("签名内容")
    signature = models.BinaryField("签名值")
    signed_at = models.DateTimeField("签名时间")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name="操作人")

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = "电子签名"

    def __str__(self) -> str:
        return f"{self.purpose} {self.ref}"

    @property
    def purpose_label(self) -> str:
        """The purpose in Chinese."""
        return PURPOSES.get(self.purpose, self.purpose)
