"""A job: one piece of long work handed to the task queue, with what a user sees of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop


class JobStatus(models.TextChoices):
    QUEUED = "queued", gettext_noop("排队中")
    RUNNING = "running", gettext_noop("进行中")
    SUCCEEDED = "succeeded", gettext_noop("已完成")
    FAILED = "failed", gettext_noop("失败")


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})


class Job(models.Model):
    """The record of a job; the database row, not the broker's message, is what says whether it is done."""

    kind = models.CharField("类型", max_length=80)
    label = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict)
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField("阶段", max_length=200, blank=True)
    done = models.BigIntegerField("已完成", default=0)
    total = models.BigIntegerField("总量", null=True, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="发起人")
    created_by_name = models.CharField("发起人名称", max_length=150, blank=True)
    role = models.CharField("发起人角色", max_length=40, blank=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="企业")
    # What the job works on ("oversight.ledgerimport:12"), so a page can find the job about its object.
    target = models.CharField("对象", max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    enqueued_at = models.DateTimeField("最近入队", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("执行次数", default=0)
    worker = models.CharField("执行进程", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
            models.Index(fields=["created_by", "-created_at"], name="job_user_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__gte=0), name="job_done_not_negative"),
            models.CheckConstraint(condition=models.Q(total__isnull=True) | models.Q(total__gte=0),
                                   name="job_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.label} #{self.pk}"

    @property
    def finished(self) -> bool:
        """Whether the job has ended (succeeded or failed)."""
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        """Progress in whole per cent, when the total is known."""
        if not self.total:
            return None
        return max(0, min(100, int(self.done * 100 / self.total)))
