"""Factories and helpers of the leaders tests."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission

from soegov.accounts.roles import Role
from soegov.leaders import records
from soegov.leaders.models import Document, Leader
from tests.factories import PDF, EnterpriseFactory, JurisdictionFactory, UserFactory


def tree() -> dict[str, Any]:
    """A jurisdiction with a level-1 group, a level-2 subsidiary and a level-3 one below it."""
    j = JurisdictionFactory(policy_packs=["yining-2024"])
    l1 = EnterpriseFactory(jurisdiction=j, name="伊宁市测试集团")
    l2 = EnterpriseFactory(parent=l1, name="伊宁市测试二级公司")
    l3 = EnterpriseFactory(parent=l2, name="伊宁市测试三级公司")
    return {"j": j, "l1": l1, "l2": l2, "l3": l3}


def reviewer(j: Any, entitled: bool = True, **kw: Any) -> Any:
    """A supervisor reviewer of the jurisdiction, with or without the personal-data permission."""
    user = UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=j, **kw)
    if entitled:
        user.user_permissions.add(Permission.objects.get(codename="view_personal_data", content_type__app_label="leaders"))
    return type(user).objects.get(pk=user.pk)  # fresh: the permission cache is per instance


def doc(enterprise: Any, title: str = "测试文件", actor: Any = None) -> Document:
    """An uploaded PDF document of the enterprise."""
    return records.document_upload(actor=actor, enterprise=enterprise, title=title, name="a.pdf", data=PDF,
                                   doc_number="伊国资〔2025〕1号")


def leader(enterprise: Any, name: str = "张三", post: str = "general_manager", **kw: Any) -> Leader:
    """A serving leader recorded directly."""
    return records.leader_create(actor=None, enterprise=enterprise, name=name, post=post, **kw)


TARGETS = [
    {"name": "利润总额", "unit": "万元", "weight": "50", "target": "1000", "direction": "higher"},
    {"name": "营业收入", "unit": "万元", "weight": "30", "target": "5000", "direction": "higher"},
    {"name": "资产负债率", "unit": "%", "weight": "20", "target": "60", "direction": "lower"},
]


def personnel_item(enterprise: Any, *, passed: bool | None = True, voting_method: str = "ballot",
                   category: str = "personnel", violations: list | None = None) -> Any:
    """An agenda item of a party committee meeting of the enterprise, with its result stored as given."""
    from soegov.meetings.models import AgendaItem
    from tests.meetings.factories import AgendaItemFactory, MeetingFactory, make_body

    meeting = MeetingFactory(body=make_body(enterprise, kind="party_committee"))
    item = AgendaItemFactory(meeting=meeting, category=category, title="任命总经理")
    AgendaItem.objects.filter(pk=item.pk).update(passed=passed, voting_method=voting_method, violations=violations or [])
    return AgendaItem.objects.get(pk=item.pk)


def sanction(enterprise: Any, name: str, year: int, tier: str = "accountability", rate: str = "0.10",
             policy: str = "xundian-2020", exempt: bool = False) -> Any:
    """An oversight case against one person with one sanction (made from oversight's models)."""
    from soegov.oversight.models import Case, CaseParty, Sanction

    case = Case.objects.create(enterprise=enterprise, policy=policy, title=f"{name}未按规定程序决策问责案",
                               facts="未经集体决策", violation="xd31_2" if policy == "xundian-2020" else "yn29_2")
    party = CaseParty.objects.create(case=case, name=name, enterprise=enterprise, exempt=exempt)
    return Sanction.objects.create(case_party=party, tier=tier, tier_label=tier, year=year, rate=rate)
