"""Inspection checklists: generated per enterprise and year from the pack's inspection.yaml, pre-filled
with evidence from the system, completed by the enterprise, reviewed by the supervisor's inspector."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from soegov.accounts.roles import ENTERPRISE_ROLES
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, TransitionRefused
from soegov.core.gates import Gate
from soegov.core.locking import lock_current
from soegov.enterprises.models import Enterprise
from soegov.enterprises.permissions import within_scope
from soegov.oversight.gates import INSPECTOR_GATE
from soegov.oversight.models import Case, Finding, Inspection, InspectionStatus

ANSWERS = ("yes", "no", "na")
FIELDS = ["status", "version", "points", "review_comment", "completed_at", "reviewed_at"]

# The enterprise's own staff fill in its self-inspection (xundian art. 25); out of scope is told as such.
OWN_STAFF_GATE = Gate(ENTERPRISE_ROLES, "只有本企业用户可以填报自查", within_scope)
# Handing the checklist in: one message for another role and for another enterprise, as before.
FILLER_GATE = Gate(ENTERPRISE_ROLES, "只有本企业用户可以填报自查", within_scope, "只有本企业用户可以填报自查")


def evidence(enterprise: Enterprise, year: int, kinds: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """What the system holds for one checklist point: short texts, each linking to its record."""
    from soegov.enterprises.models import DecisionBody
    from soegov.matters.models import IMPLEMENTED_EARLY, Matter

    out: list[dict[str, Any]] = []
    matters = Matter.objects.filter(enterprise=enterprise, occurred_on__year=year)
    for kind in kinds:
        if kind == "bodies":
            for b in DecisionBody.objects.filter(enterprise=enterprise).annotate(member_count=Count("members")):
                out.append({"text": f"决策机构：{b}（成员 {b.member_count} 人）", "url": reverse("enterprises:bodies")})
        elif kind == "matters":
            n = matters.count()
            decided = matters.filter(decided_at__isnull=False).count()
            out.append({"text": f"{year}年重大事项 {n} 件，其中已记录集体决策 {decided} 件",
                        "url": reverse("matters:list") + f"?enterprise={enterprise.pk}&year={year}"})
        elif kind == "approvals":
            for m in matters.filter(route="approval"):
                out.append({"text": f"报批事项“{m.title}”：{m.get_status_display()}", "url": reverse("matters:detail", args=[m.pk])})
        elif kind == "implemented_early":
            for m in matters.filter(IMPLEMENTED_EARLY):
                out.append({"text": f"未经批准先行实施：“{m.title}”", "url": reverse("matters:detail", args=[m.pk])})
        elif kind == "findings":
            for f in Finding.objects.filter(enterprise=enterprise, found_on__year=year):
                out.append({"text": f"台账检查：{f.message}（{f.get_status_display()}）", "url": reverse("oversight:finding", args=[f.pk])})
        elif kind == "cases":
            for c in Case.objects.filter(enterprise=enterprise, created_at__year=year):
                out.append({"text": f"追责案件：{c.title}（{c.get_status_display()}）", "url": reverse("oversight:case", args=[c.pk])})
        elif kind in ("meeting_violations", "open_actions"):
            from soegov.oversight import decision_figures

            out.extend(decision_figures.evidence(kind, enterprise, year))
    return out


def _require_inspector_or_own(actor: Any, enterprise: Enterprise) -> None:
    """The supervisor's inspector, or (xundian art. 25 self-inspection) the enterprise's own staff."""
    if actor is not None and actor.role in ENTERPRISE_ROLES:
        OWN_STAFF_GATE.check(actor, enterprise)
    else:
        INSPECTOR_GATE.check(actor, enterprise)


def inspection_generate(*, actor: Any, enterprise: Enterprise, year: int) -> Inspection:
    """The enterprise's checklist for the year (created once; evidence refreshed while it is open)."""
    from soegov.policy.inspection import checklist_for

    _require_inspector_or_own(actor, enterprise)
    if not 2000 <= int(year) <= 2100:
        raise InputError("invalid_year", f"年度超出范围：{year}", "year", "year out of range")
    policy = enterprise.jurisdiction.default_policy
    checklist = checklist_for(policy)
    if not checklist.points:
        raise InputError("no_points", f"制度 {policy} 没有检查要点", "policy", "the pack has no inspection points")
    with transaction.atomic():
        insp, created = Inspection.objects.select_for_update().get_or_create(
            enterprise=enterprise, year=int(year), defaults={"policy": policy, "due_on": checklist.due_on(int(year))})
        if not created and insp.status == InspectionStatus.REVIEWED:
            return insp
        before = snapshot(insp, FIELDS)
        answers = {p["code"]: p for p in insp.points}
        insp.points = [{
            "code": p.code, "zh": p.zh,
            "citation": {"document": p.citation.document, "article": p.citation.article, "item": p.citation.item,
                         "text": p.citation.text},
            "evidence": evidence(enterprise, int(year), p.evidence),
            "answer": answers.get(p.code, {}).get("answer", ""), "note": answers.get(p.code, {}).get("note", ""),
        } for p in checklist.points]
        insp.version += 0 if created else 1
        insp.save()
        audit_record(actor=actor, action="oversight.inspection_generate", obj=insp, before=None if created else before,
                     after={"year": insp.year, "points": len(insp.points), "due_on": insp.due_on})
    return insp


