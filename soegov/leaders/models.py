"""Enterprise leaders: posts and terms, appointment workflows, open recruitment, performance contracts and pay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.core.files import FileHashField
from soegov.core.personal_data import EncryptedDecimalField


class Post(models.TextChoices):
    """Posts of a leadership team (yining art. 7: party members, directors but worker directors, managers,
    discipline secretary, supervisory board chair and members but worker supervisors)."""

    PARTY_SECRETARY = "party_secretary", gettext_noop("党委（党组织）书记")
    DEPUTY_PARTY_SECRETARY = "deputy_party_secretary", gettext_noop("党委副书记")
    PARTY_MEMBER = "party_member", gettext_noop("党委委员")
    CHAIR = "chair", gettext_noop("董事长")
    DIRECTOR = "director", gettext_noop("董事（不含职工董事）")
    GENERAL_MANAGER = "general_manager", gettext_noop("总经理")
    DEPUTY_GM = "deputy_gm", gettext_noop("副总经理")
    CHIEF_ACCOUNTANT = "chief_accountant", gettext_noop("总会计师（财务负责人）")
    DISCIPLINE_SECRETARY = "discipline_secretary", gettext_noop("纪委书记")
    SUPERVISORY_CHAIR = "supervisory_chair", gettext_noop("监事会主席")
    SUPERVISOR = "supervisor", gettext_noop("监事（不含职工监事）")


# xundian art. 22: the party secretary, chair and general manager are each enterprise's principal responsible persons.
PRINCIPAL_POSTS = frozenset({Post.PARTY_SECRETARY, Post.CHAIR, Post.GENERAL_MANAGER})


class GroupListing(models.Model):
    """The leaders-side flag of a level-2 group listed in yining art. 7 item 1 sub-item 2 (decided by the city)."""

    enterprise = models.OneToOneField("enterprises.Enterprise", on_delete=models.CASCADE, related_name="leader_listing")
    listed = models.BooleanField("列入市委研究决定的二级企业集团", default=False)
    basis = models.CharField("依据文件", max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "二级企业集团名单"

    def __str__(self) -> str:
        return f"{self.enterprise_id} {'列入' if self.listed else '未列入'}"


class Leader(models.Model):
    """One person in one post of one enterprise's leadership team, for a term."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="leaders")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=32, choices=Post.choices)
    term_start = models.DateField("任期开始", null=True, blank=True)
    term_end = models.DateField("任期结束", null=True, blank=True)
    active = models.BooleanField("在任", default=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="leader_records", verbose_name="对应系统账户")
    body_member = models.ForeignKey("enterprises.BodyMember", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enterprise__path", "-active", "post", "id"]
        verbose_name = "企业领导人员"
        permissions = [("view_personal_data", "查看企业领导人员薪酬与考核个人信息")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_post_display()}）"

    @property
    def is_principal(self) -> bool:
        return self.post in PRINCIPAL_POSTS


class Document(models.Model):
    """An uploaded document (proposal, examination opinion, decision, contract...), content-addressed like matters'."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="leader_documents")
    title = models.CharField("文件名称", max_length=200)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = FileHashField(db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title


class AppointmentKind(models.TextChoices):
    APPOINT = "appoint", gettext_noop("任职")
    REMOVE = "remove", gettext_noop("免职")


class AppointmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", gettext_noop("办理中")
    COMPLETED = "completed", gettext_noop("已完成")
    CANCELLED = "cancelled", gettext_noop("已终止")


class Appointment(models.Model):
    """An appointment or removal going through the art. 7 route of the enterprise's level, step by step."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="appointments")
    kind = models.CharField("类型", max_length=10, choices=AppointmentKind.choices, default=AppointmentKind.APPOINT)
    person_name = models.CharField("人选姓名", max_length=50)
    post = models.CharField("职务", max_length=32, choices=Post.choices)
    term_start = models.DateField("任期开始", null=True, blank=True)
    term_end = models.DateField("任期结束", null=True, blank=True)
    leader = models.ForeignKey(Leader, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    recruitment = models.ForeignKey("leaders.Recruitment", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="appointments")
    # The route as the engine gave it when the workflow started: later pack changes do not rewrite a case in progress.
    route = models.JSONField("任免程序", default=dict)
    route_id = models.CharField(max_length=40)
    status = models.CharField("状态", max_length=16, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.IN_PROGRESS)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "任免事项"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_name} {self.get_post_display()}"

    @property
    def steps(self) -> list[dict]:
        return list(self.route.get("steps") or [])


class AppointmentStep(models.Model):
    """One completed step of an appointment, with the document (and meeting item) it rests on."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="done_steps")
    number = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=30)
    label = models.CharField(max_length=200)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    # The meetings.AgendaItem a meeting_item step rests on, kept as an id: the item is checked when the step is taken.
    agenda_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    decided_on = models.DateField("日期")
    comment = models.TextField("说明", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["appointment", "number"], name="one_appointment_step")]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.label}"


class RecruitmentStatus(models.TextChoices):
    OPEN = "open", gettext_noop("选聘中")
    HIRED = "hired", gettext_noop("已聘任")
    FAILED = "failed", gettext_noop("未选出")


class Recruitment(models.Model):
    """An open recruitment of a senior manager (yining art. 8): the post, the decision approving it, the result."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="recruitments")
    post = models.CharField("岗位", max_length=32, choices=Post.choices)
    decision = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+", verbose_name="批准选聘的决定")
    decided_on = models.DateField("决定日期")
    announcement = models.TextField("选聘公告要点", blank=True)
    status = models.CharField("状态", max_length=10, choices=RecruitmentStatus.choices, default=RecruitmentStatus.OPEN)
    result = models.TextField("选聘结果", blank=True)
    hired_name = models.CharField("聘任人选", max_length=50, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.get_post_display()} 公开选聘"


class ContractKind(models.TextChoices):
    ANNUAL = "annual", gettext_noop("年度经营业绩责任书")
    TENURE = "tenure", gettext_noop("任期经营业绩责任书")


class ContractStatus(models.TextChoices):
    SIGNED = "signed", gettext_noop("已签订")
    SCORED = "scored", gettext_noop("已考核")


class PerformanceContract(models.Model):
    """An annual or tenure performance contract (yining art. 9) with targets, results, score, grade, consequences."""

    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField("类型", max_length=10, choices=ContractKind.choices)
    year = models.PositiveSmallIntegerField("考核年度（任期为起始年度）")
    end_year = models.PositiveSmallIntegerField("任期结束年度", null=True, blank=True)
    # [{"name", "unit", "weight", "target", "direction": "higher"|"lower", "result", "achievement", "points"}]
    targets = models.JSONField("考核指标", default=list)
    signed_on = models.DateField("签订日期")
    signed_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=ContractStatus.choices, default=ContractStatus.SIGNED)
    score = EncryptedDecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=4, blank=True)
    grade_label = models.CharField("等级说明", max_length=20, blank=True)
    compliance = models.JSONField("合规情况", default=dict, blank=True)
    reward = models.TextField("奖惩决定", blank=True)
    appointment_consequence = models.TextField("任免意见", blank=True)
    scored_on = models.DateField("考核日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "kind", "year"], name="one_contract_per_period"),
            models.CheckConstraint(condition=models.Q(end_year__isnull=True) | models.Q(end_year__gte=models.F("year")),
                                   name="contract_period_ends_after_it_starts"),
            # Scored means a score, a grade and the day of the assessment, and that day is not before the signature.
            models.CheckConstraint(condition=~models.Q(status="scored") | models.Q(
                score__isnull=False, scored_on__isnull=False, scored_on__gte=models.F("signed_on")),
                name="contract_scored_has_score_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.year} {self.get_kind_display()}"


class PayRecord(models.Model):
    """A leader's pay for one year as the supervisor's decision set it (yining art. 10), less sanctions."""

    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="pay_records")
    year = models.PositiveSmallIntegerField("年度")
    # Pay and scores are personal data: sealed with SM4 at rest (soegov.core.personal_data).
    base_pay = EncryptedDecimalField("基本年薪（元）", max_digits=12, decimal_places=2)
    performance_pay = EncryptedDecimalField("绩效年薪（元）", max_digits=12, decimal_places=2)
    tenure_incentive = EncryptedDecimalField("任期激励收入（元）", max_digits=12, decimal_places=2, default=0)
    decision_number = models.CharField("薪酬决定文号", max_length=60)
    decision = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+", verbose_name="薪酬决定")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "leader__name"]
        constraints = [models.UniqueConstraint(fields=["leader", "year"], name="one_pay_record_per_year")]

    def __str__(self) -> str:
        return f"{self.leader} {self.year} 年薪"


class PayDeduction(models.Model):
    """A sanction's deduction from one year's pay; one sanction is applied once only (xundian art. 32)."""

    pay_record = models.ForeignKey(PayRecord, on_delete=models.PROTECT, related_name="deductions")
    # The oversight Sanction it applies; kept as an id so the leaders app does not need oversight's tables to exist.
    sanction_id = models.PositiveBigIntegerField(unique=True)
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    case_label = models.CharField("问责案件", max_length=200)
    tier = models.CharField("处理方式", max_length=200)
    rate = models.DecimalField("扣减比例", max_digits=5, decimal_places=4)
    # Sealed like the pay it is taken from: with the rate beside it, a deduction would give the pay away.
    performance_deduction = EncryptedDecimalField("扣减绩效年薪（元）", max_digits=12, decimal_places=2)
    tenure_deduction = EncryptedDecimalField("扣减任期激励（元）", max_digits=12, decimal_places=2)
    citation = models.JSONField(default=dict)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["applied_at", "id"]
        # The database checks the rate; the sealed amounts, which it cannot compare, are checked by save().
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lte=1), name="pay_deduction_rate_a_share"),
        ]

    def __str__(self) -> str:
        return f"薪酬记录 {self.pay_record_id} 的扣减（处理 {self.sanction_id}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse (IntegrityError, as the database's own check did) a negative deduction."""
        if any(Decimal(v or 0) < 0 for v in (self.performance_deduction, self.tenure_deduction)):
            raise IntegrityError(f"pay_deduction_a_share: 扣减金额不能为负（处理 {self.sanction_id}）")
        super().save(*args, **kwargs)
