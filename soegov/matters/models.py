"""A major matter, the engine's verdicts on it, its submissions, attachments, events and reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.core.files import FileHashField
from soegov.core.time import EPOCH
from soegov.matters import workflow


# Choice labels stay Chinese in Python (documents, notices, exports and the audit trail are Chinese); gettext_noop
# puts them in the catalogue and the pages translate them where they show them ({% translate m.get_status_display %}).
class Status(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    DECIDED = "decided", gettext_noop("已集体决策")
    SUBMITTED = "submitted", gettext_noop("已报送")
    UNDER_REVIEW = "under_review", gettext_noop("审核中")
    RETURNED = "returned", gettext_noop("退回补正")
    FORWARDED = "forwarded", gettext_noop("已转报市政府")
    APPROVED = "approved", gettext_noop("已批准")
    REJECTED = "rejected", gettext_noop("不予批准/不予备案")
    FILED = "filed", gettext_noop("已备案")
    IMPLEMENTED = "implemented", gettext_noop("已实施")


class Route(models.TextChoices):
    """What the matter must go through with the supervisor, from the engine's strongest obligation."""

    APPROVAL = "approval", gettext_noop("审核批准")
    PRIOR_FILING = "prior_filing", gettext_noop("事前核准备案")
    POST_FILING = "post_filing", gettext_noop("事后备案")
    REPORT = "report", gettext_noop("报告")
    PROHIBITED = "prohibited", gettext_noop("严控事项（须附批准文件）")
    INTERNAL = "internal", gettext_noop("企业内部决策（无须报送）")


# The statuses of the supervisor's review queue.
QUEUE = ("submitted", "under_review", "forwarded")
# Yining art. 19: an approval or prior filing implemented before the supervisor's answer (or with none).
IMPLEMENTED_EARLY = (models.Q(implemented_at__isnull=False, route__in=["approval", "prior_filing"])
                     & (models.Q(answered_at__isnull=True) | models.Q(answered_at__gt=models.F("implemented_at"))))
OVERDUE_FROM = models.Case(
    models.When(models.Q(due_at__isnull=False, submitted_at__gt=models.F("due_at"))
                | models.Q(review_due_at__isnull=False, answered_at__gt=models.F("review_due_at")), then=models.Value(EPOCH)),
    models.When(status__in=sorted(workflow.BEFORE_SUBMISSION | {"returned"}), then=models.F("due_at")),
    models.When(status__in=sorted(workflow.UNDER_SUPERVISOR), then=models.F("review_due_at")),
    default=None, output_field=models.DateTimeField(null=True))


