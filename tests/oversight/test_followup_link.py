"""With the follow-up app: late ratifications and open execution items on the dashboard, each linked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from soegov.accounts.roles import Role
from soegov.followup import services as followup
from soegov.oversight import dashboard, inspections
from tests.factories import JurisdictionFactory, UserFactory
from tests.followup.factories import NAMES, decided_item


def test_late_ratification_and_open_action_rows(db: Any) -> None:
    item = decided_item()
    ent = item.meeting.enterprise
    inspector = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=ent.jurisdiction)
    action = followup.action_create(actor=None, agenda_item=item, title="签订设备采购合同", owner_name="赵经理",
                                    due_date=timezone.localdate() - dt.timedelta(days=1))
    [row] = dashboard.rows(user=inspector, kind="open_actions", enterprise_id=ent.pk)
    assert row["title"] == "签订设备采购合同" and row["note"] == "已逾期" and row["url"] == f"/followup/actions/{action.pk}/"
    ed = followup.emergency_record(actor=None, body=item.meeting.body, title="抢修供水管道", content="先行支付抢修费",
                                   reason="管道爆裂", form="individual", decided_by=NAMES[0],
                                   decided_at=timezone.now() - dt.timedelta(days=30))
    [late] = dashboard.rows(user=inspector, kind="late_ratifications")
    assert late["url"] == f"/followup/emergencies/{ed.pk}/" and "尚未追认" in late["note"]
    counts = {k: n for k, _label, _cite, n in dashboard.dashboard(user=inspector)["kinds"]}
    assert counts["open_actions"] == 1 and counts["late_ratifications"] == 1
    other = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=JurisdictionFactory(code="elsewhere"))
    assert dashboard.rows(user=other, kind="open_actions") == []
    insp = inspections.inspection_generate(actor=inspector, enterprise=ent, year=timezone.localdate().year)
    correction = next(p for p in insp.points if p["code"] == "xd24")
    assert any("签订设备采购合同" in e["text"] for e in correction["evidence"])
