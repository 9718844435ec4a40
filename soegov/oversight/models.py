"""Oversight records: stored ledger imports and findings, accountability cases, parties and sanctions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.core.files import FileHashField
from soegov.core.personal_data import EncryptedDecimalField
from soegov.core.time import EPOCH
from soegov.ledger.columns import PURPOSES


class LedgerImport(models.Model):
    """An enterprise's payment ledger uploaded in the web UI (CSV/.xlsx), stored by SHA-256."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="ledger_imports")
    policy = models.CharField("适用制度", max_length=50)
    original_name = models.CharField("原文件名", max_length=255)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = FileHashField(db_index=True)
    rows = models.PositiveIntegerField("行数", default=0)
    invalid_rows = models.PositiveIntegerField("无法检查的行", default=0)
    window_days = models.PositiveIntegerField("拆分支付时间窗（天）", default=30)
    checked_at = models.DateTimeField("检查时间", null=True, blank=True)
    decisions_used = models.PositiveIntegerField("比对的决策记录", default=0)
    # The purpose words of refused rows no rule knows, with how many rows use each: the page offers to map them.
    unknown_purposes = models.JSONField("无法识别的用途", default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "台账导入"

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.original_name}"


class RefusedRow(models.Model):
    """A ledger row the last check could not read, with every reason: an import accounts for every row."""

    ledger = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, related_name="refused_rows")
    row = models.PositiveIntegerField("台账行号")
    # [{field, problem, value, message}], the same as `soegov ledger check --json` lists under refused.
    reasons = models.JSONField("原因")

    class Meta:
        ordering = ["row"]
        constraints = [models.UniqueConstraint(fields=["ledger", "row"], name="one_refusal_per_ledger_row")]

    def __str__(self) -> str:
        return f"{self.ledger_id} 第{self.row}行"


class PurposeMapping(models.Model):
    """An enterprise's own word for a payment purpose (e.g. 办公楼装修 → other), set once by an inspector, used by
    every later check of that enterprise's ledgers."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="purpose_mappings")
    word = models.CharField("台账中的用途", max_length=50)
    purpose = models.CharField("对应用途", max_length=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "word"], name="one_purpose_per_enterprise_word"),
            models.CheckConstraint(condition=models.Q(purpose__in=PURPOSES), name="purpose_mapping_to_a_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.word} → {self.purpose}"


class FindingStatus(models.TextChoices):
    OPEN = "open", gettext_noop("待处理")
    DISMISSED = "dismissed", gettext_noop("已排除")
    CASE = "case", gettext_noop("已立案")


class Finding(models.Model):
    """One ledger finding (rule citation + ledger rows) kept so it can be dismissed or turned into a case."""

    ledger = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, related_name="findings")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="ledger_findings")
    code = models.CharField("类别", max_length=40)
    rows = models.JSONField("台账行号", default=list)
    citation = models.CharField("依据", max_length=200, blank=True)
    message = models.TextField("说明")
    amount = models.DecimalField("金额（元）", max_digits=18, decimal_places=2, null=True, blank=True)
    found_on = models.DateField("发生日期", null=True, blank=True)
    data = models.JSONField("检查结果", default=dict)
    status = models.CharField("状态", max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    dismissed_reason = models.TextField("排除理由", blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    dismissed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["found_on", "id"]
        verbose_name = "台账检查发现"
        # The list reads in this order (issue 16: a page of 50 without sorting every finding).
        indexes = [models.Index(fields=["found_on", "id"], name="finding_list_idx"),
                   # The dashboard's two finding figures, counted per enterprise and month from the index alone.
                   models.Index(fields=["enterprise", "found_on"], name="finding_open_idx",
                                condition=models.Q(status="open")),
                   models.Index(fields=["enterprise", "found_on"], name="finding_prohibited_idx",
                                condition=models.Q(code="prohibited_counterparty") & ~models.Q(status="dismissed"))]

    def __str__(self) -> str:
        return f"{self.get_code_display_zh()} · {self.message[:40]}"

    CODE_LABELS = {"split_payment": "疑似化整为零", "unrecorded_payment": "支付无决策或备案记录",
                   "prohibited_counterparty": "向无股权关系企业担保/借款"}

    def get_code_display_zh(self) -> str:
        """The finding's kind in Chinese."""
        return self.CODE_LABELS.get(self.code, self.code)


