"""HR sync: people, leader posts and body memberships from CSV, .xlsx, JSON or an HTTP source; previews that
change nothing, all-or-nothing applies, reports of who joined, left and moved, the audit, and roles untouched."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.cli import main
from soegov.core.errors import InputError
from soegov.enterprises.models import BodyMember, DecisionBody
from soegov.enterprises.xlsx import ImportFailed
from soegov.hrsync import jobs, services, sources
from soegov.hrsync.models import HrPerson, RunStatus, SyncRun
from soegov.leaders.models import Leader
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 1)
HEADER = "工号,姓名,所在企业,账号,状态,任职企业,职务,决策机构,机构职务,主要负责人,表决权,任期开始,任期结束"


@pytest.fixture
def group():  # type: ignore[no-untyped-def]
    a = EnterpriseFactory(name="甲集团有限公司")
    b = EnterpriseFactory(name="乙公司", parent=a)
    return a, b


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def _first(a, b) -> bytes:  # type: ignore[no-untyped-def]
    return _csv(
        f"E1,张伟,{a.uscc},zw,在职,,总经理,总经理办公会,总经理,是,是,2024-01-01,",
        f"E1,张伟,{a.uscc},zw,在职,,,党委（党工委）会,委员/成员,否,是,2024-01-01,",
        f"E2,李娜,{a.uscc},,在职,,总会计师（财务负责人）,,,,,2023-05-01,",
        f"E3,王芳,{b.uscc},,在职,,董事长,董事会,董事长,是,是,2022-03-01,",
    )


def _apply(data: bytes, name: str = "hr.csv", as_of: dt.date = AS_OF, dry_run: bool = False) -> SyncRun:
    ds = sources.dataset_from_bytes(data, name, as_of=as_of)
    return services.sync_run(actor=UserFactory(role=Role.SYSTEM_ADMIN), dataset=ds, source=name, dry_run=dry_run)


def test_a_preview_reports_everything_and_changes_nothing(group) -> None:  # type: ignore[no-untyped-def]
    a, b = group
    audit_before = AuditEntry.objects.count()
    run = _apply(_first(a, b), dry_run=True)
    assert run.status == RunStatus.PREVIEWED
    counts = run.report["counts"]
    assert (counts["joined"], counts["posts_started"], counts["members_added"], counts["bodies_created"]) == (3, 3, 3, 3)
    assert not Leader.objects.exists() and not BodyMember.objects.exists() and not HrPerson.objects.exists()
    assert not DecisionBody.objects.exists()
    # Only the preview itself is recorded and audited.
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)[audit_before:]) == ["hrsync.preview"]


def test_applying_the_preview_makes_exactly_those_changes(group) -> None:  # type: ignore[no-untyped-def]
    a, b = group
    account = UserFactory(username="zw", enterprise=a, role=Role.SECRETARY, full_name="张 伟")
    preview = _apply(_first(a, b), dry_run=True)
    applied = services.apply_preview(actor=UserFactory(role=Role.SYSTEM_ADMIN), run=preview)
    assert applied.status == RunStatus.APPLIED and applied.report["counts"] == preview.report["counts"] | {
        "accounts_renamed": 1}
    preview.refresh_from_db()
    assert preview.status == RunStatus.SUPERSEDED
    assert set(Leader.objects.values_list("name", "post", "active")) == {
        ("张伟", "general_manager", True), ("李娜", "chief_accountant", True), ("王芳", "chair", True)}
    principal = BodyMember.objects.get(body__enterprise=b, body__kind="board")
    assert (principal.name, principal.is_principal, principal.role) == ("王芳", True, "chair")
    account.refresh_from_db()
    assert account.full_name == "张伟" and account.role == Role.SECRETARY and account.enterprise == a
    assert BodyMember.objects.get(name="张伟", body__kind="gm_office").user == account
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"leaders.leader_create", "member.add", "body.create", "hrsync.person_create", "user.rename",
            "hrsync.apply"} <= actions
    # Applying the same data again changes nothing.
    again = _apply(_first(a, b))
    assert not any(v for k, v in again.report["counts"].items())
    with pytest.raises(InputError):
        services.apply_preview(actor=None, run=preview)


def test_joined_left_moved_and_ended_are_reported_and_accounts_left_to_the_administrator(group) -> None:  # type: ignore[no-untyped-def]
    a, b = group
    account = UserFactory(username="zw", enterprise=a, role=Role.ENTERPRISE_LEADER)
    _apply(_first(a, b), as_of=dt.date(2026, 10, 1))
    later = _csv(
        f"E1,张伟,{b.uscc},zw,在职,,总经理,,,,,2026-11-01,",          # moved to 乙: 甲's GM post and seats end
        f"E3,王芳,{b.uscc},,离职,,,,,,,,",                            # left
        f"E4,赵敏,{a.uscc},,在职,,总经理,总经理办公会,总经理,是,是,2026-11-01,",  # joined
    )                                                                # 李娜 (E2) is no longer in the file
    run = _apply(later)
    items = run.report["items"]
    assert items["joined"] == [f"赵敏（E4），{a.name}"]
    assert items["moved"] == [f"张伟（E1）：{a.name} → {b.name}"]
    assert sorted(items["left"]) == sorted([f"王芳（E3），{b.name}", f"李娜（E2），{a.name}（人事系统中已无此人）"])
    assert len(items["posts_ended"]) == 3 and len(items["members_ended"]) == 3
    assert items["accounts_to_review"] == [f"张伟（E1）已调至{b.name}，账号 zw 仍为启用状态"]
    gm_a = Leader.objects.get(enterprise=a, name="张伟")
    assert (gm_a.active, gm_a.term_end) == (False, dt.date(2026, 10, 31))
    assert Leader.objects.get(enterprise=b, name="张伟", active=True).post == "general_manager"
    seat = BodyMember.objects.get(name="王芳")
    assert seat.term_end == dt.date(2026, 10, 31)
    # Two principals of one body never meet: 张伟's seat ended before 赵敏's began.
    assert BodyMember.objects.get(name="赵敏").is_principal
    account.refresh_from_db()
    assert account.is_active and account.enterprise == a and account.role == Role.ENTERPRISE_LEADER


def test_an_existing_leader_record_is_adopted_not_duplicated(group) -> None:  # type: ignore[no-untyped-def]
    from soegov.leaders.records import leader_create

    a, b = group
    existing = leader_create(actor=None, enterprise=a, name="李娜", post="chief_accountant",
                             term_start=dt.date(2023, 5, 1))
    _apply(_first(a, b))
    assert Leader.objects.filter(name="李娜").get() == existing


def test_every_bad_row_is_named_and_nothing_is_applied(group) -> None:  # type: ignore[no-untyped-def]
    a, b = group
    bad = _csv(
        f"E1,张伟,{a.uscc},,在职,,总经理,,,,,2024-13-01,",
        "E2,李娜,91654002XXXXXXXXXX,,在职,,,,,,,,",
        f"E3,王芳,{b.uscc},,在职,,扫地僧,,,,,,",
        f",无号,{b.uscc},,在职,,,,,,,,",
        f"E5,孙七,{b.uscc},,休假,,,,,,,,",
        f"E6,周八,{b.uscc},,在职,,,董事会,董事,也许,是,,",
        f"E1,张伟,{b.uscc},,在职,,,,,,,,",
        f"E7,吴九,{b.uscc},,在职,,董事长,,,,,2026-01-01,2025-01-01",
        f"E8,郑十,{b.uscc},,在职,,董事长,,,,,99999-01-01,",
    )
    with pytest.raises(ImportFailed) as caught:
        sources.dataset_from_bytes(bad, "hr.csv", as_of=AS_OF)
    got = {(e.row, e.column) for e in caught.value.errors}
    assert got == {(2, "任期开始"), (3, "所在企业"), (4, "职务"), (5, "工号"), (6, "状态"), (7, "主要负责人"),
                   (8, "工号"), (9, "任期结束"), (10, "任期开始")}
    assert not HrPerson.objects.exists()


def test_a_refusal_by_the_registry_rolls_back_the_whole_run(group) -> None:  # type: ignore[no-untyped-def]
    a, _b = group
    two_principals = _csv(
        f"E1,张伟,{a.uscc},,在职,,,董事会,董事长,是,是,,",
        f"E2,李娜,{a.uscc},,在职,,,董事会,董事,是,是,,",
    )
    with pytest.raises(InputError) as caught:
        _apply(two_principals)
    assert "第 3 行（工号 E2）" in caught.value.message and "主要负责人" in caught.value.message
    assert not HrPerson.objects.exists() and not BodyMember.objects.exists()
    failed = SyncRun.objects.get()
    assert failed.status == RunStatus.FAILED and AuditEntry.objects.filter(action="hrsync.failed").exists()


def test_xlsx_and_json_say_the_same_as_csv(group) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    a, b = group
    wb = Workbook()
    for line in _first(a, b).decode().splitlines():
        wb.active.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    from_csv = _apply(_first(a, b), dry_run=True).report
    assert _apply(buf.getvalue(), "hr.xlsx", dry_run=True).report == from_csv
    doc = {"as_of": AS_OF.isoformat(),
           "people": [{"id": "E1", "name": "张伟", "unit": a.uscc, "username": "zw"},
                      {"id": "E2", "name": "李娜", "unit": a.uscc}, {"id": "E3", "name": "王芳", "unit": b.uscc}],
           "posts": [{"person": "E1", "enterprise": a.uscc, "post": "总经理", "start": "2024-01-01"},
                     {"person": "E2", "enterprise": a.uscc, "post": "chief_accountant", "start": "2023-05-01"},
                     {"person": "E3", "enterprise": b.uscc, "post": "董事长", "start": "2022-03-01"}],
           "memberships": [
               {"person": "E1", "enterprise": a.uscc, "body": "总经理办公会", "role": "总经理", "principal": "是",
                "start": "2024-01-01"},
               {"person": "E1", "enterprise": a.uscc, "body": "party_committee", "role": "member",
                "start": "2024-01-01"},
               {"person": "E3", "enterprise": b.uscc, "body": "board", "role": "chair", "principal": True,
                "start": "2022-03-01"}]}
    assert _apply(json.dumps(doc).encode(), "hr.json", dry_run=True).report == from_csv


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"", "hr.csv", "empty"),
    (b"\xff\xfe\x00garbage", "hr.csv", "bad_encoding"),
    (b"a,b\n1,2\n", "hr.csv", "missing_columns"),
    (b"not a zip", "hr.xlsx", "invalid_xlsx"),
    (b"{", "hr.json", "bad_json"),
    (b"[1]", "hr.json", "bad_json"),
    (b'{"people": 3}', "hr.json", "bad_json"),
    (b'{"people": [], "as_of": "2026-02-30"}', "hr.json", "invalid_date"),
])
def test_unreadable_sources_are_clear_refusals(data: bytes, name: str, code: str) -> None:
    with pytest.raises(InputError) as caught:
        sources.dataset_from_bytes(data, name, as_of=AS_OF)
    assert caught.value.code == code


class _HrServer:
    """A local HTTP server playing the HR interface: answers 503 `failures` times, then the document."""

    def __init__(self, body: bytes, failures: int = 0) -> None:
        self.body, self.failures, self.calls = body, failures, 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.calls += 1
                if outer.calls <= outer.failures:
                    self.send_response(503)
                    self.end_headers()
                    return
                assert self.headers.get("Authorization") == "Bearer t0ken"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hr/people.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hr_server(group) -> Iterator[_HrServer]:  # type: ignore[no-untyped-def]
    a, _b = group
    doc = {"people": [{"id": "E1", "name": "张伟", "unit": a.uscc}],
           "posts": [{"person": "E1", "enterprise": a.uscc, "post": "总经理"}]}
    server = _HrServer(json.dumps(doc).encode())
    yield server
    server.close()


def test_the_scheduled_sync_reads_the_interface_with_retries(settings, hr_server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("time.sleep", lambda s: None)
    settings.SOEGOV_HRSYNC_URL, settings.SOEGOV_HRSYNC_TOKEN = hr_server.url, "t0ken"
    hr_server.failures = 2
    run = jobs.run_scheduled_sync()
    assert run.status == RunStatus.APPLIED and hr_server.calls == 3 and run.trigger == "schedule"
    assert Leader.objects.get().name == "张伟"


def test_an_interface_that_stays_down_changes_nothing_and_is_recorded(settings, hr_server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("time.sleep", lambda s: None)
    settings.SOEGOV_HRSYNC_URL, settings.SOEGOV_HRSYNC_TOKEN = hr_server.url, "t0ken"
    hr_server.failures = 99
    run = jobs.run_scheduled_sync()
    assert run.status == RunStatus.FAILED and "连续 3 次无法读取" in run.error and "HTTP 503" in run.error
    assert not HrPerson.objects.exists()
    assert AuditEntry.objects.filter(action="hrsync.failed").exists()


def test_the_command_line(group, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = group
    path = tmp_path / "hr.csv"
    path.write_bytes(_first(a, b))
    assert main(["hrsync", "run", str(path), "--dry-run", "--as-of", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    assert "预览（未修改任何数据）" in out and "新入职（人事系统新增人员）：3" in out
    assert not Leader.objects.exists()
    assert main(["hrsync", "run", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "applied"
    assert main(["hrsync", "run", str(tmp_path / "missing.csv")]) == 2
    assert "无法读取" in capsys.readouterr().err
    assert main(["hrsync", "run", str(path), "--as-of", "2026-02-30"]) == 2
    assert main(["hrsync", "history"]) == 0
    assert "已应用" in capsys.readouterr().out


def test_the_page(client, group) -> None:  # type: ignore[no-untyped-def]
    a, b = group
    client.force_login(UserFactory(role=Role.SECRETARY, enterprise=a))
    assert client.get(reverse("hrsync:index")).status_code == 403
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    assert "人事同步" in client.get(reverse("home")).content.decode()
    bad = io.BytesIO(_csv(f"E1,张伟,{a.uscc},,在职,,扫地僧,,,,,,"))
    bad.name = "hr.csv"
    resp = client.post(reverse("hrsync:index"), {"file": bad})
    assert resp.status_code == 400 and "第 2 行“职务”" in resp.content.decode()
    assert client.post(reverse("hrsync:index"), {}).status_code == 400
    upload = io.BytesIO(_first(a, b))
    upload.name = "hr.csv"
    resp = client.post(reverse("hrsync:index"), {"file": upload})
    assert resp.status_code == 302
    page = client.get(resp["Location"]).content.decode()
    assert "这是预览" in page and "张伟（E1）" in page
    assert not Leader.objects.exists()
    preview = SyncRun.objects.get(status=RunStatus.PREVIEWED)
    resp = client.post(reverse("hrsync:apply", args=[preview.pk]))
    assert resp.status_code == 302 and Leader.objects.count() == 3
    assert client.post(reverse("hrsync:apply", args=[preview.pk]), follow=True).status_code == 200
    assert Leader.objects.count() == 3
    assert client.get(reverse("hrsync:template")).content.decode("utf-8-sig").startswith("工号,姓名,所在企业")


def test_the_history_pages_with_a_constant_number_of_queries(client, group) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b = group
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    client.force_login(admin)
    ds = sources.dataset_from_bytes(_first(a, b), "hr.csv", as_of=AS_OF)

    def runs(n: int) -> None:
        for _ in range(n):
            services.sync_run(actor=admin, dataset=ds, source="hr.csv", dry_run=True)

    runs(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("hrsync:index")).status_code == 200
    runs(55)
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("hrsync:index"))
    assert len(large) == len(small) and "第 1 / 2 页" in page.content.decode()
    # Reading the interface when none is configured is a message, not an error page.
    resp = client.post(reverse("hrsync:index"), {"action": "url"})
    assert resp.status_code == 400 and "SOEGOV_HRSYNC_URL" in resp.content.decode()
    assert client.get(reverse("hrsync:run", args=[999999])).status_code == 404
