"""The enterprise's outbox against a real collector (this soegov's own endpoint, served on 127.0.0.1): sent,
receipt kept and shown; retried with backoff while the collector is down or busy; a refusal never retried."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.collector import sending
from soegov.collector.credentials import key_revoke
from soegov.collector.models import OutboxPackage
from soegov.exchange.exports import regulation_create
from tests.collector.reporting import report_to
from tests.collector.stand_in import BusyCollector
from tests.factories import PDF, EnterpriseFactory, UserFactory
from tests.jobs.stack import free_port
from tests.querycount import queries

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/api/v1/exchange/collector/packages"


@pytest.fixture
def reporter(live_server: Any, settings: Any, tmp_path: Path) -> Any:
    """An enterprise's filer whose soegov reports to the collector served by live_server."""
    ent = EnterpriseFactory()
    report_to(settings, tmp_path, ent, live_server.url + PATH)
    settings.SOEGOV_COLLECTOR_RETRY_RAW = "60"
    return UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)


def _regulation(ent: Any, name: str = "党委会议事规则") -> Any:
    return regulation_create(actor=None, enterprise=ent, name=name, approval_date="2026-01-05",
                             effective_date="2026-01-10", audit_flag=True, rate="1/2",
                             vote_mode="赞成票超过应到会成员人数的1/2", formal_name="规则.pdf", formal_data=PDF)


def test_a_reported_regulation_is_accepted_and_its_receipt_shows_on_the_page(client: Any, reporter: Any) -> None:
    reg = _regulation(reporter.enterprise)
    client.force_login(reporter)
    r = client.post(reverse("collector:report_regulation", args=[reg.pk]))
    assert r.status_code == 302
    pkg = OutboxPackage.objects.get()
    assert (pkg.state, pkg.attempts, pkg.receipt["status"]) == ("accepted", 1, "accepted")
    page = client.get(reverse("exchange:regulations")).content.decode()
    assert "已接收" in page and "全部接收" in page and "有关制度：党委会议事规则" in page
    states = [e.after.get("state") for e in AuditEntry.objects.filter(action="collector.outbox_state").order_by("id")]
    assert states == ["sending", "accepted"]


def test_while_the_collector_is_down_the_package_waits_with_backoff_then_is_accepted(reporter: Any, settings: Any) -> None:
    from soegov.collector import outbox

    up = settings.SOEGOV_COLLECTOR_URL
    settings.SOEGOV_COLLECTOR_URL = f"http://127.0.0.1:{free_port()}{PATH}"  # nobody listens
    pkg = outbox.report_regulation(actor=reporter, regulation=_regulation(reporter.enterprise))
    pkg.refresh_from_db()
    assert pkg.state == "retrying" and "无法连接" in pkg.last_error
    first_wait = (pkg.next_attempt_at - timezone.now()).total_seconds()
    assert 50 < first_wait <= 60
    assert sending.send_due() == {}  # not due yet
    later = timezone.now() + dt.timedelta(seconds=61)
    assert sending.send_due(now=later) == {"retrying": 1}
    pkg.refresh_from_db()
    assert pkg.attempts == 2 and 110 < (pkg.next_attempt_at - timezone.now()).total_seconds() <= 120  # doubled
    settings.SOEGOV_COLLECTOR_URL = up
    assert sending.send_due(now=timezone.now() + dt.timedelta(seconds=121)) == {"accepted": 1}
    pkg.refresh_from_db()
    assert pkg.state == "accepted" and pkg.attempts == 3 and pkg.receipt["items"][0]["ok"]


@pytest.mark.parametrize(("status", "retry_after", "least"), [(503, "", 50), (429, "300", 290)])
def test_a_busy_collector_is_retried_later(reporter: Any, settings: Any, status: int, retry_after: str, least: int) -> None:
    from soegov.collector import outbox

    with BusyCollector(status, retry_after) as busy:
        settings.SOEGOV_COLLECTOR_URL = busy.url
        pkg = outbox.report_regulation(actor=reporter, regulation=_regulation(reporter.enterprise))
    pkg.refresh_from_db()
    assert busy.requests == 1 and pkg.state == "retrying" and f"HTTP {status}" in pkg.last_error
    assert (pkg.next_attempt_at - timezone.now()).total_seconds() > least


