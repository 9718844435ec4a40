"""Decision lists, topics, meetings, agenda items, attendance, votes and minutes of collective decisions (xundian-2020)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.core.files import FileHashField


class Category(models.TextChoices):
    """The four kinds of "三重一大" matter (xundian-2020 art. 4–7); the engine's category codes."""

    MAJOR_DECISION = "major_decision", gettext_noop("重大决策事项")
    PERSONNEL = "personnel", gettext_noop("重要人事任免事项")
    MAJOR_PROJECT = "major_project", gettext_noop("重大项目安排事项")
    LARGE_FUND = "large_fund", gettext_noop("大额度资金运作事项")


class VotingMethod(models.TextChoices):
    ORAL = "oral", gettext_noop("口头表决")
    SHOW_OF_HANDS = "show_of_hands", gettext_noop("举手表决")
    BALLOT = "ballot", gettext_noop("无记名投票/投票表决")


class Choice(models.TextChoices):
    FOR = "for", gettext_noop("赞成")
    AGAINST = "against", gettext_noop("反对")
    ABSTAIN = "abstain", gettext_noop("弃权")


class ResultSource(models.TextChoices):
    ENGINE = "engine", gettext_noop("规则引擎按会议记录计算")
    DECLARED = "declared", gettext_noop("会议宣布、秘书登记")


# Shown wherever a declared result is shown: the system did not verify it against any meeting rule.
DECLARED_LABEL = "结果由会议宣布登记，本辖区制度未规定会议规则，系统未核验"


