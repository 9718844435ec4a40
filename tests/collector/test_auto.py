"""The automatic reporting (collector.auto, the periodic job `collector.autoreport`), run as the scheduler runs
it (`jobs.services.periodic_run`), against this soegov's own collector served on 127.0.0.1: what nobody pressed
报送 for reaches the collector, once, and what changes goes again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.collector import auto, outbox
from soegov.collector.env import AUTO_KIND
from soegov.collector.models import OutboxPackage
from soegov.exchange.exports import regulation_create
from soegov.exchange.models import ReceivedMeeting, Regulation
from soegov.jobs.models import Job
from soegov.jobs.services import periodic_run
from soegov.meetings import decision_lists
from soegov.meetings.models import Topic
from tests.collector.reporting import report_to
from tests.factories import PDF, UserFactory
from tests.followup.factories import decided_item
from tests.jobs.stack import free_port
from tests.meetings.factories import xundian_enterprise

PATH = "/api/v1/exchange/collector/packages"


def _run() -> Job:
    """One run of the periodic job, as the worker's scheduler task starts it; the job with its result."""
    assert periodic_run(AUTO_KIND) == "succeeded"
    return Job.objects.filter(kind=AUTO_KIND).order_by("-id").first()  # type: ignore[return-value]


def _records() -> list[tuple[str, str]]:
    return list(OutboxPackage.objects.order_by("id").values_list("record", "state"))


def _regulation(ent: Any) -> Regulation:
    return regulation_create(actor=None, enterprise=ent, name="党委会议事规则", approval_date="2026-01-05",
                             effective_date="2026-01-10", audit_flag=True, rate="1/2",
                             vote_mode="赞成票超过应到会成员人数的1/2", formal_name="规则.pdf", formal_data=PDF)


@pytest.mark.django_db(transaction=True)
def test_a_closed_meeting_reaches_the_collector_once_by_itself_and_again_as_an_edit_when_reported_again(
        live_server: Any, settings: Any, tmp_path: Path) -> None:
    item = decided_item()
    meeting = item.meeting
    report_to(settings, tmp_path, meeting.enterprise, live_server.url + PATH)
    key = f"meeting:{meeting.pk}"

    job = _run()
    # The decision list first, then the meeting: the supervisor checks a meeting against the items it holds.
    assert _records() == [("items", "accepted"), (key, "accepted")], job.result
    assert f"会议“{meeting.title}”" in job.result["message"] and job.result["accepted"] == 2
    assert ReceivedMeeting.objects.filter(active=True, name=meeting.title).count() == 1
    added = AuditEntry.objects.filter(action="collector.outbox_add").order_by("id")
    assert [(e.actor_id, e.actor_name, e.after["auto"]) for e in added] == [(None, "系统（自动报送）", True)] * 2

    # The next run finds nothing new: the meeting is not queued again, nor the unchanged list.
    job = _run()
    assert len(_records()) == 2 and job.result["queued"] == [] and "没有待发送的数据包" in job.result["message"]

    # Reported again by hand (a correction), it goes as an edit and replaces what the collector holds.
    secretary = UserFactory(role=Role.SECRETARY, enterprise=meeting.enterprise)
    again = outbox.report_meeting(actor=secretary, meeting=meeting)
    again.refresh_from_db()
    assert again.state == "accepted" and "修改" in again.receipt["items"][0]["message"], again.receipt
    assert ReceivedMeeting.objects.filter(active=True, name=meeting.title).count() == 1
    assert _run().result["queued"] == []


@pytest.mark.django_db(transaction=True)
def test_a_regulation_and_the_list_go_again_only_once_changed_and_never_while_one_waits(
        live_server: Any, settings: Any, tmp_path: Path) -> None:
    ent = xundian_enterprise()
    reg = _regulation(ent)
    report_to(settings, tmp_path, ent, f"http://127.0.0.1:{free_port()}{PATH}")  # the collector is down
    reg_key = f"regulation:{reg.sid}"

    job = _run()
    assert _records() == [("items", "retrying"), (reg_key, "retrying")], job.result
    # Changed while its package waits: not queued twice (the two could arrive out of order), not an error.
    Regulation.objects.filter(pk=reg.pk).update(rate="2/3")
    job = _run()
    assert len(_records()) == 2 and job.result["waiting"] == ["制度“党委会议事规则”"] and not job.result["refused"]
    assert "尚未收到回执" in job.result["message"]

    # The collector comes back: the waiting packages go; the change then goes as an edit on the next run.
    settings.SOEGOV_COLLECTOR_URL = live_server.url + PATH
    OutboxPackage.objects.update(next_attempt_at=timezone.now())
    job = _run()
    assert _records() == [("items", "accepted"), (reg_key, "accepted")], job.result
    job = _run()
    assert _records() == [("items", "accepted"), (reg_key, "accepted"), (reg_key, "accepted")], job.result
    last = OutboxPackage.objects.filter(record=reg_key).latest("id")
    assert "修改" in last.receipt["items"][0]["message"]
    assert _run().result["queued"] == []

    # The decision list changes (an item goes to one more body): the list goes again; the regulation is
    # withdrawn: it goes as del.
    dlist = decision_lists.decision_list_create(actor=None, enterprise=ent)
    assert _run().result["queued"] == []  # the list as drafted says what the pack said: nothing new
    decision_lists.decision_list_entry_edit(actor=None, dlist=dlist, rule=dlist.entries[0]["rule"],
                              bodies=["party_committee", "board", "gm_office"])
    Regulation.objects.filter(pk=reg.pk).update(active=False)
    job = _run()
    assert job.result["queued"] == ["事项清单", "制度“党委会议事规则”"], job.result
    assert [s for r, s in _records()] == ["accepted"] * 5
    gone = OutboxPackage.objects.filter(record=reg_key).latest("id")
    assert "删除" in gone.receipt["items"][0]["message"], gone.receipt
    assert _run().result["queued"] == []


