"""Execution tracking of passed decisions (督办, xundian arts. 11 (三), 20) and emergency decisions awaiting
ratification (追认, art. 13)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.core.files import FileHashField


class ActionStatus(models.TextChoices):
    OPEN = "open", gettext_noop("执行中")
    FROZEN = "frozen", gettext_noop("情况变化待重新决策")
    DONE = "done", gettext_noop("已完成")
    STOPPED = "stopped", gettext_noop("经重新决策中止")


class ActionItem(models.Model):
    """One task implementing a passed agenda item: who does it, by when (art. 11 (三) 1)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="action_items")
    agenda_item = models.ForeignKey("meetings.AgendaItem", on_delete=models.PROTECT, related_name="action_items")
    title = models.CharField("落实事项", max_length=200)
    department = models.CharField("落实部门", max_length=100, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="action_items")
    owner_name = models.CharField("责任人", max_length=50)
    due_date = models.DateField("完成时限")
    # Set when the due date was given as N working days from the meeting (soegov.calendar counts them).
    due_working_days = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completion_note = models.TextField("完成情况", blank=True)
    evidence_name = models.CharField("佐证材料", max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_sha256 = FileHashField(blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = "督办事项"

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Not done by the end of its due date (the due date itself is still on time)."""
        day = today or timezone.localdate()
        return self.status in (ActionStatus.OPEN, ActionStatus.FROZEN) and self.due_date < day


class ProgressReport(models.Model):
    """A progress report on an action item (落实情况及时向有关领导报告)."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("完成比例（%）", default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.percent}%"


class ChangeCause(models.TextChoices):
    FORCE_MAJEURE = "force_majeure", gettext_noop("不可抗力")
    BASIS = "basis", gettext_noop("决策依据发生重大变化")
    CONDITIONS = "conditions", gettext_noop("客观条件发生重大变化")


class ChangeReport(models.Model):
    """Art. 20: a change of circumstances reported; the action is frozen until the body decides again."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="changes")
    cause = models.CharField("原因类别", max_length=16, choices=ChangeCause.choices)
    description = models.TextField("变化情况")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    redecision = models.ForeignKey("meetings.AgendaItem", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="redecided_changes")
    outcome = models.CharField("重新决策结果", max_length=10, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.get_cause_display()}"


class DecisionForm(models.TextChoices):
    INDIVIDUAL = "individual", gettext_noop("个人临时决定")
    FEW = "few", gettext_noop("少数人临时决定")
    # Art. 13 refuses these as a basis: kept as choices so the refusal can name what was tried.
    CIRCULATION = "circulation", gettext_noop("传阅会签")
    HUDDLE = "huddle", gettext_noop("碰头会")
    INDIVIDUAL_CANVASS = "individual_canvass", gettext_noop("个别征求意见")


class RatificationStatus(models.TextChoices):
    AWAITING = "awaiting", gettext_noop("待追认")
    RATIFIED = "ratified", gettext_noop("已追认")
    REJECTED = "rejected", gettext_noop("追认未通过")


class EmergencyDecision(models.Model):
    """A matter decided in an emergency by one or a few people, to be ratified by the body afterwards (art. 13)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="emergency_decisions")
    body = models.ForeignKey("enterprises.DecisionBody", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("决定事项", max_length=200)
    content = models.TextField("决定内容")
    reason = models.TextField("紧急情况")
    form = models.CharField("决定方式", max_length=20, choices=DecisionForm.choices)
    decided_by = models.CharField("决定人", max_length=200)
    decided_at = models.DateTimeField("决定时间")
    ratify_due = models.DateField("追认期限")
    status = models.CharField("状态", max_length=10, choices=RatificationStatus.choices,
                              default=RatificationStatus.AWAITING)
    ratified_by = models.ForeignKey("meetings.AgendaItem", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="ratified_emergencies")
    ratified_at = models.DateTimeField("追认时间", null=True, blank=True)
    ratified_late = models.BooleanField("逾期追认", default=False)
    late_reason = models.CharField("逾期原因", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = "紧急决策"

    def __str__(self) -> str:
        return self.title


class FollowupReminder(models.Model):
    """One reminder sent (the unique key makes `soegov followup remind` safe to run twice)."""

    kind = models.CharField(max_length=12)
    object_id = models.PositiveBigIntegerField()
    stage = models.CharField(max_length=8)
    due = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "stage", "due"], name="one_followup_reminder")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.stage}"