def test_a_2xx_that_is_not_this_packages_receipt_is_retried_and_never_shown_as_received(client: Any, reporter: Any,
                                                                                        settings: Any) -> None:
    from soegov.collector import outbox

    with BusyCollector(200) as other:  # some other JSON service at the configured address answers 200
        settings.SOEGOV_COLLECTOR_URL = other.url
        pkg = outbox.report_regulation(actor=reporter, regulation=_regulation(reporter.enterprise))
    pkg.refresh_from_db()
    assert (pkg.state, pkg.receipt, pkg.finished_at) == ("retrying", None, None)
    assert "不是本数据包的回执" in pkg.last_error
    client.force_login(reporter)
    page = client.get(reverse("exchange:regulations")).content.decode()
    assert "重试中" in page and "已接收" not in page


def test_a_refusal_is_kept_with_its_reason_and_never_retried(reporter: Any) -> None:
    from django.conf import settings

    from soegov.collector import outbox

    key_revoke(actor=None, key_id=settings.SOEGOV_COLLECTOR_KEY_ID)
    pkg = outbox.report_regulation(actor=reporter, regulation=_regulation(reporter.enterprise))
    pkg.refresh_from_db()
    assert pkg.state == "rejected" and pkg.receipt["http_status"] == 401 and "吊销" in pkg.receipt["message"]
    assert sending.send_due(now=timezone.now() + dt.timedelta(days=30)) == {}


def test_the_outbox_on_the_page_costs_the_same_queries_at_ten_times_the_rows(client: Any, reporter: Any) -> None:
    from soegov.collector.models import OutboxState

    ent = reporter.enterprise
    client.force_login(reporter)

    def add(n: int) -> None:
        for i in range(n):
            OutboxPackage.objects.create(enterprise=ent, file_name=f"{ent.uscc}_0005_1000_20261120.zip",
                                         sha256="0" * 64, size=1, source=f"制度 {i}", state=OutboxState.RETRYING,
                                         attempts=1, next_attempt_at=timezone.now(), last_error="无法连接")

    url = reverse("exchange:regulations")
    add(3)
    few = queries(client, url)
    add(27)
    assert queries(client, url) == few


def test_a_record_reported_again_goes_as_an_edit_and_is_not_queued_twice_while_waiting(reporter: Any, settings: Any) -> None:
    from soegov.collector import outbox
    from soegov.collector.error_codes import CollectorError
    from soegov.core.errors import SoegovError
    from soegov.exchange.models import ReceivedRegulation

    reg = _regulation(reporter.enterprise)
    first = outbox.report_regulation(actor=reporter, regulation=reg)
    again = outbox.report_regulation(actor=reporter, regulation=reg)
    first.refresh_from_db()
    again.refresh_from_db()
    assert (first.state, again.state) == ("accepted", "accepted"), again.receipt
    assert "修改" in again.receipt["items"][0]["message"]
    assert ReceivedRegulation.objects.filter(active=True).count() == 1
    settings.SOEGOV_COLLECTOR_URL = f"http://127.0.0.1:{free_port()}{PATH}"
    assert outbox.report_regulation(actor=reporter, regulation=reg).state == "pending"
    with pytest.raises(SoegovError) as refused:
        outbox.report_regulation(actor=reporter, regulation=reg)
    assert refused.value.code == CollectorError.WAITING and "重试中" in refused.value.message


def test_a_package_left_sending_by_a_dead_worker_is_sent_again_once_and_imported_once(reporter: Any) -> None:
    from soegov.collector import outbox
    from soegov.collector.models import CollectorReceipt, OutboxState
    from soegov.exchange.models import ReceivedRegulation

    pkg = outbox.report_regulation(actor=reporter, regulation=_regulation(reporter.enterprise))
    pkg.refresh_from_db()
    assert pkg.state == "accepted"
    # The worker died after the collector stored the package and before the receipt was recorded here.
    OutboxPackage.objects.filter(pk=pkg.pk).update(state=OutboxState.SENDING, receipt=None,
                                                   sending_since=timezone.now() - dt.timedelta(seconds=30))
    assert sending.send_due() == {}  # another worker may still be sending it
    later = timezone.now() + dt.timedelta(seconds=sending.timeout() + 61)
    assert sending.send_due(now=later) == {"accepted": 1}
    pkg.refresh_from_db()
    assert pkg.receipt["resent"] is True and pkg.attempts == 2
    assert ReceivedRegulation.objects.count() == 1 and CollectorReceipt.objects.count() == 1
