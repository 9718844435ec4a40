"""Response schemas of the registry endpoints."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class JurisdictionOut(Schema):
    id: int
    code: str
    name: str
    supervisor: str
    policy_packs: list[str]


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    level: int
    ownership: str
    status: str
    parent_id: int | None
    jurisdiction_id: int


class MemberOut(Schema):
    id: int
    name: str
    role: str
    is_principal: bool
    voting: bool
    term_start: dt.date | None
    term_end: dt.date | None


class BodyOut(Schema):
    id: int
    enterprise_id: int
    kind: str
    name: str
    members: list[MemberOut]


class EnterpriseIn(Schema):
    jurisdiction_id: int
    parent_id: int | None = None
    name: str
    uscc: str
    ownership: str
    status: str = "active"


class BodyIn(Schema):
    kind: str
    name: str = ""


class MemberIn(Schema):
    name: str
    role: str = "member"
    is_principal: bool = False
    voting: bool = True
    term_start: str | None = None
    term_end: str | None = None
