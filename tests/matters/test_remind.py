"""`soegov remind`: reminders before and after a deadline, in-app and by e-mail, never twice."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from soegov.matters.models import Notification
from soegov.matters.reminders import reminders_send
from tests.matters.conftest import POST_FILING, decide, make_matter

pytestmark = pytest.mark.django_db(transaction=True)
SH = ZoneInfo("Asia/Shanghai")


def test_reminders_are_sent_once_per_stage(filer: Any, reviewer: Any, enterprise: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    m = decide(filer, make_matter(filer, enterprise, POST_FILING), dt.datetime(2026, 9, 30, 16, 0, tzinfo=SH))
    assert reminders_send(now=dt.datetime(2026, 10, 9, 9, 0, tzinfo=SH)) == []  # due 13 October: not yet
    soon = dt.datetime(2026, 10, 13, 9, 0, tzinfo=SH)
    assert [(r.clock, r.stage) for r in reminders_send(now=soon)] == [("enterprise", "soon")]
    assert reminders_send(now=soon) == []  # a second run sends nothing
    late = dt.datetime(2026, 10, 14, 9, 0, tzinfo=SH)
    assert [(r.stage) for r in reminders_send(now=late)] == ["overdue"]
    assert reminders_send(now=late) == []
    texts = list(Notification.objects.filter(user=filer, matter=m).values_list("text", flat=True))
    assert texts == ["已逾期：“测试事项”的企业报送期限为 2026-10-13 23:59，请尽快办理",
                     "即将到期：“测试事项”的企业报送期限为 2026-10-13 23:59"]
    assert [e.to for e in mail.outbox] == [["filer@example.cn"], ["filer@example.cn"]]
    assert not Notification.objects.filter(user=reviewer).exists()


def test_cli_remind(capsys: Any) -> None:
    from soegov.cli import main

    assert main(["remind"]) == 0
    assert "已发送 0 条期限提醒" in capsys.readouterr().out


def test_supervisor_reminded_of_its_answer(filer: Any, reviewer: Any, enterprise: Any, settings: Any,
                                           monkeypatch: Any) -> None:
    from django.utils import timezone

    from soegov.matters import lifecycle
    from tests.matters.conftest import attach_all

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    m = attach_all(filer, decide(filer, make_matter(filer, enterprise, POST_FILING), dt.datetime(2026, 9, 29, 9, 0, tzinfo=SH)))
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 9, 30, 15, 0, tzinfo=SH))
    lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
    sent = reminders_send(now=dt.datetime(2026, 10, 13, 8, 0, tzinfo=SH))
    assert [(r.clock, r.stage) for r in sent] == [("supervisor", "soon")]
    assert Notification.objects.filter(user=reviewer, text__startswith="即将到期").count() == 1
    assert mail.outbox[-1].to == ["rev@example.cn"]
