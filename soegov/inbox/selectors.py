"""What the logged-in user must do next, gathered from every app: one row per step, each with its page and deadline.

Each kind is one query (or two) whatever the amount of data, so the inbox and the menu's count stay flat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soegov.accounts.roles import Role


@dataclass(frozen=True)
class Todo:
    """One step waiting for the user: what, for which enterprise, where it is done, by when."""

    kind: str
    title: str
    action: str
    url: str
    enterprise: str = ""
    due: dt.datetime | None = None
    note: str = ""

    @property
    def kind_label(self) -> str:
        """The kind's Chinese name."""
        return str(KINDS[self.kind])

    @property
    def overdue(self) -> bool:
        """Whether the deadline has passed."""
        return self.due is not None and self.due < timezone.now()


# kind: Chinese label, in the order the inbox shows the counts
KINDS: dict[str, Any] = {
    "matters": gettext_lazy("重大事项"),
    "review": gettext_lazy("审核队列"),
    "ballots": gettext_lazy("我的表决"),
    "followup": gettext_lazy("决策督办"),
    "oversight": gettext_lazy("监督事项"),
    "signatures": gettext_lazy("签字与签名"),
}


def day_end(day: dt.date) -> dt.datetime:
    """The last moment of a due day in Asia/Shanghai: a step due on a day is still on time that whole day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


# --- 重大事项: the enterprise's own steps ---------------------------------------------------------------

MATTER_STEPS = {"draft": gettext_lazy("集体决策后报送"), "decided": gettext_lazy("报送"),
                "returned": gettext_lazy("补正后重新报送"), "approved": gettext_lazy("登记实施"),
                "filed": gettext_lazy("登记实施")}
REVIEW_STEPS = {"submitted": gettext_lazy("开始审核"), "under_review": gettext_lazy("审核并答复"),
                "forwarded": gettext_lazy("登记市政府批复")}


def _matters(user: Any) -> QuerySet[Any]:
    from soegov.matters.selectors import matter_list

    if user.role not in (Role.ENTERPRISE_FILER, Role.SECRETARY):
        return matter_list(user=user).none()
    # An internal matter needs no filing; only its implementation (from draft or decided) is left.
    return (matter_list(user=user).filter(status__in=list(MATTER_STEPS))
            .exclude(route="internal", status__in=["approved", "filed", "returned"]))


def _matter_rows(user: Any) -> list[Todo]:
    rows = []
    for m in _matters(user):
        step = _("登记实施") if m.route == "internal" else str(MATTER_STEPS[m.status])
        due = m.due_at if m.status in ("draft", "decided", "returned") else None
        rows.append(Todo("matters", m.title, step, reverse("matters:detail", args=[m.pk]), m.enterprise.name, due,
                         m.get_status_display()))
    return rows


def _review(user: Any) -> QuerySet[Any]:
    from soegov.matters.selectors import matter_list, review_queue

    if user.role != Role.SUPERVISOR_REVIEWER:
        return matter_list(user=user).none()
    return review_queue(user=user)


def _review_rows(user: Any) -> list[Todo]:
    return [Todo("review", m.title, str(REVIEW_STEPS.get(m.status, _("审核"))), reverse("matters:detail", args=[m.pk]),
                 m.enterprise.name, m.review_due_at, m.get_status_display()) for m in _review(user)]


# --- 我的表决 ------------------------------------------------------------------------------------------


def _ballots(user: Any) -> QuerySet[Any]:
    from soegov.meetings.selectors import pending_ballots

    return pending_ballots(user)


def _ballot_rows(user: Any) -> list[Todo]:
    return [Todo("ballots", f"{i.meeting.title}：{i.topic.title}", _("投票"), reverse("meetings:my_votes"),
                 i.meeting.enterprise.name, None, _("会议进行中，请本人投票")) for i in _ballots(user)]


# --- 决策督办: action items the user is responsible for, ratifications the office must table ------------


def _actions(user: Any) -> QuerySet[Any]:
    from soegov.followup.models import ActionItem
    from soegov.followup.selectors import OPEN

    return ActionItem.objects.filter(owner_id=user.pk, status__in=OPEN).select_related("enterprise").order_by(
        "due_date", "id")


def _ratifications(user: Any) -> QuerySet[Any]:
    from soegov.enterprises.selectors import enterprise_scope_q
    from soegov.followup.models import EmergencyDecision
    from soegov.followup.selectors import awaiting_ratification

    if user.role not in (Role.SECRETARY, Role.ENTERPRISE_FILER):
        return EmergencyDecision.objects.none()
    return awaiting_ratification(enterprise_scope_q(user))


def _followup_rows(user: Any) -> list[Todo]:
    rows = [Todo("followup", a.title, _("落实并报告进展"), reverse("followup:action", args=[a.pk]), a.enterprise.name,
                 day_end(a.due_date), a.get_status_display()) for a in _actions(user)]
    rows += [Todo("followup", e.title, _("提请会议追认"), reverse("followup:emergency", args=[e.pk]), e.enterprise.name,
                  day_end(e.ratify_due), _("紧急决定待追认")) for e in _ratifications(user)]
    return rows


# --- 监督: events to report (enterprise), cases to carry on (inspector) ---------------------------------


def _events(user: Any) -> QuerySet[Any]:
    from soegov.oversight.models import EventReport
    from soegov.oversight.selectors import event_list

    if user.role not in (Role.ENTERPRISE_FILER, Role.SECRETARY):
        return EventReport.objects.none()
    return event_list(user=user).filter(reported_at__isnull=True).order_by("due_at", "id")


def _cases(user: Any) -> QuerySet[Any]:
    from soegov.oversight.models import Case
    from soegov.oversight.selectors import case_list

    if user.role != Role.SUPERVISOR_INSPECTOR:
        return Case.objects.none()
    return case_list(user=user).exclude(status="closed").order_by("created_at", "id")


def _oversight_rows(user: Any) -> list[Todo]:
    rows = [Todo("oversight", e.title, _("报告事件"), reverse("oversight:event", args=[e.pk]), e.enterprise.name,
                 e.due_at, _("须立即报告") if e.immediate else _("随时报告事件")) for e in _events(user)]
    rows += [Todo("oversight", c.title, _("办理追责案件"), reverse("oversight:case", args=[c.pk]), c.enterprise.name,
                  None, c.get_status_display()) for c in _cases(user)]
    return rows


# --- signatures: minutes the user must sign, his own certificate waiting for its PIN ---------------------


def _minutes_to_sign(user: Any) -> QuerySet[Any]:
    from soegov.meetings.selectors import minutes_to_sign

    return minutes_to_sign(user)


def _certificates(user: Any) -> QuerySet[Any]:
    from soegov.signatures.models import CertStatus, SigningCertificate

    return SigningCertificate.objects.filter(user_id=user.pk, status=CertStatus.PENDING)


def _signature_rows(user: Any) -> list[Todo]:
    rows = [Todo("signatures", _("%(title)s会议记录") % {"title": m.title}, _("签字"), reverse("meetings:detail", args=[m.pk]) + "#minutes",
                 m.enterprise.name, None, _("会议已结束，出席人员本人签字后归档")) for m in _minutes_to_sign(user)]
    rows += [Todo("signatures", _("签名证书（%(subject)s）") % {"subject": c.subject}, _("设置签名密码启用"), reverse("signatures:mine"), c.organisation,
                  None, _("证书已签发，待本人启用")) for c in _certificates(user)]
    return rows


# kind: (querysets counted for the menu, row builder)
SOURCES: dict[str, tuple[Callable[[Any], Iterable[QuerySet[Any]]], Callable[[Any], list[Todo]]]] = {
    "matters": (lambda u: [_matters(u)], _matter_rows),
    "review": (lambda u: [_review(u)], _review_rows),
    "ballots": (lambda u: [_ballots(u)], _ballot_rows),
    "followup": (lambda u: [_actions(u), _ratifications(u)], _followup_rows),
    "oversight": (lambda u: [_events(u), _cases(u)], _oversight_rows),
    "signatures": (lambda u: [_minutes_to_sign(u), _certificates(u)], _signature_rows),
}


def _applies(user: Any) -> bool:
    return bool(getattr(user, "pk", None)) and getattr(user, "is_authenticated", False)


def todo_counts(*, user: Any) -> dict[str, int]:
    """How many steps of each kind wait for the user (one COUNT query per source, none for empty roles)."""
    if not _applies(user):
        return {}
    counts = {}
    for kind, (querysets, _rows) in SOURCES.items():
        n = sum(qs.count() for qs in querysets(user) if not qs.query.is_empty())
        if n:
            counts[kind] = n
    return counts


def todo_list(*, user: Any, kind: str = "") -> list[Todo]:
    """The user's waiting steps, overdue first, then by deadline (those without one last)."""
    if not _applies(user):
        return []
    rows: list[Todo] = []
    for k, (_querysets, build) in SOURCES.items():
        if not kind or kind == k:
            rows += build(user)
    far = timezone.now() + dt.timedelta(days=36500)
    return sorted(rows, key=lambda t: (not t.overdue, t.due is None, t.due or far))

