"""The demo jurisdictions, enterprise trees, decision bodies and one account per role (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from soegov.accounts.models import User
from soegov.accounts.roles import Role
from soegov.demo.accounts import demo_account
from soegov.demo.followup import load_demo_followup
from soegov.demo.leaders import load_demo_leaders
from soegov.demo.matters import load_demo_matters
from soegov.demo.meetings import load_demo_meetings
from soegov.demo.oversight import load_demo_oversight
from soegov.demo.signatures import demo_organisations
from soegov.enterprises import services
from soegov.enterprises.models import DecisionBody, Enterprise, Jurisdiction
from soegov.enterprises.uscc import make_uscc

# (name, ownership, children); the organisation-code bodies are made up, their check digits are real.
YINING_TREE: list[tuple[str, str, list[Any]]] = [
    ("伊宁市城市建设投资集团有限公司", "sole", [
        ("伊宁市城投建设工程有限公司", "wholly_owned", [
            ("伊宁市城投建材质量检测有限公司", "controlled", []),
        ]),
        ("伊宁市城投物业服务有限公司", "wholly_owned", []),
    ]),
    ("伊宁市国有资产投资经营有限责任公司", "sole", [
        ("伊宁市供排水有限责任公司", "controlled", [
            ("伊宁市水务工程安装有限公司", "wholly_owned", []),
        ]),
        ("伊宁市融资担保有限责任公司", "controlled", []),
    ]),
    ("伊宁市文化旅游投资集团有限公司", "sole", [
        ("伊宁市喀赞其旅游开发有限公司", "de_facto_controlled", []),
    ]),
]
XUNDIAN_TREE: list[tuple[str, str, list[Any]]] = [
    ("寻甸县城乡建设投资开发有限公司", "sole", [
        ("寻甸县城投房地产开发有限公司", "wholly_owned", [
            ("寻甸县城投物业管理有限公司", "wholly_owned", []),
        ]),
    ]),
    ("寻甸县国有资本投资运营有限公司", "sole", [
        ("寻甸县农业产业发展有限公司", "controlled", [
            ("寻甸县牛肉食品加工有限公司", "minority", []),
        ]),
    ]),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
# Each jurisdiction draws its people's given names from its own list, so no name leads companies in both (a reader
# would take them for one person). Xundian's list gives the README's 赵秀英, its group's general manager.
GIVEN_YINING = ["永刚", "淑珍", "宏伟", "桂芳", "光明", "玉梅", "新民", "秀兰", "志刚", "凤英", "建华", "丽萍", "长青", "美玲", "学军"]
GIVEN_XUNDIAN = ["建国", "海燕", "志强", "丽娟", "文斌", "晓东", "红梅", "国庆", "春华", "德明", "玉兰", "卫东", "秀英", "振华", "雪莲"]
TERM = (dt.date(2024, 1, 1), dt.date(2026, 12, 31))


def _person(i: int, given: list[str]) -> str:
    return SURNAMES[i % len(SURNAMES)] + given[(i * 7) % len(given)]


def _bodies(e: Enterprise, seed: int, given: list[str]) -> None:
    """Party committee (or branch), board (levels 1–2) and general manager's office, with members."""
    party_kind = "party_committee" if e.level < 3 else "party_branch"
    kinds = [party_kind, "board", "gm_office"] if e.level < 3 else [party_kind, "gm_office"]
    p = [_person(seed * 5 + k, given) for k in range(6)]
    # The secretary also chairs the board (一肩挑); the general manager is deputy secretary.
    plans: dict[str, list[tuple[str, str, bool, bool]]] = {
        party_kind: [(p[0], "secretary", True, True), (p[1], "deputy_secretary", False, True),
                     (p[2], "member", False, True), (p[3], "member", False, True), (p[4], "member", False, True)],
        "board": [(p[0], "chair", True, True), (p[1], "director", False, True), (p[2], "director", False, True),
                  (p[3], "director", False, True), (p[5], "director", False, True),
                  (_person(seed * 5 + 9, given) + "（监事）", "attendee", False, False)],
        "gm_office": [(p[1], "general_manager", True, True), (p[3], "deputy_gm", False, True),
                      (p[4], "deputy_gm", False, True), (p[5], "member", False, True)],
    }
    for kind in kinds:
        body = DecisionBody.objects.filter(enterprise=e, kind=kind).first() or services.body_create(
            actor=None, enterprise=e, kind=kind)
        if body.members.exists():
            continue
        for name, role, principal, voting in plans[kind]:
            services.member_add(actor=None, body=body, name=name, role=role, is_principal=principal, voting=voting,
                                term_start=TERM[0], term_end=TERM[1])


