"""People as the HR system knows them, which soegov records each of their posts and memberships became, and
every sync run with its report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop


class HrPerson(models.Model):
    """A person of the group's HR system, by the HR system's own number (工号)."""

    employee_no = models.CharField("工号", max_length=64, unique=True)
    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey("enterprises.Enterprise", verbose_name="所在企业", on_delete=models.PROTECT,
                             related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="系统账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="hr_people")
    active = models.BooleanField("在职", default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["employee_no"]
        verbose_name = "人事系统人员"

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"


class HrAssignment(models.Model):
    """One post or membership the HR system reported, and the leader or member record it is kept as."""

    person = models.ForeignKey(HrPerson, on_delete=models.CASCADE, related_name="assignments")
    key = models.CharField(max_length=200, unique=True)
    leader = models.ForeignKey("leaders.Leader", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey("enterprises.BodyMember", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class RunStatus(models.TextChoices):
    PREVIEWED = "previewed", gettext_noop("已预览（未应用）")
    APPLIED = "applied", gettext_noop("已应用")
    FAILED = "failed", gettext_noop("失败（未作修改）")
    SUPERSEDED = "superseded", gettext_noop("预览已过期")


class SyncRun(models.Model):
    """One reading of the HR system: previewed (a dry run), applied, or failed with nothing changed."""

    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    trigger = models.CharField("发起方式", max_length=16, default="page")  # page, cli, schedule
    source = models.CharField("数据来源", max_length=255)
    digest = models.CharField("数据摘要 (SHA-256)", max_length=64, blank=True)
    as_of = models.DateField("截至日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=RunStatus.choices)
    # The checked data of a preview, applied later exactly as previewed.
    dataset = models.JSONField(null=True, blank=True)
    report = models.JSONField("变更报告", default=dict)
    error = models.TextField("错误", blank=True)
    applied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "人事同步记录"

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()} {self.source}"
