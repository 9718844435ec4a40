"""End to end with two real soegov deployments on 127.0.0.1: an enterprise's (server and queue worker) and its
supervisor's (server), each with its own database. The enterprise reports a regulation while the supervisor is
down, the package waits and is retried, the supervisor comes up and imports it, the receipt comes back and
shows on the enterprise's 数据报送 page; a package changed after signing is refused. Then a meeting closed on
the enterprise's side reaches the supervisor with nobody pressing 报送: the scheduler starts the automatic
reporting, the worker runs it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import requests

from soegov.collector import signing
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from tests.collector.conftest import DAY, URL
from tests.deploy.http import login
from tests.exchange import samples
from tests.factories import PASSWORD, uscc
from tests.jobs.stack import Stack, free_port, require_redis

USCC = uscc(4242)
# Both sides in a jurisdiction whose pack has meeting rules (xundian-2020), as the meeting below needs.
SUPERVISOR = ("import json; from tests.factories import EnterpriseFactory, JurisdictionFactory; "
              f"j = JurisdictionFactory(code='xd', policy_packs=['xundian-2020']); EnterpriseFactory(uscc='{USCC}', name='寻甸县城投公司', jurisdiction=j); "
              "print(json.dumps(1))")
ENTERPRISE = ("import json; from tests.factories import PDF, EnterpriseFactory, JurisdictionFactory, UserFactory; "
              "from soegov.exchange.exports import regulation_create; "
              f"e = EnterpriseFactory(uscc='{USCC}', name='寻甸县城投公司', "
              "jurisdiction=JurisdictionFactory(code='xd', policy_packs=['xundian-2020'])); "
              "UserFactory(username='filer1', role='enterprise_filer', enterprise=e); "
              "r = regulation_create(actor=None, enterprise=e, name='党委会议事规则', approval_date='2026-01-05', "
              "effective_date='2026-01-10', audit_flag=True, rate='1/2', vote_mode='赞成票超过应到会成员人数的1/2', "
              "formal_name='规则.pdf', formal_data=PDF); print(json.dumps(r.pk))")
# A meeting of the enterprise held, voted and closed through the meetings app's own services.
CLOSE_MEETING = ("import json; from soegov.enterprises.models import Enterprise; "
                 "from tests.followup.factories import NAMES, decided_item; from tests.meetings.factories import make_body; "
                 f"item = decided_item(make_body(Enterprise.objects.get(uscc='{USCC}'), names=NAMES), title='购置检测设备'); "
                 "print(json.dumps(item.meeting.title))")
AUTO = "collector.autoreport"


def _state(st: Stack) -> str:
    rows = st.sql("SELECT state FROM collector_outboxpackage")
    return str(rows[0][0]) if rows else ""


def _post_form(s: Any, base: str, page: str, action: str) -> Any:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', s.get(f"{base}{page}", timeout=60).text)
    assert token
    return s.post(f"{base}{action}", data={"csrfmiddlewaretoken": token.group(1)},
                  headers={"Referer": f"{base}{page}"}, timeout=60)


def test_an_enterprise_reports_to_its_supervisor_through_an_outage(tmp_path: Path) -> None:
    require_redis()
    for side in ("supervisor", "enterprise"):
        (tmp_path / side).mkdir()
    sup = Stack(tmp_path / "supervisor")
    sup_port, ent_port = free_port(), free_port()
    key_file = tmp_path / "collector.key"
    ent = Stack(tmp_path / "enterprise", SOEGOV_COLLECTOR_URL=f"http://127.0.0.1:{sup_port}{URL}",
                SOEGOV_COLLECTOR_KEY_FILE=str(key_file), SOEGOV_COLLECTOR_RETRY_SECONDS="3",
                # Capped, so however long the supervisor takes to start under load the next try is soon after.
                SOEGOV_COLLECTOR_RETRY_MAX_SECONDS="10")
    try:
        sup.migrate()
        sup.shell(SUPERVISOR)
        issued = sup.run("collector", "key", "issue", "--uscc", USCC, "--out", str(key_file)).stdout
        key_id = re.search(r"SOEGOV_COLLECTOR_KEY_ID=(\S+)", issued)
        assert key_id and oct(key_file.stat().st_mode & 0o777) == "0o600", issued
        ent.env["SOEGOV_COLLECTOR_KEY_ID"] = key_id.group(1)
        ent.migrate()
        reg = ent.shell(ENTERPRISE)
        ent.start("serve", "--port", str(ent_port), log="serve", ready="服务地址")
        ent.start("worker", "--concurrency=1", log="worker", ready="ready.")
        base = f"http://127.0.0.1:{ent_port}"
        s = login(base, "filer1", PASSWORD)

        # The supervisor is down: the package is kept and waits for its next try.
        r = _post_form(s, base, "/exchange/regulations/", f"/collector/report/regulations/{reg}/")
        assert r.status_code == 200 and "已加入报送队列" in r.text
        ent.wait_for(lambda: _state(ent) == "retrying", 90, "the package did not wait for a retry",
                     log=tmp_path / "enterprise" / "worker.log")
        # (Read until a moment between two tries: the worker keeps trying every few seconds.)
        page = ent.wait_for(lambda: (lambda t: t if ">重试中</span>" in t else "")(
            s.get(f"{base}/exchange/regulations/", timeout=60).text), 60, "the page did not show 重试中")
        assert "无法连接国资委采集端" in page and "下次尝试" in page

        # The supervisor comes up: the next try (queued at the backoff's time) delivers it.
        sup.start("serve", "--port", str(sup_port), log="serve", ready="服务地址")
        ent.wait_for(lambda: _state(ent) == "accepted", 180, "the package was not accepted",
                     log=tmp_path / "enterprise" / "worker.log")
        page = s.get(f"{base}/exchange/regulations/", timeout=60).text
        assert ">已接收</span>" in page and "全部接收" in page and ">重试中</span>" not in page
        assert sup.sql("SELECT COUNT(*) FROM exchange_receivedregulation WHERE active = ?", (True,))[0][0] == 1
        [(status, package_id)] = sup.sql("SELECT status, package_id FROM collector_collectorreceipt")
        sent = ent.sql("SELECT package_id FROM collector_outboxpackage")[0][0]
        assert status == "accepted" and uuid.UUID(package_id) == uuid.UUID(str(sent))

        # A package changed after it was signed is refused, and nothing of it is stored.
        record = samples.regulation(rate="2/3")
        name = rec.zip_name(rec.kind_of(record), DAY, USCC)
        body = p.build_zip(record, DAY)
        headers = signing.sign_headers(key_id=key_id.group(1), private_key=signing.read_key_file(key_file),
                                       package_id=str(uuid.uuid4()), file_name=name, body=body)
        tampered = requests.post(f"http://127.0.0.1:{sup_port}{URL}", data=body + b"\0", headers=headers, timeout=60)
        assert tampered.status_code == 401 and tampered.json()["error"]["code"] == "bad_signature"
        assert sup.sql("SELECT COUNT(*) FROM exchange_receivedpackage")[0][0] == 1

        # A meeting is closed on the enterprise's side; nobody presses 报送. The scheduler (every 3 s here) starts
        # the automatic reporting and the worker runs it: the meeting reaches the supervisor by itself.
        title = ent.shell(CLOSE_MEETING)
        ent.start("scheduler", log="scheduler", ready="beat: Starting", SOEGOV_SCHEDULE_MINUTES=f"{AUTO}=0.05")
        auto = "SELECT record, state FROM collector_outboxpackage WHERE created_by_id IS NULL ORDER BY id"
        done = [("items", "accepted"), ("meeting", "accepted")]
        ent.wait_for(lambda: [(r.partition(":")[0], st) for r, st in ent.sql(auto)] == done, 180,
                     "the closed meeting was not reported by itself", log=tmp_path / "enterprise" / "worker.log")
        assert sup.sql("SELECT COUNT(*) FROM exchange_receivedmeeting WHERE name = ? AND active = ?",
                       (title, True))[0][0] == 1
        # The regulation, already received and unchanged, is not sent again; the queueing is the system's.
        assert ent.sql("SELECT COUNT(*) FROM collector_outboxpackage WHERE record LIKE ?", ("regulation:%",))[0][0] == 1
        assert ent.sql("SELECT actor_name FROM audit_auditentry WHERE action = ? AND actor_id IS NULL",
                       ("collector.outbox_add",)) == [("系统（自动报送）",)] * 2
        page = s.get(f"{base}/exchange/regulations/", timeout=60).text
        assert "自动报送已开启" in page and "下次自动报送约在" in page and f"会议决策：{title}" in page
    finally:
        ent.close()
        sup.close()
