"""Reminders of overdue action items and late ratifications, in-app and by e-mail, once per object, stage and due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from soegov.audit.services import audit_record
from soegov.followup import selectors
from soegov.followup.models import FollowupReminder
from soegov.matters.transitions import enterprise_users
from soegov.notices import events as notice_events


def _send(kind: str, obj: Any, stage: str, due: dt.date, users: list[Any], text: str) -> bool:
    from soegov.matters.models import Notification

    try:
        with transaction.atomic():
            FollowupReminder.objects.create(kind=kind, object_id=obj.pk, stage=stage, due=due)
            Notification.objects.bulk_create([Notification(user=u, text=text[:300]) for u in users])
            notice_events.deadline(users, overdue=stage != "soon", text=text, due=due)
            audit_record(actor=None, actor_name="soegov followup remind", action=f"followup.remind_{kind}", obj=obj,
                         after={"stage": stage, "due": due.isoformat(), "to": [u.username for u in users]})
            emails = [u.email for u in users if u.email]
            if emails:
                transaction.on_commit(lambda: send_mail(subject=f"[soegov] {text[:60]}", message=text,
                                                        from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=emails,
                                                        fail_silently=True))
    except IntegrityError:
        return False
    return True


def reminders_send(*, today: dt.date | None = None, within_days: int = 3) -> list[str]:
    """Remind enterprises of action items due within `within_days` or overdue, and of late ratifications."""
    today = today or timezone.localdate()
    sent: list[str] = []
    everything = Q()
    # One query per enterprise, not per reminder.
    by_enterprise: dict[int, list[Any]] = {}

    def users_of(obj: Any) -> list[Any]:
        if obj.enterprise_id not in by_enterprise:
            by_enterprise[obj.enterprise_id] = list(enterprise_users(obj))
        return list(by_enterprise[obj.enterprise_id])
    for a in selectors.open_actions(everything).filter(due_date__lte=today + dt.timedelta(days=within_days)):
        stage = "overdue" if a.due_date < today else "soon"
        word = "已逾期" if stage == "overdue" else "即将到期"
        text = f"督办{word}：“{a.title}”（责任人 {a.owner_name}）完成时限为 {a.due_date:%Y-%m-%d}，请报告进展或办结"
        users = users_of(a)
        if a.owner_id and a.owner not in users:
            users.append(a.owner)
        if _send("action", a, stage, a.due_date, users, text):
            sent.append(f"action\t{a.pk}\t{stage}\t{a.due_date}")
    for e in selectors.late_ratifications(everything, today).filter(status="awaiting"):
        text = (f"紧急决策“{e.title}”尚未追认（期限 {e.ratify_due:%Y-%m-%d}），请提交{e.body.name}会议追认"
                "（寻甸办法第十三条）")
        if _send("emergency", e, "late", e.ratify_due, users_of(e), text):
            sent.append(f"emergency\t{e.pk}\tlate\t{e.ratify_due}")
    return sent
