"""Who reads notices where (a person's channels), and one record per notice sent on one channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop


class Channel(models.TextChoices):
    WECOM = "wecom", gettext_noop("企业微信")
    DINGTALK = "dingtalk", gettext_noop("钉钉工作通知")
    DINGTALK_ROBOT = "dingtalk_robot", gettext_noop("钉钉群机器人")
    SMS = "sms", gettext_noop("短信")


class Event(models.TextChoices):
    REVIEW = "review", gettext_noop("待审核事项")
    MEETING = "meeting", gettext_noop("会议通知")
    VOTE = "vote", gettext_noop("待表决")
    DEADLINE = "deadline", gettext_noop("即将到期")
    OVERDUE = "overdue", gettext_noop("已逾期")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", gettext_noop("待发送")
    SENT = "sent", gettext_noop("已发送")
    FAILED = "failed", gettext_noop("发送失败")


class NoticeChannels(models.Model):
    """A person's choice of where else to read notices (the in-app message is always written)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_channels")
    wecom = models.BooleanField("企业微信", default=False)
    wecom_userid = models.CharField("企业微信账号（UserID）", max_length=64, blank=True)
    dingtalk = models.BooleanField("钉钉", default=False)
    dingtalk_userid = models.CharField("钉钉用户 ID（userid）", max_length=64, blank=True)
    sms = models.BooleanField("短信", default=False)
    mobile = models.CharField("手机号码", max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # A channel turned on always has the address it needs.
            models.CheckConstraint(condition=models.Q(wecom=False) | ~models.Q(wecom_userid=""), name="wecom_needs_userid"),
            models.CheckConstraint(condition=models.Q(dingtalk=False) | ~models.Q(dingtalk_userid=""),
                                   name="dingtalk_needs_userid"),
            models.CheckConstraint(condition=models.Q(sms=False) | ~models.Q(mobile=""), name="sms_needs_mobile"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} channels"


class Notice(models.Model):
    """One message on one channel to one person (or the group robot): what, to where, and how sending went."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="notices", verbose_name="接收人")
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    event = models.CharField("事件", max_length=20, choices=Event.choices)
    # The userid / mobile / robot the message went to, as it was when the notice was made.
    address = models.CharField("接收账号", max_length=200, blank=True)
    title = models.CharField("标题", max_length=120)
    text = models.TextField("内容")
    url = models.CharField("链接", max_length=500, blank=True)
    status = models.CharField("状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    tried_at = models.DateTimeField("最近尝试", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notice_user_recent"),
                   models.Index(fields=["status", "-created_at"], name="notice_status_recent")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status="sent", sent_at__isnull=False)
                                   | ~models.Q(status="sent"), name="notice_sent_has_time"),
            models.CheckConstraint(condition=models.Q(user__isnull=False) | models.Q(channel="dingtalk_robot"),
                                   name="notice_person_or_robot"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.title[:30]}"
