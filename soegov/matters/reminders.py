"""Deadline reminders: in-app and by e-mail, once per matter, clock, stage and due time (safe to run twice)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from soegov.audit.services import audit_record
from soegov.matters import selectors, transitions, workflow
from soegov.matters.models import Matter, Notification, Reminder
from soegov.notices import events as notice_events


def _recipients(matter: Matter, side: str) -> list[Any]:
    return list(transitions.enterprise_users(matter) if side == "enterprise" else transitions.reviewers(matter))


def _text(matter: Matter, clock: dict[str, Any], stage: str) -> str:
    due = timezone.localtime(clock["due"]).strftime("%Y-%m-%d %H:%M")
    if stage == "overdue":
        return f"已逾期：“{matter.title}”的{clock['label']}为 {due}，请尽快办理"
    return f"即将到期：“{matter.title}”的{clock['label']}为 {due}"


def reminders_send(*, now: dt.datetime | None = None, within_hours: int = 24) -> list[Reminder]:
    """Remind both sides of every clock due within `within_hours` or already past; returns the reminders sent now."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=within_hours)
    candidates = Matter.objects.select_related("enterprise", "enterprise__jurisdiction").filter(
        Q(status__in=workflow.BEFORE_SUBMISSION | {"returned"}, due_at__lte=horizon)
        | Q(status__in=workflow.UNDER_SUPERVISOR, review_due_at__lte=horizon))
    sent: list[Reminder] = []
    for matter in candidates:
        clock = selectors.clock(matter, now)
        if clock is None or clock["due"] is None:
            continue
        stage = "overdue" if clock["overdue"] else "soon"
        try:
            with transaction.atomic():
                # The unique key (matter, clock, stage, due) is the idempotency: a second run finds it taken.
                reminder = Reminder.objects.create(matter=matter, clock=clock["side"], stage=stage, due_at=clock["due"])
                users = _recipients(matter, clock["side"])
                text = _text(matter, clock, stage)
                Notification.objects.bulk_create([Notification(user=u, matter=matter, text=text) for u in users])
                notice_events.deadline(users, overdue=stage == "overdue", text=text,
                                       url=reverse("matters:detail", args=[matter.pk]))
                audit_record(actor=None, actor_name="soegov remind", action="matter.remind", obj=matter,
                             after={"clock": clock["side"], "stage": stage, "due": clock["due"].isoformat(),
                                    "to": [u.username for u in users]})
                emails = [u.email for u in users if u.email]
                if emails:
                    transaction.on_commit(lambda t=text, e=emails: send_mail(
                        subject=f"[soegov] {t[:60]}", message=t, from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=e, fail_silently=True))
        except IntegrityError:
            continue
        sent.append(reminder)
    return sent
