"""The leaders pages: the route shown, steps posted with uploads, personal pages refused and audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.leaders.models import Appointment, Leader
from tests.factories import UserFactory
from tests.leaders.factories import PDF, leader, personnel_item, reviewer, tree

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_walk_an_appointment() -> None:
    t = tree()
    rev = reviewer(t["j"])
    c = _client(rev)
    page = c.get("/leaders/").content.decode()
    assert "伊宁市测试二级公司" in page and "上级集团党组织提出" in page
    page = c.get(f"/leaders/enterprise/{t['l2'].pk}/").content.decode()
    assert "报组织（人事）部门备案" in page
    r = c.post(f"/leaders/enterprise/{t['l2'].pk}/act/appoint/", {"kind": "appoint", "person_name": "钱七",
                                                                 "post": "general_manager", "term_start": "2025-04-01"})
    appt = Appointment.objects.get()
    assert r.status_code == 302 and r.url == f"/leaders/appointments/{appt.pk}/"
    for _ in appt.steps[:-1]:
        r = c.post(f"/leaders/appointments/{appt.pk}/act/step/", {
            "title": "文件", "decided_on": "2025-03-01", "file": SimpleUploadedFile("x.pdf", PDF)}, follow=True)
        assert "已登记该步骤" in r.content.decode()
    hands = personnel_item(t["l1"], voting_method="show_of_hands")
    r = c.post(f"/leaders/appointments/{appt.pk}/act/step/", {
        "title": "决定", "decided_on": "2025-03-02", "agenda_item": hands.pk, "file": SimpleUploadedFile("x.pdf", PDF)},
        follow=True)
    assert "人事任免议题未采取投票表决" in r.content.decode()
    ballot = personnel_item(t["l2"])
    r = c.post(f"/leaders/appointments/{appt.pk}/act/step/", {
        "title": "决定", "decided_on": "2025-03-02", "agenda_item": ballot.pk, "file": SimpleUploadedFile("x.pdf", PDF)},
        follow=True)
    assert "任免程序已完成" in r.content.decode()
    assert Leader.objects.filter(name="钱七", post="general_manager", active=True).exists()


def test_upload_typed_by_content() -> None:
    t = tree()
    c = _client(reviewer(t["j"]))
    c.post(f"/leaders/enterprise/{t['l1'].pk}/act/appoint/", {"kind": "appoint", "person_name": "王五", "post": "chair"})
    appt = Appointment.objects.get()
    r = c.post(f"/leaders/appointments/{appt.pk}/act/step/", {
        "title": "文件", "decided_on": "2025-03-01", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf")}, follow=True)
    assert "无法从文件内容识别类型" in r.content.decode() or "可执行程序" in r.content.decode()
    assert appt.done_steps.count() == 0


def test_personal_page_refused_and_audited() -> None:
    t = tree()
    gm = leader(t["l2"], "张三")
    assert _client(reviewer(t["j"])).get(f"/leaders/{gm.pk}/").status_code == 200
    assert f'href="/leaders/{gm.pk}/"' in _client(reviewer(t["j"])).get(f"/leaders/enterprise/{t['l2'].pk}/").content.decode()
    page = _client(reviewer(t["j"], entitled=False)).get(f"/leaders/enterprise/{t['l2'].pk}/").content.decode()
    assert "张三" in page and f'href="/leaders/{gm.pk}/"' not in page
    for user in (reviewer(t["j"], entitled=False), UserFactory(role=Role.ENTERPRISE_FILER, enterprise=t["l1"])):
        assert _client(user).get(f"/leaders/{gm.pk}/").status_code == 403
        assert AuditEntry.objects.filter(action="access.denied", actor=user, object_id=str(gm.pk)).exists()
    outsider = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=tree()["l1"])
    assert _client(outsider).get(f"/leaders/{gm.pk}/").status_code == 404