class ListStatus(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    FILED = "filed", gettext_noop("已报国资监管机构备案")


class DecisionList(models.Model):
    """An enterprise's own decision list (事项清单, art. 23): the pack's entries, made stricter where it chose."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="decision_lists")
    policy = models.CharField("适用制度", max_length=50)
    pack_version = models.CharField("制度版本", max_length=30, blank=True)
    entries = models.JSONField("清单条目", default=list)
    status = models.CharField("状态", max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT)
    version = models.PositiveIntegerField("版本", default=1)
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "三重一大事项清单"

    def __str__(self) -> str:
        return f"{self.enterprise}事项清单"


class TopicStatus(models.TextChoices):
    DRAFT = "draft", gettext_noop("准备中")
    PREPARED = "prepared", gettext_noop("已准备，可列入议程")
    SCHEDULED = "scheduled", gettext_noop("已列入会议议程")
    POSTPONED = "postponed", gettext_noop("暂缓上会")
    DECIDED = "decided", gettext_noop("已决策")


class Topic(models.Model):
    """A topic (议题) to be put to a decision body once its art. 11 preparation is done and materials are in."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="topics")
    title = models.CharField("议题名称", max_length=200)
    category = models.CharField("事项类别", max_length=20, choices=Category.choices)
    matter = models.ForeignKey("matters.Matter", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="topics")
    description = models.TextField("议题说明", blank=True)
    amount = models.DecimalField("金额（元）", max_digits=18, decimal_places=2, null=True, blank=True)
    # The ordered body kinds that must take it, from the enterprise's decision list (e.g. party committee first).
    route = models.JSONField("决策路径", default=list, blank=True)
    # step code → {"done": bool, "at": iso, "by": username, "note": str}; the steps are in preparation.py.
    preparation = models.JSONField("会前准备", default=dict, blank=True)
    staff_interests = models.BooleanField("涉及职工切身利益", default=False)
    disputed = models.BooleanField("存在较大争议", default=False)
    emergency = models.BooleanField("特殊紧急情况", default=False)
    status = models.CharField("状态", max_length=12, choices=TopicStatus.choices, default=TopicStatus.DRAFT)
    # The party committee's pre-study item whose conclusion this (later board/GM office) topic relies on.
    prestudy = models.ForeignKey("AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "议题"

    def __str__(self) -> str:
        return self.title

    @property
    def route_labels(self) -> list[str]:
        """The route's decision bodies in Chinese (party committee → board …)."""
        from soegov.enterprises.models import BodyKind

        return [BodyKind(b).label if b in BodyKind.values else str(b) for b in self.route or []]

    @property
    def next_body(self) -> str | None:
        """The body kind the topic goes to next (past the party committee once its pre-study is linked)."""
        from soegov.meetings.preparation import next_body

        return next_body(self)

    @property
    def status_label(self) -> str:
        """The status as users read it: a topic the party committee has studied waits for the next body."""
        from soegov.enterprises.models import BodyKind

        nxt = self.next_body
        if self.status == TopicStatus.PREPARED and self.prestudy_id and nxt and nxt != "party_committee":
            return f"党委会已前置研究，待{BodyKind(nxt).label if nxt in BodyKind.values else nxt}决策"
        return str(self.get_status_display())


class TopicMaterial(models.Model):
    """A material of a topic, stored content-addressed like matter attachments."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="materials")
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = FileHashField(db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", gettext_noop("已安排")
    NOTIFIED = "notified", gettext_noop("已通知")
    IN_SESSION = "in_session", gettext_noop("会议进行中")
    CLOSED = "closed", gettext_noop("已结束")
    ARCHIVED = "archived", gettext_noop("记录已归档")


class MeetingForm(models.TextChoices):
    MEETING = "meeting", gettext_noop("召开会议")
    CIRCULATION = "circulation", gettext_noop("传阅会签")
    HUDDLE = "huddle", gettext_noop("碰头会")
    INDIVIDUAL_CANVASS = "individual_canvass", gettext_noop("个别征求意见")


class Meeting(models.Model):
    """One meeting of one decision body."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="meetings")
    body = models.ForeignKey("enterprises.DecisionBody", on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField("会议名称", max_length=200)
    held_at = models.DateTimeField("会议时间")
    place = models.CharField("会议地点", max_length=200, blank=True)
    host = models.ForeignKey("enterprises.BodyMember", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name="主持人")
    recorder = models.CharField("记录人", max_length=50, blank=True)
    nonvoting_attendees = models.TextField("列席人员", blank=True)
    form = models.CharField("决策形式", max_length=20, choices=MeetingForm.choices, default=MeetingForm.MEETING)
    status = models.CharField("状态", max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    notice_sent_at = models.DateTimeField("通知时间", null=True, blank=True)
    # The engine's whole answer for the meeting, as last computed from the records.
    result = models.JSONField("计票结果", null=True, blank=True)
    results_at = models.DateTimeField("计票时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = "决策会议"

    def __str__(self) -> str:
        return self.title


class Notice(models.Model):
    """The notice of a meeting as sent to one member (art. 11(2)(2)): who, when, how."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    member = models.ForeignKey("enterprises.BodyMember", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField("通知方式", max_length=40, default=gettext_noop("系统通知"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_notice_per_member")]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.member_id}"


class AgendaItem(models.Model):
    """One topic on one meeting's agenda, with how it is voted and the engine's result."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveIntegerField("顺序")
    voting_method = models.CharField("表决方式", max_length=16, choices=VotingMethod.choices,
                                     default=VotingMethod.SHOW_OF_HANDS)
    # False for an item raised at the meeting (临时动议, art. 14): recorded, and flagged by the engine.
    on_agenda = models.BooleanField("会前确定的议题", default=True)
    materials_sent_at = models.DateTimeField("材料送达时间", null=True, blank=True)
    # BodyMember ids in the order they stated their views; the principal should come last.
    statements = models.JSONField("表态顺序", default=list, blank=True)
    conclusion = models.TextField("决定事项", blank=True)
    passed = models.BooleanField("是否通过", null=True, blank=True)
    violations = models.JSONField("违规情形", default=list, blank=True)
    result = models.JSONField("计票结果", null=True, blank=True)
    # Where `passed` came from: the engine, or (no meeting rules for this body) the result the meeting announced.
    result_source = models.CharField("结果来源", max_length=10, choices=ResultSource.choices, blank=True, default="")

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = "议程事项"

    def __str__(self) -> str:
        return f"{self.order}. {self.topic.title}"

    @property
    def declared(self) -> bool:
        """The result was announced by the meeting and registered, not computed by the engine."""
        return self.result_source == ResultSource.DECLARED

    @property
    def declared_label(self) -> str:
        """The plain label shown with a declared result ("" for an engine result)."""
        return DECLARED_LABEL if self.declared else ""


class Recusal(models.Model):
    """A member who withdrew from one item (art. 16)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey("enterprises.BodyMember", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("回避原因", max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="one_recusal_per_member")]

    def __str__(self) -> str:
        return f"{self.item_id} 回避 {self.member_id}"


class Attendance(models.Model):
    """Whether one member attended; an absent member's reason and written opinion (counts as no vote)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("enterprises.BodyMember", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField("出席")
    absence_reason = models.CharField("缺席原因", max_length=200, blank=True)
    # Before written opinions were tied to items; new records keep it empty and use `opinions`.
    written_opinion = models.TextField("书面意见", blank=True)
    # An absent member's written opinion on each item it concerns: str(AgendaItem id) → his words.
    opinions = models.JSONField("书面意见（按议题）", default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "member"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.member_id} {'出席' if self.present else '缺席'}"

    def opinion_for(self, item: Any) -> str:
        """His written opinion on that item ("" if none)."""
        return str((self.opinions or {}).get(str(getattr(item, "pk", item)), ""))

    @property
    def opinions_text(self) -> str:
        """Every written opinion with the item it concerns, for a page or an API answer."""
        orders = dict(AgendaItem.objects.filter(pk__in=[int(k) for k in self.opinions or {}]).values_list("pk", "order"))
        parts = [f"议题{orders.get(int(k), '?')}：{v}" for k, v in sorted((self.opinions or {}).items(),
                                                                      key=lambda kv: orders.get(int(kv[0]), 0))]
        return "；".join(parts) or self.written_opinion


class Vote(models.Model):
    """One member's vote on one item, with his view in his own words (dissent is kept as said)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey("enterprises.BodyMember", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField("表决意见", max_length=8, choices=Choice.choices)
    opinion = models.TextField("发表意见（原话）", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "member"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.member_id} {self.choice}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", gettext_noop("待签字")
    ARCHIVED = "archived", gettext_noop("已归档（锁定）")


class Minutes(models.Model):
    """The meeting record (会议记录, art. 17) and summary (会议纪要, art. 18); locked once archived."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    nonvoting_opinions = models.TextField("其他列席会议人员的意见", blank=True)
    disagreements = models.TextField("主要分歧意见", blank=True)
    summary = models.TextField("会议纪要正文", blank=True)
    doc_number = models.CharField("纪要编号", max_length=60, blank=True)
    status = models.CharField("状态", max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "会议记录"

    def __str__(self) -> str:
        return f"{self.meeting}记录"


class Signature(models.Model):
    """A member present at the meeting signing its record: who, when."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey("enterprises.BodyMember", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["minutes", "member"], name="one_signature_per_member")]

    def __str__(self) -> str:
        return f"{self.minutes_id} {self.member_id}"


class MaterialCopy(models.Model):
    """One numbered paper copy of a meeting's materials or minutes: issued, recovered, destroyed (art. 19)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="copies")
    number = models.PositiveIntegerField("份号")
    what = models.CharField("材料", max_length=100, default="会议材料")
    holder = models.CharField("领取人", max_length=50)
    issued_at = models.DateTimeField("发放时间", default=timezone.now)
    recovered_at = models.DateTimeField("回收时间", null=True, blank=True)
    destroyed_at = models.DateTimeField("销毁时间", null=True, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="one_copy_number")]

    def __str__(self) -> str:
        return f"{self.meeting_id} 第{self.number}份"
