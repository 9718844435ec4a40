"""Shared fixtures of the reporting tests: one jurisdiction, a level-1 enterprise, a filer and a reviewer."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from soegov.accounts.roles import Role
from soegov.matters import attachments, editing, lifecycle
from soegov.matters.models import Matter
from tests.factories import PDF, PNG, EnterpriseFactory, JurisdictionFactory, UserFactory  # noqa: F401 (re-exported to the tests here)

SH = ZoneInfo("Asia/Shanghai")
# The smallest bytes each accepted type is recognised by.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00L\x01" + b"\x00" * 200


@pytest.fixture
def enterprise(db: Any) -> Any:
    return EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"]),
                             name="伊宁市城市建设投资集团有限公司", ownership="sole")


@pytest.fixture
def filer(enterprise: Any) -> Any:
    return UserFactory(role=Role.ENTERPRISE_FILER, enterprise=enterprise, email="filer@example.cn", full_name="马晓东")


@pytest.fixture
def reviewer(enterprise: Any) -> Any:
    return UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=enterprise.jurisdiction, email="rev@example.cn",
                       full_name="周文斌")


@pytest.fixture(autouse=True)
def _uploads(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(tmp_path / "data"))


# (type, amount, attributes) per route of yining-2024
APPROVAL_SASAC = ("donation", "100000", {})
APPROVAL_CITY = ("asset_transfer", "5000000", {})
POST_FILING = ("mid_level_appointment", None, {})
PROHIBITED = ("guarantee", "1000000", {"counterparty_equity_related": False, "guarantee_company": False})


def make_matter(actor: Any, enterprise: Any, kind: tuple[str, str | None, dict[str, Any]] = APPROVAL_SASAC,
                **extra: Any) -> Matter:
    matter_type, amount, attributes = kind
    extra.setdefault("date_confirmed", True)  # a fixed date, so the tests read the same on any day
    return editing.matter_create(actor=actor, enterprise=enterprise, matter_type=matter_type, title="测试事项",
                                 amount=amount, attributes=dict(attributes), occurred_on=dt.date(2026, 3, 2),
                                 description="说明", **extra)


def attach_all(actor: Any, matter: Matter) -> Matter:
    for code in lifecycle.missing_attachments(matter):
        attachments.attachment_upload(actor=actor, matter=matter, kind=code, name=f"{code}.pdf", data=PDF + code.encode())
    matter.refresh_from_db()
    return matter


def decide(actor: Any, matter: Matter, when: dt.datetime | None = None) -> Matter:
    return editing.matter_record_decision(actor=actor, matter=matter, version=matter.version, body="董事会",
                                          decided_at=when or dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH), summary="同意")


def submitted(filer: Any, enterprise: Any, kind: Any = APPROVAL_SASAC) -> Matter:
    m = attach_all(filer, decide(filer, make_matter(filer, enterprise, kind)))
    return lifecycle.matter_submit(actor=filer, matter=m, version=m.version)