def _tree(j: Jurisdiction, division: str, nodes: list[Any], parent: Enterprise | None, counter: list[int],
          given: list[str]) -> None:
    for name, ownership, children in nodes:
        counter[0] += 1
        uscc = make_uscc("91", division, f"MA{counter[0] + (100 if division.startswith('53') else 0):06d}")
        e = Enterprise.objects.filter(uscc=uscc).first() or services.enterprise_create(
            actor=None, jurisdiction=j, parent=parent, name=name, uscc=uscc, ownership=ownership)
        _bodies(e, counter[0], given)
        _tree(j, division, children, e, counter, given)


# README workflows 1 (report a matter), 2–3 (a decision meeting, its execution and data), 4 (a split payment to a
# closed case), 5 (appointing a leader; contract, score, pay).
WORKFLOW_ORDER = ["yn_filer", "yn_reviewer", "xd_secretary", "xd_member", "xd_reviewer", "xd_inspector", "yn_inspector",
                  "yn_leader", "yn_secretary", "xd_filer", "sysadmin", "secadmin", "auditadmin"]


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Load (or reuse) the demo data; returns (username, role, scope) of each demo account."""
    yining = Jurisdiction.objects.filter(code="yining").first() or services.jurisdiction_create(
        actor=None, code="yining", name="伊宁市", supervisor="伊宁市国资委", policy_packs=["yining-2024"])
    xundian = Jurisdiction.objects.filter(code="xundian").first() or services.jurisdiction_create(
        actor=None, code="xundian", name="寻甸县", supervisor="寻甸县财政局(国资委)", policy_packs=["xundian-2020"])
    _tree(yining, "654002", YINING_TREE, None, [0], GIVEN_YINING)
    _tree(xundian, "530129", XUNDIAN_TREE, None, [0], GIVEN_XUNDIAN)

    def ent(name: str) -> Enterprise:
        return Enterprise.objects.get(name=name)

    accounts = [
        demo_account("yn_filer", Role.ENTERPRISE_FILER, "马晓东", enterprise=ent("伊宁市城市建设投资集团有限公司")),
        demo_account("yn_leader", Role.ENTERPRISE_LEADER, "王建国", enterprise=ent("伊宁市城市建设投资集团有限公司")),
        demo_account("yn_secretary", Role.SECRETARY, "李海燕", enterprise=ent("伊宁市城投建设工程有限公司")),
        demo_account("yn_reviewer", Role.SUPERVISOR_REVIEWER, "周文斌", jurisdiction=yining),
        demo_account("yn_inspector", Role.SUPERVISOR_INSPECTOR, "吴红梅", jurisdiction=yining),
        demo_account("xd_filer", Role.ENTERPRISE_FILER, "杨春华", enterprise=ent("寻甸县城乡建设投资开发有限公司")),
        demo_account("xd_reviewer", Role.SUPERVISOR_REVIEWER, "赵德明", jurisdiction=xundian),
        demo_account("sysadmin", Role.SYSTEM_ADMIN, "系统管理员"),
        demo_account("secadmin", Role.SECURITY_ADMIN, "安全管理员"),
        demo_account("auditadmin", Role.AUDIT_ADMIN, "审计管理员"),
    ]
    # The supervisors' organisation signatures, before any 批复 or 备案回执 is given.
    demo_organisations([yining, xundian], admin=User.objects.get(username="secadmin"))
    load_demo_matters()
    accounts += load_demo_meetings()
    load_demo_followup()
    accounts += load_demo_oversight()
    load_demo_leaders()
    # Printed in the order the README's workflows use them, then the rest, the administrators last.
    return sorted(accounts, key=lambda a: WORKFLOW_ORDER.index(a[0]) if a[0] in WORKFLOW_ORDER else len(WORKFLOW_ORDER))
