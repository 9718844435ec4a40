"""Rules of procedure kept by an enterprise (0005) and what the supervisor received in packages (0004/0005/0006)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from soegov.core.files import FileHashField

# The 0005 dictionary's vote modes, written out so the catalogue holds each one's English (exchange.checks composes
# them, and its module stays free of Django; tests/exchange/test_vote_mode_words.py holds the two lists equal).
VOTE_MODE_WORDS = (
    gettext_noop("全票通过"), gettext_noop("其他"),
    gettext_noop("赞成票超过应到会成员人数的4/5"), gettext_noop("赞成票超过到会成员人数的4/5"),
    gettext_noop("赞成票超过应到会成员人数的3/4"), gettext_noop("赞成票超过到会成员人数的3/4"),
    gettext_noop("赞成票超过应到会成员人数的2/3"), gettext_noop("赞成票超过到会成员人数的2/3"),
    gettext_noop("赞成票超过应到会成员人数的1/2"), gettext_noop("赞成票超过到会成员人数的1/2"),
)


class Regulation(models.Model):
    """One of an enterprise's regulations, above all a body's rules of procedure (议事规则), as 0005 reports it."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="regulations")
    sid = models.CharField("制度ID", max_length=64, default="", blank=True)
    name = models.CharField("制度名称", max_length=200)
    type_name = models.CharField("制度类型", max_length=40, default="议事规则")
    approval_date = models.DateField("审批日期")
    effective_date = models.DateField("生效日期")
    audit_flag = models.BooleanField("经过合法合规审查", default=False)
    rate = models.CharField("人数占比", max_length=10, default="1/2")
    # [{"item_code": "默认" | "F01-001", "vote_mode": "赞成票超过应到会成员人数的1/2"}]
    vote_modes = models.JSONField("表决方式", default=list)
    remark = models.CharField("备注", max_length=200, blank=True)
    formal_name = models.CharField("正式文件名", max_length=200, blank=True)
    formal_sha256 = FileHashField(blank=True)
    formal_type = models.CharField(max_length=100, blank=True)
    active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = "有关制度"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.sid:
            self.sid = uuid.uuid4().hex
        super().save(*args, **kwargs)


# Chinese in Python (the packages and the audit trail); pages translate them where they show them.
OPER_LABELS = {"add": gettext_noop("新增"), "edit": gettext_noop("修改"), "del": gettext_noop("删除")}
KIND_LABELS = {"0004": gettext_noop("事项清单"), "0005": gettext_noop("制度"), "0006": gettext_noop("会议决策")}


class ReceivedPackage(models.Model):
    """One zip the supervisor imported: who sent it (by USCC), what it held, when and by whom it was read."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("业务类型", max_length=4)
    file_name = models.CharField("文件名", max_length=255)
    sha256 = FileHashField()
    size = models.PositiveIntegerField()
    oper_type = models.CharField("操作类型", max_length=4)
    xml = models.TextField()
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "接收的数据包"

    def __str__(self) -> str:
        return self.file_name

    @property
    def oper_label(self) -> str:
        """The operation in words (the package's add / edit / del)."""
        return OPER_LABELS.get(self.oper_type, self.oper_type)

    @property
    def kind_label(self) -> str:
        """The business type in words, with its code."""
        return f"{gettext(KIND_LABELS[self.kind])}（{self.kind}）" if self.kind in KIND_LABELS else self.kind


class ReceivedItem(models.Model):
    """A 事项 of an enterprise's decision list as received (0004); edits retire the old row and add a new one."""

    package = models.ForeignKey(ReceivedPackage, on_delete=models.PROTECT, related_name="items")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    sid = models.CharField(max_length=64)
    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    meetings = models.JSONField("决策会议及顺序", default=list)
    legal_flag = models.BooleanField("须经法律审核", default=False)
    remark = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code", "-id"]
        # One item is stored once: an edit (or an add sent again) retires the row it replaces first.
        constraints = [models.UniqueConstraint(fields=["enterprise", "sid"], condition=models.Q(active=True),
                                               name="one_active_received_item")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ReceivedRegulation(models.Model):
    """A regulation as received (0005)."""

    package = models.ForeignKey(ReceivedPackage, on_delete=models.PROTECT, related_name="regulations")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    sid = models.CharField(max_length=64)
    name = models.CharField("制度名称", max_length=200)
    type_name = models.CharField("制度类型", max_length=40)
    approval_date = models.CharField(max_length=20, blank=True)
    effective_date = models.CharField(max_length=20, blank=True)
    audit_flag = models.BooleanField(default=False)
    rate = models.CharField(max_length=10)
    vote_modes = models.JSONField(default=list)
    files = models.JSONField(default=list)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return self.name


class ReceivedMeeting(models.Model):
    """A decision meeting as received (0006), with its attendance."""

    package = models.ForeignKey(ReceivedPackage, on_delete=models.PROTECT, related_name="meetings")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    sid = models.CharField(max_length=64)
    name = models.CharField("会议名称", max_length=200)
    type_name = models.CharField("会议类型", max_length=40)
    meeting_time = models.CharField("会议时间", max_length=20)
    moderator = models.CharField("主持人", max_length=50, blank=True)
    attendees = models.JSONField("参会人", default=list)
    files = models.JSONField(default=list)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-meeting_time", "-id"]

    def __str__(self) -> str:
        return self.name


class ReceivedSubject(models.Model):
    """A subject of a received meeting with the per-person deliberation results."""

    meeting = models.ForeignKey(ReceivedMeeting, on_delete=models.PROTECT, related_name="subjects")
    sid = models.CharField(max_length=64)
    name = models.CharField("议题名称", max_length=200)
    item_codes = models.JSONField(default=list)
    pass_flag = models.CharField("是否通过", max_length=10)
    approval_flag = models.CharField("是否报国资委", max_length=10)
    adopt_flag = models.CharField("是否听取意见", max_length=10)
    source_name = models.CharField(max_length=40, blank=True)
    special_name = models.CharField(max_length=40, blank=True)
    result = models.TextField("议题决议", blank=True)
    attendances = models.JSONField("列席人员", default=list)
    deliberations = models.JSONField("审议结果", default=list)
    relations = models.JSONField("关联会议/议题", default=list)
    files = models.JSONField(default=list)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SubjectAnomaly(models.Model):
    """One §4.2 finding on a received subject (TIOL_SUBJECT_EXCEPTION)."""

    subject = models.ForeignKey(ReceivedSubject, on_delete=models.CASCADE, related_name="anomalies")
    type = models.PositiveSmallIntegerField("异常类型")
    cause = models.CharField("异常原因", max_length=300)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["type", "id"]

    def __str__(self) -> str:
        return f"{self.label}：{self.cause}"

    @property
    def label(self) -> str:
        from soegov.exchange.checks import ANOMALY_LABELS

        return ANOMALY_LABELS.get(self.type, str(self.type))


class ExportedItem(models.Model):
    """A 0004 item the enterprise has downloaded to send: the next export of it is an edit, not an add."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    sid = models.CharField(max_length=64)
    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    meetings = models.JSONField("决策会议", default=list)
    legal_flag = models.BooleanField(default=True)
    # False once exported as deleted (the item left the list): a later return is a fresh add.
    active = models.BooleanField(default=True)
    exported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "已导出的事项"
        constraints = [models.UniqueConstraint(fields=["enterprise", "sid"], name="one_exported_item_per_sid")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