@pytest.mark.django_db
def test_a_meeting_the_export_refuses_is_named_with_why_and_the_rest_still_goes(settings: Any, tmp_path: Path) -> None:
    item = decided_item()
    good = decided_item(item.meeting.body, title="改造办公楼")
    # A defect the 0006 schema refuses (a subject must have a name).
    Topic.objects.filter(pk=item.topic_id).update(title="")
    report_to(settings, tmp_path, item.meeting.enterprise, f"http://127.0.0.1:{free_port()}{PATH}")

    found = auto.queue_due()
    assert found.queued == ["事项清单", f"会议“{good.meeting.title}”"]
    [refused] = found.refused
    assert refused.startswith(f"会议“{item.meeting.title}”：") and "subject_name" in refused
    assert not OutboxPackage.objects.filter(record=f"meeting:{item.meeting.pk}").exists()
    assert f"未能报送：会议“{item.meeting.title}”" in found.said()


@pytest.mark.django_db
def test_nothing_is_queued_where_no_collector_is_configured_or_the_automatic_reporting_is_off(
        settings: Any, tmp_path: Path) -> None:
    item = decided_item()
    assert _run().result["message"] == "未配置国资委采集端，未自动报送"
    report_to(settings, tmp_path, item.meeting.enterprise, f"http://127.0.0.1:{free_port()}{PATH}")
    settings.SOEGOV_COLLECTOR_AUTO_RAW = "0"
    assert _run().result["message"] == "已关闭自动报送（SOEGOV_COLLECTOR_AUTO=0），未加入报送队列"
    assert not OutboxPackage.objects.exists()


@pytest.mark.django_db
def test_a_key_of_an_enterprise_not_in_the_registry_is_said(settings: Any, tmp_path: Path) -> None:
    report_to(settings, tmp_path, xundian_enterprise(), f"http://127.0.0.1:{free_port()}{PATH}")
    settings.SOEGOV_COLLECTOR_KEY_ID = "91530000MA6K0000XX-0a1b2c3d"
    found = auto.queue_due()
    assert found.refused == ["本系统的企业名录中没有统一社会信用代码为 91530000MA6K0000XX 的企业"
                             "（报送密钥 91530000MA6K0000XX-0a1b2c3d 的企业）"]
    assert not OutboxPackage.objects.exists()


@pytest.mark.django_db
def test_the_page_says_packages_are_queued_by_themselves_and_when_next(client: Any, settings: Any,
                                                                      tmp_path: Path) -> None:
    ent = xundian_enterprise()
    report_to(settings, tmp_path, ent, f"http://127.0.0.1:{free_port()}{PATH}")
    settings.SOEGOV_SCHEDULE_MINUTES = {**settings.SOEGOV_SCHEDULE_MINUTES, AUTO_KIND: 30.0}
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent))
    url = reverse("exchange:regulations")
    page = client.get(url).content.decode()
    assert "自动报送已开启" in page and "每 30 分钟" in page and "首次自动报送在定时调度启动后 30 分钟内" in page
    job = _run()
    page = client.get(url).content.decode()
    next_at = timezone.localtime(job.created_at + dt.timedelta(minutes=30))
    assert f"下次自动报送约在 {next_at:%Y-%m-%d %H:%M}" in page
    assert "上次自动报送" in page and "已自动加入报送队列 1 个数据包（事项清单）" in page
    # No run since long before the next one was due: the scheduler is not running, and the page says so.
    Job.objects.filter(pk=job.pk).update(created_at=job.created_at - dt.timedelta(hours=2))
    assert "但尚未运行：请确认定时调度在运行" in client.get(url).content.decode()
    settings.SOEGOV_COLLECTOR_AUTO_RAW = "0"
    page = client.get(url).content.decode()
    assert "自动报送未开启" in page and "下次自动报送" not in page