class CaseStatus(models.TextChoices):
    OPEN = "open", gettext_noop("已立案")
    INVESTIGATING = "investigating", gettext_noop("调查核实")
    REFERRED = "referred", gettext_noop("已移送")
    DECIDED = "decided", gettext_noop("已作出处理决定")
    APPEALED = "appealed", gettext_noop("申诉中")
    CLOSED = "closed", gettext_noop("已结案")


class Case(models.Model):
    """An accountability case: facts, the violated provision, responsibility, parties, sanctions, steps."""

    COLLECTIVE = "collective"
    INDIVIDUAL = "individual"
    RESPONSIBILITY_CHOICES = [(COLLECTIVE, "集体责任"), (INDIVIDUAL, "个人责任")]

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="cases")
    policy = models.CharField("适用制度", max_length=50)
    title = models.CharField("案件名称", max_length=200)
    facts = models.TextField("违规事实")
    violation = models.CharField("违反条款", max_length=40)
    citation = models.JSONField("依据", default=dict)
    responsibility = models.CharField("责任性质", max_length=12, choices=RESPONSIBILITY_CHOICES, default=INDIVIDUAL)
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    matter = models.ForeignKey("matters.Matter", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    # The meeting agenda item the case is about (meetings app); an id, not an FK, so this app's
    # schema does not depend on the meetings app's migrations.
    agenda_item_id = models.PositiveIntegerField("议题编号", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    version = models.PositiveIntegerField("版本", default=1)
    doc_number = models.CharField("案卷文号", max_length=60, blank=True)
    referral = models.CharField("移送", max_length=20, blank=True)
    referral_note = models.TextField("移送说明", blank=True)
    decision = models.TextField("处理决定", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    appeal = models.TextField("申诉理由", blank=True)
    appeal_result = models.TextField("申诉复查结果", blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "责任追究案件"
        indexes = [models.Index(fields=["-created_at", "-id"], name="case_list_idx")]
        # One finding, at most one open case (issue 13.5); a closed case no longer blocks a new one.
        constraints = [
            models.UniqueConstraint(fields=["finding"], condition=~models.Q(status="closed"),
                                    name="one_open_case_per_finding"),
            # A case past its decision carries the decision's time, a closed one its closing time (docs/invariants.md).
            models.CheckConstraint(condition=~models.Q(status__in=["decided", "appealed", "closed"])
                                   | models.Q(decided_at__isnull=False), name="case_decided_has_time"),
            models.CheckConstraint(condition=models.Q(status="closed", closed_at__isnull=False)
                                   | (~models.Q(status="closed") & models.Q(closed_at__isnull=True)),
                                   name="case_closed_iff_closed_at"),
        ]

    def __str__(self) -> str:
        return self.title


class Responsibility(models.TextChoices):
    DIRECT = "direct", gettext_noop("直接责任")
    SUPERVISORY = "supervisory", gettext_noop("主管责任")
    LEADERSHIP = "leadership", gettext_noop("领导责任")


class CaseParty(models.Model):
    """A person in a case: responsible (with the kind of responsibility) or exempt by recorded dissent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=100, blank=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="case_parties")
    member = models.ForeignKey("enterprises.BodyMember", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="case_parties")
    responsibility = models.CharField("责任类型", max_length=12, choices=Responsibility.choices,
                                      default=Responsibility.DIRECT)
    exempt = models.BooleanField("免除责任", default=False)
    # Xundian art. 30: what proves the dissent — the vote and the opinion recorded in the minutes.
    exemption_proof = models.JSONField("免责依据", default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["exempt", "id"]
        verbose_name = "案件当事人"

    def __str__(self) -> str:
        return self.name


class Sanction(models.Model):
    """A sanction on one party, with the pay of the year it applies to and the computed deductions."""

    case_party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="sanctions")
    tier = models.CharField("处理档次", max_length=40)
    tier_label = models.CharField("处理方式", max_length=200)
    citation = models.JSONField("依据", default=dict)
    year = models.PositiveIntegerField("扣减年度")
    # The leader's pay record of `year` the deductions are computed from (issue 13.4: one figure, one source);
    # the pay figures below are read from it, never typed, and the record cannot change while a sanction relies on it.
    pay_record = models.ForeignKey("leaders.PayRecord", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="sanctions", verbose_name="薪酬记录")
    rate = models.DecimalField("扣减比例", max_digits=6, decimal_places=4, default=0)
    # A copy of the leader's pay and what is taken from it: personal data, sealed with SM4 like the pay record.
    performance_pay = EncryptedDecimalField("当年绩效年薪（元）", max_digits=18, decimal_places=2, default=0)
    tenure_incentive = EncryptedDecimalField("任期激励收入（元）", max_digits=18, decimal_places=2, default=0)
    performance_pay_deduction = EncryptedDecimalField("扣减绩效年薪（元）", max_digits=18, decimal_places=2, default=0)
    tenure_incentive_deduction = EncryptedDecimalField("扣减任期激励（元）", max_digits=18, decimal_places=2, default=0)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = "处理与扣减"
        # A deduction is a share of the pay it is taken from: never negative, never more than that pay. The
        # database checks the rate; the amounts are sealed, which it cannot compare, so save() checks them.
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lte=1), name="sanction_rate_a_share"),
        ]

    def __str__(self) -> str:
        return f"{self.case_party} · {self.tier_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse (IntegrityError, as the database's own check did) a deduction outside the pay it is taken from."""
        pairs = ((self.performance_pay_deduction, self.performance_pay), (self.tenure_incentive_deduction,
                                                                          self.tenure_incentive))
        if any(not Decimal(0) <= Decimal(taken or 0) <= Decimal(pay or 0) for taken, pay in pairs):
            raise IntegrityError(f"sanction_deduction_within_pay: 扣减须在 0 与所扣的薪酬之间（处理 {self.pk or '新'}）")
        super().save(*args, **kwargs)

    @property
    def total_deduction(self) -> Decimal:
        """Both deductions together."""
        return Decimal(self.performance_pay_deduction) + Decimal(self.tenure_incentive_deduction)


class CaseEvent(models.Model):
    """One step of a case (the case's own history; the audit trail holds the hashed copy)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"

    @property
    def action_label(self) -> str:
        """The step in Chinese."""
        from soegov.oversight.workflow import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", gettext_noop("待企业填报")
    COMPLETED = "completed", gettext_noop("企业已填报，待监管审核")
    RETURNED = "returned", gettext_noop("退回补充")
    REVIEWED = "reviewed", gettext_noop("监管已审核")


class Inspection(models.Model):
    """One enterprise's inspection checklist for one year (points from the pack's inspection.yaml)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="inspections")
    policy = models.CharField("适用制度", max_length=50)
    year = models.PositiveIntegerField("年度")
    due_on = models.DateField("报送期限", null=True, blank=True)
    # [{"code", "zh", "citation", "evidence": [...], "answer": "yes|no|na|", "note": ""}]
    points = models.JSONField("检查要点", default=list)
    status = models.CharField("状态", max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT)
    version = models.PositiveIntegerField("版本", default=1)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "enterprise_id"]
        verbose_name = "监督检查"
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="one_inspection_per_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年"


class EventReport(models.Model):
    """An event reported at any time (yining arts. 17, 26): incident, litigation, staff suspected of crimes."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="event_reports")
    policy = models.CharField("适用制度", max_length=50)
    category = models.CharField("事件类别", max_length=40)
    title = models.CharField("事件名称", max_length=200)
    description = models.TextField("事件经过", blank=True)
    occurred_at = models.DateTimeField("发生时间")
    due_at = models.DateTimeField("报告期限")
    immediate = models.BooleanField("须立即报告", default=False)
    citation = models.JSONField("依据", default=dict)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    reminded_at = models.DateTimeField("催报时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Overdue from: a report made late (not one to report at once) from the epoch, one not yet made from its due
    # time. Computed by the database, so overdue = overdue_from <= now never disagrees with the row.
    overdue_from = models.GeneratedField(
        expression=models.Case(
            models.When(models.Q(reported_at__gt=models.F("due_at"), immediate=False), then=models.Value(EPOCH)),
            models.When(reported_at__isnull=True, then=models.F("due_at")),
            default=None, output_field=models.DateTimeField(null=True)),
        output_field=models.DateTimeField(null=True), db_persist=True, null=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "随时报告事件"
        indexes = [models.Index(fields=["-occurred_at", "-id"], name="event_list_idx"),
                   # The dashboard's figure, counted per enterprise and month from the index alone.
                   models.Index(fields=["overdue_from", "enterprise", "occurred_at"], name="event_overdue_idx",
                                condition=models.Q(overdue_from__isnull=False))]

    def __str__(self) -> str:
        return self.title
