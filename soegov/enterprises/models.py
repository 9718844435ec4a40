"""Jurisdictions, the enterprise tree, decision bodies, members and the registry's change history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop


class Jurisdiction(models.Model):
    """A supervisor (国资委 or the body acting as one) and the policy packs it applies."""

    code = models.SlugField("代码", max_length=50, unique=True)
    name = models.CharField("名称", max_length=100)
    supervisor = models.CharField("监管机构", max_length=100)
    policy_packs = models.JSONField("适用制度", default=list)

    class Meta:
        ordering = ["code"]
        verbose_name = "监管辖区"

    def __str__(self) -> str:
        return self.supervisor

    @property
    def default_policy(self) -> str:
        return self.policy_packs[0] if self.policy_packs else ""


class Ownership(models.TextChoices):
    SOLE = "sole", gettext_noop("国有独资")
    WHOLLY_OWNED = "wholly_owned", gettext_noop("国有全资")
    CONTROLLED = "controlled", gettext_noop("国有控股")
    DE_FACTO_CONTROLLED = "de_facto_controlled", gettext_noop("国有实际控股")
    MINORITY = "minority", gettext_noop("国有参股")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", gettext_noop("存续")
    SUSPENDED = "suspended", gettext_noop("停业")
    LIQUIDATING = "liquidating", gettext_noop("清算中")
    DEREGISTERED = "deregistered", gettext_noop("已注销")


class Enterprise(models.Model):
    """A node of the registry tree; its level is its depth (1 = directly funded by the supervisor)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="enterprises")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级企业"
    )
    name = models.CharField("企业名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    ownership = models.CharField("持股类型", max_length=24, choices=Ownership.choices)
    status = models.CharField("状态", max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE)
    # Materialised path "/1/5/12/" so a subtree is one indexed prefix query on any database.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    level = models.PositiveSmallIntegerField("层级", editable=False, default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["path"]
        verbose_name = "企业"

    def __str__(self) -> str:
        return self.name


class EnterpriseChange(models.Model):
    """One recorded change to an enterprise's registry entry, shown as its history."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=32)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.action} {self.at:%Y-%m-%d}"


class BodyKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", gettext_noop("党委（党工委）会")
    PARTY_BRANCH = "party_branch", gettext_noop("党支部委员会")
    BOARD = "board", gettext_noop("董事会")
    GM_OFFICE = "gm_office", gettext_noop("总经理办公会")


class DecisionBody(models.Model):
    """A collective decision body of an enterprise."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="bodies")
    kind = models.CharField("类型", max_length=24, choices=BodyKind.choices)
    name = models.CharField("名称", max_length=200)

    class Meta:
        ordering = ["enterprise", "kind"]
        verbose_name = "决策机构"
        constraints = [models.UniqueConstraint(fields=["enterprise", "kind"], name="one_body_per_kind")]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    SECRETARY = "secretary", gettext_noop("书记")
    DEPUTY_SECRETARY = "deputy_secretary", gettext_noop("副书记")
    CHAIR = "chair", gettext_noop("董事长")
    GENERAL_MANAGER = "general_manager", gettext_noop("总经理")
    DEPUTY_GM = "deputy_gm", gettext_noop("副总经理")
    DIRECTOR = "director", gettext_noop("董事")
    MEMBER = "member", gettext_noop("委员/成员")
    ATTENDEE = "attendee", gettext_noop("列席人员")


class BodyMember(models.Model):
    """A person on a decision body for a term; non-voting attendees (列席) are members without a vote."""

    body = models.ForeignKey(DecisionBody, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=24, choices=MemberRole.choices, default=MemberRole.MEMBER)
    is_principal = models.BooleanField("主要负责人（末位表态）", default=False)
    voting = models.BooleanField("有表决权", default=True)
    term_start = models.DateField("任期开始", null=True, blank=True)
    term_end = models.DateField("任期结束", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )

    class Meta:
        ordering = ["body", "-is_principal", "-voting", "id"]
        verbose_name = "决策机构成员"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    def in_term(self, on: object = None) -> bool:
        """Whether the member's term covers the date (today by default)."""
        day = on or timezone.localdate()
        return (self.term_start is None or self.term_start <= day) and (self.term_end is None or day <= self.term_end)