class Matter(models.Model):
    """One major matter of one enterprise; one request carries exactly one matter (yining art. 19)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="matters")
    policy = models.CharField("适用制度", max_length=50)
    matter_type = models.CharField("事项类型", max_length=50)
    title = models.CharField("事项名称", max_length=200)
    amount = models.DecimalField("金额（元）", max_digits=18, decimal_places=2, null=True, blank=True)
    attributes = models.JSONField("事实", default=dict, blank=True)
    occurred_on = models.DateField("决策或发生日期")
    description = models.TextField("事项说明", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Raised by every write; a form or API call carrying an older number is refused, never silently lost.
    version = models.PositiveIntegerField("版本", default=1)
    route = models.CharField("报送方式", max_length=16, choices=Route.choices, default=Route.INTERNAL)
    authority = models.CharField("批准/备案机关", max_length=40, blank=True)
    via = models.CharField("报送途径", max_length=40, blank=True)
    citation = models.JSONField("依据", default=dict, blank=True)
    required_attachments = models.JSONField("应附材料", default=list, blank=True)
    needs_collective_decision = models.BooleanField("须集体决策", default=False)
    doc_number = models.CharField("发文字号", max_length=60, blank=True)
    decision_body = models.CharField("决策机构", max_length=100, blank=True)
    decided_at = models.DateTimeField("集体决策时间", null=True, blank=True)
    decision_summary = models.TextField("决议内容", blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    due_at = models.DateTimeField("报送期限", null=True, blank=True)
    due_note = models.CharField("报送期限说明", max_length=200, blank=True)
    review_due_at = models.DateTimeField("答复期限", null=True, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answer_comment = models.TextField("答复意见", blank=True)
    answer_number = models.CharField("批复文号", max_length=60, blank=True)
    # A forwarded item's answer_number is the city government's; the supervisor's own 批复 passing it on
    # carries the supervisor's number (a document is numbered by the organ that issues it).
    reply_number = models.CharField("监管机构批复文号", max_length=60, blank=True)
    # When the supervisor's party committee passed the current submission (yining art. 21); cleared on resubmission.
    committee_passed_at = models.DateTimeField("党委会议研究通过时间", null=True, blank=True)
    forwarded_at = models.DateTimeField("转报市政府时间", null=True, blank=True)
    implemented_at = models.DateTimeField("实施时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # When the matter is overdue from: a deadline already missed (submitted or answered late) counts from the
    # epoch, a running clock from its due time (the enterprise's before submission and when returned, the
    # supervisor's while it reviews). Computed by the database from the row, so overdue = overdue_from < now
    # can never disagree with the deadlines, and one index serves every overdue count.
    overdue_from = models.GeneratedField(expression=OVERDUE_FROM, output_field=models.DateTimeField(null=True),
                                         db_persist=True, null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "重大事项"
        # One index per way the lists read: newest first, the queue by due time, filters by status and year.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="matter_newest_idx"),
            models.Index(fields=["status", "review_due_at"], name="matter_queue_idx"),
            models.Index(fields=["occurred_on"], name="matter_occurred_idx"),
            models.Index(fields=["enterprise", "-created_at"], name="matter_ent_newest_idx"),
            # The review queue in its order (soonest answer due first; PostgreSQL's ascending index keeps NULLs
            # last, as the queue does), and its count per enterprise (the inbox).
            models.Index(fields=["review_due_at", "submitted_at"], name="matter_queue_order_idx",
                         condition=models.Q(status__in=QUEUE)),
            models.Index(fields=["enterprise"], name="matter_queue_ent_idx", condition=models.Q(status__in=QUEUE)),
            # The dashboard's matter figures, counted per enterprise and month from the index alone.
            models.Index(fields=["overdue_from", "enterprise", "occurred_on", "status"], name="matter_overdue_idx",
                         condition=models.Q(overdue_from__isnull=False)),
            models.Index(fields=["enterprise", "occurred_on"], name="matter_prohibited_idx",
                         condition=models.Q(route="prohibited")),
            models.Index(fields=["enterprise", "occurred_on"], name="matter_implemented_early_idx",
                         condition=IMPLEMENTED_EARLY),
        ]
        constraints = [
            # Yining arts. 11 and 21: an approval is forwarded to the city or approved only after the supervisor's
            # party committee passed it (workflow.REQUIRES holds the same order for the services).
            models.CheckConstraint(
                condition=~models.Q(route="approval", status__in=["forwarded", "approved", "implemented"])
                | models.Q(committee_passed_at__isnull=False),
                name="approval_needs_committee",
                violation_error_message="审核批准事项须先登记国资监管机构党委会议研究通过，才能转报市政府或批准",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def authority_label(self) -> str:
        from soegov.policy.catalogue import AUTHORITIES

        return str(getattr(AUTHORITIES.get(self.authority), "label", self.authority))


class Verdict(models.Model):
    """One run of the rules engine on the matter's facts, kept with the pack version and the change from the last."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="verdicts")
    number = models.PositiveIntegerField()
    policy_id = models.CharField(max_length=50)
    policy_version = models.CharField(max_length=30)
    request = models.JSONField()
    result = models.JSONField()
    changes = models.JSONField(default=list)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["matter", "number"], name="one_verdict_number")]

    def __str__(self) -> str:
        return f"{self.matter_id} 第{self.number}次判定"


class Submission(models.Model):
    """One submission of the matter; a resubmission after a return is a new version, never an overwrite."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changes = models.JSONField(default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["matter", "number"], name="one_submission_number")]

    def __str__(self) -> str:
        return f"{self.matter_id} 第{self.number}次报送"


class Attachment(models.Model):
    """An uploaded file, content-addressed by SHA-256; a new upload of a kind is a new version."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("材料类别", max_length=40)
    version = models.PositiveIntegerField(default=1)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = FileHashField(db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # A wrong upload withdrawn before submission: the version and its file are kept, it no longer counts.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["matter", "kind", "version"], name="one_attachment_version")]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"

    @property
    def kind_label(self) -> str:
        from soegov.policy.catalogue import ATTACHMENTS

        return str(getattr(ATTACHMENTS.get(self.kind), "label", self.kind))


class Event(models.Model):
    """A step in the matter's history as people read it; the audit chain holds the same, tamper-evident."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    comment = models.TextField(blank=True)
    missing = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.action}"

    @property
    def action_label(self) -> str:
        from soegov.matters.workflow import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)

    @property
    def from_label(self) -> str:
        return Status(self.from_status).label if self.from_status in Status.values else self.from_status

    @property
    def to_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else self.to_status


class Reminder(models.Model):
    """A reminder sent for one clock of one matter at one due time; the unique key makes `soegov remind` idempotent."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="reminders")
    clock = models.CharField(max_length=20)
    stage = models.CharField(max_length=20)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["matter", "clock", "stage", "due_at"], name="one_reminder")]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.clock} {self.stage}"


class Notification(models.Model):
    """An in-app message to one user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    matter = models.ForeignKey(Matter, null=True, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class DocumentCounter(models.Model):
    """The last 文号 issued in one series (whose, which kind, which year): numbers follow issue order, not row ids."""

    scope = models.CharField(max_length=60)  # "jurisdiction:<id>" for the supervisor, "enterprise:<id>" for a filer
    series = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "series", "year"], name="one_document_counter")]

    def __str__(self) -> str:
        return f"{self.scope} {self.series} {self.year}: {self.last}"
