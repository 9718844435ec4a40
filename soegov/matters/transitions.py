"""What every write on a matter shares: who may act (the gates), locking the row at the version the actor
saw, whether the state and the earlier records allow the step, saving it with its event and audit entry, and
telling the users concerned.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.accounts.roles import ENTERPRISE_ROLES, Role
from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import TransitionRefused
from soegov.core.gates import Gate
from soegov.core.locking import lock_current
from soegov.enterprises.permissions import within_jurisdiction, within_scope
from soegov.matters import workflow
from soegov.matters.facts import in_force, latest_verdict, not_in_force_error
from soegov.matters.models import Event, Matter, Notification, Status

ENTERPRISE_WRITERS = ENTERPRISE_ROLES
REVIEWERS = frozenset({Role.SUPERVISOR_REVIEWER})
WRITER_GATE = Gate(ENTERPRISE_WRITERS, "只有企业用户可以办理本企业的事项", within_scope)
REVIEWER_GATE = Gate(REVIEWERS, "只有本辖区的国资监管审核人可以审核该事项", within_jurisdiction,
                     "只有本辖区的国资监管审核人可以审核该事项")
AUDIT_FIELDS = ["status", "version", "route", "amount", "attributes", "occurred_on", "decided_at", "submitted_at",
                "due_at", "review_due_at", "answered_at", "committee_passed_at", "forwarded_at", "implemented_at"]


def matter_lock(matter: Matter, version: int | None) -> Matter:
    """The matter re-read under a row lock; refused when the actor saw an older version."""
    return lock_current(Matter.objects.select_related("enterprise"), matter.pk, version, "事项", "matter", with_status=True)


def transition_check(action: str, matter: Matter, actor: Any) -> None:
    """Refuse the action unless the actor's side may take it and the matter's state and verdict allow it."""
    froms, _, side = workflow.TRANSITIONS[action]
    if side == workflow.ENTERPRISE:
        WRITER_GATE.check(actor, matter.enterprise)
    else:
        REVIEWER_GATE.check(actor, matter.enterprise)
    if action in ("submit", "implement") and not in_force(latest_verdict(matter).result):
        # A matter stored before dates were checked: its verdict decided nothing, so nothing may proceed on it.
        raise not_in_force_error(latest_verdict(matter).result)
    if not workflow.allowed(action, matter.status, matter.route):
        if action == "implement":
            raise TransitionRefused(
                "not_approved",
                f"事项当前状态为“{matter.get_status_display()}”，未经批准或备案不得实施"
                "（伊宁市市属国有企业监督管理办法第十九条：未经审批，不得以任何理由先行决策实施）",
                "status", "not approved: it may not be implemented (yining-2024 art. 19)",
            )
        allowed = "、".join(Status(s).label for s in sorted(froms))
        raise TransitionRefused(
            "invalid_transition",
            f"事项当前状态为“{matter.get_status_display()}”，不能{workflow.ACTION_LABELS[action]}（仅限：{allowed}）",
            "status", f"cannot {action} from {matter.status}",
        )


def records_check(action: str, matter: Matter) -> None:
    """Refuse an action whose earlier record (workflow.REQUIRES) is missing, naming the step and the article."""
    missing = workflow.missing_record(action, matter.route, {"committee_passed_at": matter.committee_passed_at})
    if missing is not None:
        what, where = missing
        label = "批准" if action == "decide:approve" else workflow.ACTION_LABELS[action]
        raise TransitionRefused("committee_missing", f"尚未登记“{what}”，不能{label}（{where}）。请先登记{what}",
                                "committee_passed_at", f"record the supervisor's party committee pass before: {action}")


def transition_save(matter: Matter, before: dict[str, Any], *, actor: Any, action: str, comment: str = "",
          missing: list[str] | None = None) -> Matter:
    """Bump the version, save, write the event and the audit entry (inside the caller's transaction)."""
    matter.version += 1
    matter.updated_at = timezone.now()
    matter.save()
    Event.objects.create(matter=matter, action=action, from_status=before.get("status", ""), to_status=matter.status,
                         comment=comment, missing=missing or [], actor=acting_user(actor))
    audit_record(actor=actor, action=f"matter.{action}", obj=matter, before=before,
                 after=snapshot(matter, AUDIT_FIELDS) | ({"comment": comment} if comment else {})
                 | ({"missing": missing} if missing else {}))
    return matter


def notify(users: Any, matter: Matter, text: str) -> None:
    """In-app messages, written after the transaction commits."""
    ids = [u.pk for u in users]

    def send() -> None:
        Notification.objects.bulk_create([Notification(user_id=i, matter=matter, text=text[:300]) for i in ids])

    transaction.on_commit(send)


def enterprise_users(matter: Matter) -> Any:
    """The active users of the matter's enterprise."""
    from soegov.accounts.models import User

    return User.objects.filter(is_active=True, role__in=ENTERPRISE_ROLES, enterprise_id=matter.enterprise_id)


def reviewers(matter: Matter) -> Any:
    """The supervisor's reviewers of the matter's jurisdiction."""
    from soegov.accounts.models import User

    return User.objects.filter(is_active=True, role=Role.SUPERVISOR_REVIEWER,
                               jurisdiction_id=matter.enterprise.jurisdiction_id)