def _lock(insp: Inspection, version: Any) -> Inspection:
    locked: Inspection = lock_current(Inspection.objects.select_related("enterprise"), insp.pk, version, "检查表",
                                      "checklist")
    return locked


@FILLER_GATE.on("inspection.enterprise")
def inspection_complete(*, actor: Any, inspection: Inspection, answers: dict[str, dict[str, str]],
                        version: Any = None) -> Inspection:
    """The enterprise answers each point (符合/不符合/不适用 and a note) and hands the checklist in."""
    with transaction.atomic():
        insp = _lock(inspection, version)
        if insp.status not in (InspectionStatus.DRAFT, InspectionStatus.RETURNED):
            raise TransitionRefused("not_editable", f"检查表当前为“{insp.get_status_display()}”，不能再填报", "status", "not editable")
        before = snapshot(insp, FIELDS)
        points = []
        for p in insp.points:
            a = answers.get(p["code"], {})
            answer = str(a.get("answer", "")).strip()
            if answer not in ANSWERS:
                raise InputError("answer_required", f"请对“{p['zh'][:30]}…”选择符合、不符合或不适用", f"answer_{p['code']}",
                                 f"answer {p['code']}: yes, no or na")
            note = str(a.get("note", "")).strip()[:2000]
            if answer == "no" and not note:
                raise InputError("note_required", f"“{p['zh'][:30]}…”选择不符合时须说明情况和整改措施", f"note_{p['code']}",
                                 "explain a 'no'")
            points.append(p | {"answer": answer, "note": note})
        insp.points = points
        insp.status = InspectionStatus.COMPLETED
        insp.completed_by = acting_user(actor)
        insp.completed_at = timezone.now()
        insp.version += 1
        insp.save()
        audit_record(actor=actor, action="oversight.inspection_complete", obj=insp, before=before, after=snapshot(insp, FIELDS))
    return insp


@INSPECTOR_GATE.on("inspection.enterprise")
def inspection_review(*, actor: Any, inspection: Inspection, accept: bool, comment: str = "",
                      version: Any = None) -> Inspection:
    """The inspector accepts the checklist or returns it for more."""
    comment = str(comment or "").strip()[:5000]
    if not accept and not comment:
        raise InputError("required", "退回时请写明需补充的内容", "comment", "a return needs a comment")
    with transaction.atomic():
        insp = _lock(inspection, version)
        if insp.status != InspectionStatus.COMPLETED:
            raise TransitionRefused("not_completed", f"检查表当前为“{insp.get_status_display()}”，企业填报后才能审核", "status",
                                    "not completed yet")
        before = snapshot(insp, FIELDS)
        insp.status = InspectionStatus.REVIEWED if accept else InspectionStatus.RETURNED
        insp.review_comment = comment
        insp.reviewed_by = acting_user(actor)
        insp.reviewed_at = timezone.now()
        insp.version += 1
        insp.save()
        audit_record(actor=actor, action="oversight.inspection_review", obj=insp, before=before, after=snapshot(insp, FIELDS))
    return insp


def due_state(insp: Inspection, today: Any = None) -> dict[str, Any]:
    """The 30 December date and whether it is missed (handed in after it, or still open past it)."""
    today = today or timezone.localdate()
    if insp.due_on is None:
        return {"due": None, "overdue": False, "label": "本制度未规定报送日期"}
    done = timezone.localtime(insp.completed_at).date() if insp.completed_at else None
    overdue = (done or today) > insp.due_on
    days = (insp.due_on - today).days
    label = ("逾期报送" if done else "已逾期") if overdue else ("已按期报送" if done else f"距报送期限还有 {days} 天")
    return {"due": insp.due_on, "overdue": overdue, "label": label}
