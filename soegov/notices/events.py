"""The events people act on, worded for a phone: what other apps call beside their in-app message.

Each takes the recipients and the record as the caller has them (no import of the caller's app, so no
import circle) and hands the words to `services.notices_send`, which waits for the caller's commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from soegov.notices.services import notices_send


def matter_to_review(users: Iterable[Any], matter: Any, text: str) -> None:
    """A matter waits for the supervisor's review."""
    notices_send(users=users, event="review", title=f"待审核：{matter.title}"[:120], text=text,
                 url=reverse("matters:detail", args=[matter.pk]))


def meeting_notice(users: Iterable[Any], meeting: Any, materials: list[str]) -> None:
    """The formal notice of a meeting, with the list of its materials."""
    when = timezone.localtime(meeting.held_at).strftime("%Y-%m-%d %H:%M")
    lines = [f"时间：{when}", f"地点：{meeting.place or '另行通知'}"]
    if materials:
        lines.append("会议材料：" + "；".join(f"{i}. {name}" for i, name in enumerate(materials, 1)))
    else:
        lines.append("会议材料：尚未上传")
    lines.append("请提前阅研会议材料。")
    notices_send(users=users, event="meeting", title=f"会议通知：{meeting.title}"[:120], text="\n".join(lines),
                 url=reverse("meetings:detail", args=[meeting.pk]))


def vote_waiting(users: Iterable[Any], meeting: Any, items: list[str]) -> None:
    """A meeting in session has ballot items the person must cast himself."""
    text = f"“{meeting.title}”已开会，以下议题待您投票：" + "；".join(items)
    notices_send(users=users, event="vote", title=f"待表决：{meeting.title}"[:120], text=text,
                 url=reverse("meetings:detail", args=[meeting.pk]))


def deadline(users: Iterable[Any], *, overdue: bool, text: str, url: str = "", due: dt.date | None = None) -> None:
    """A deadline soon (within the reminder's window) or already past."""
    word = "已逾期" if overdue else "即将到期"
    title = f"{word}提醒" + (f"（期限 {due:%Y-%m-%d}）" if due else "")
    notices_send(users=users, event="overdue" if overdue else "deadline", title=title[:120], text=text, url=url)
