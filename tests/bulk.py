"""Many rows at once, model-valid, for the query-count tests and bench/web.py.

Each row is checked by the model's own field validation (clean_fields) before bulk_create, and its dates
agree with its status as the workflow would leave them (a submitted matter has submitted_at, an answered
one answered_at, …), so lists, clocks and dashboard figures read them as they read real ones.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

SH = ZoneInfo("Asia/Shanghai")
WORDS = ["关于", "处置", "闲置", "厂房", "对外", "捐赠", "转让", "股权", "投资", "项目", "担保", "借款", "采购", "设备",
         "工程", "建设", "改制", "重组", "合作", "开发", "租赁", "土地", "融资", "债券"]
# Matter kinds made once through the services (a real verdict), then copied; the statuses each may reach.
KINDS = [
    (("donation", "100000", {}), ["draft", "decided", "submitted", "under_review", "returned", "approved",
                                  "rejected", "implemented"]),
    (("asset_transfer", "5000000", {}), ["submitted", "forwarded", "approved", "implemented"]),
    (("mid_level_appointment", None, {}), ["draft", "decided", "submitted", "filed", "implemented"]),
    (("guarantee", "1000000", {"counterparty_equity_related": False, "guarantee_company": False}), ["draft"]),
]
BATCH = 2_000


def _valid(obj: Any, exclude: list[str]) -> Any:
    obj.clean_fields(exclude=exclude)
    return obj


def _title(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(4)) + f"事项{n}"


def _templates(enterprise: Any, actor: Any) -> list[tuple[Any, Any, list[str]]]:
    from soegov.matters import editing

    out = []
    for (matter_type, amount, attributes), statuses in KINDS:
        m = editing.matter_create(actor=actor, enterprise=enterprise, matter_type=matter_type, title=_title(random.Random(matter_type), 0),
                                  amount=amount, attributes=dict(attributes), occurred_on=dt.date(2026, 3, 2),
                                  date_confirmed=True)  # a fixed date, the same on any day the tests run
        out.append((m, m.verdicts.first(), statuses))
    return out


def make_matters(enterprises: list[Any], n: int, *, seed: int = 16, actor: Any = None,
                 now: dt.datetime | None = None) -> int:
    """n matters over the enterprises (4 made by the services, the rest copied from them with their verdict and
    a history event, at statuses along the workflow); returns how many were made."""
    from soegov.matters.models import Event, Matter, Verdict

    rng = random.Random(seed)
    now = now or timezone.now()
    templates = _templates(enterprises[0], actor)
    made = len(templates)
    while made < n:
        matters, rulings = [], []
        for i in range(made, min(made + BATCH, n)):
            t, verdict, statuses = templates[i % len(templates)]
            status = statuses[(i // len(templates)) % len(statuses)]
            created = now - dt.timedelta(days=rng.randint(1, 700), minutes=rng.randint(0, 1440))
            occurred = timezone.localtime(created).date()
            decided = created + dt.timedelta(days=1) if status != "draft" else None
            submitted = created + dt.timedelta(days=3) if status not in ("draft", "decided") else None
            due = decided + dt.timedelta(days=10) if decided and t.route != "internal" else None
            review_due = submitted + dt.timedelta(days=7) if submitted and t.authority == "sasac" else None
            answered = (submitted + dt.timedelta(days=rng.randint(2, 9))
                        if submitted and status in ("approved", "filed", "implemented", "rejected") else None)
            m = Matter(
                enterprise=enterprises[i % len(enterprises)], policy=t.policy, matter_type=t.matter_type,
                title=_title(rng, i), amount=t.amount, attributes=t.attributes, occurred_on=occurred,
                status=status, route=t.route, authority=t.authority, via=t.via, citation=t.citation,
                required_attachments=t.required_attachments, needs_collective_decision=t.needs_collective_decision,
                decision_body="董事会" if decided else "", decided_at=decided, submitted_at=submitted, due_at=due,
                due_note=t.due_note if not decided else "", review_due_at=review_due, answered_at=answered,
                answer_number=f"伊国资批〔{occurred.year}〕{i}号" if answered else "",
                # Arts. 11, 21: a forwarded or approved approval carries its committee pass (a database constraint).
                committee_passed_at=(submitted + dt.timedelta(days=1) if submitted and t.route == "approval"
                                     and status in ("forwarded", "approved", "implemented") else None),
                forwarded_at=submitted + dt.timedelta(days=2) if status == "forwarded" and submitted else None,
                implemented_at=(answered or decided or created) + dt.timedelta(days=5) if status == "implemented" else None,
                created_by=actor, created_at=created, updated_at=created)
            matters.append(_valid(m, ["enterprise", "created_by"]))
            rulings.append(verdict)
        Matter.objects.bulk_create(matters, batch_size=BATCH)
        Verdict.objects.bulk_create([
            Verdict(matter=m, number=1, policy_id=v.policy_id, policy_version=v.policy_version, request=v.request,
                    result=v.result, changes=[], at=m.created_at) for m, v in zip(matters, rulings, strict=True)],
            batch_size=BATCH)
        Event.objects.bulk_create([Event(matter=m, action="create", to_status="draft", actor=actor, at=m.created_at)
                                   for m in matters], batch_size=BATCH)
        made += len(matters)
    return made


def make_events(enterprises: list[Any], n: int, *, seed: int = 26, actor: Any = None) -> int:
    """n event reports (yining art. 17): most reported within 12 hours, some late, some not yet reported."""
    from soegov.oversight.models import EventReport

    rng = random.Random(seed)
    now = timezone.now()
    rows = []
    for i in range(n):
        occurred = now - dt.timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 1440))
        due = occurred + dt.timedelta(hours=12)
        reported = [occurred + dt.timedelta(hours=3), occurred + dt.timedelta(hours=30), None][i % 3]
        rows.append(_valid(EventReport(
            enterprise=enterprises[i % len(enterprises)], policy="yining-2024", category="safety_incident",
            title=_title(rng, i) + "事件", description="", occurred_at=occurred, due_at=due, immediate=False,
            citation={"document": "伊宁办法", "article": 17}, reported_at=reported, created_by=actor,
            created_at=occurred), ["enterprise", "created_by"]))
    EventReport.objects.bulk_create(rows, batch_size=BATCH)
    return n


def make_findings(enterprises: list[Any], n: int, *, seed: int = 36, actor: Any = None, cases_every: int = 10) -> int:
    """n ledger findings over one ledger import per enterprise, and an open case on every `cases_every`-th."""
    from soegov.oversight.models import Case, Finding, LedgerImport

    rng = random.Random(seed)
    now = timezone.now()
    ledgers = [LedgerImport.objects.create(enterprise=e, policy="yining-2024", original_name="台账.csv", extension="csv",
                                           size=1, sha256="0" * 64, rows=n, checked_at=now, uploaded_by=actor)
               for e in enterprises]
    findings = []
    for i in range(n):
        found = timezone.localdate() - dt.timedelta(days=rng.randint(0, 700))
        findings.append(_valid(Finding(
            ledger=ledgers[i % len(ledgers)], enterprise=enterprises[i % len(enterprises)],
            code=["split_payment", "prohibited_counterparty", "over_limit"][i % 3], rows=[i + 2],
            citation="伊宁办法第十三条", message=f"拆分支付 {i}", amount=rng.randint(1, 900) * 1000, found_on=found,
            data={"rows": [i + 2]}, status="open" if i % 4 else "dismissed", dismissed_reason="" if i % 4 else "经核实为正常分期付款",
            dismissed_at=None if i % 4 else now, created_at=now), ["ledger", "enterprise", "dismissed_by"]))
    Finding.objects.bulk_create(findings, batch_size=BATCH)
    cases = [_valid(Case(enterprise=f.enterprise, policy="yining-2024", title=f"关于{f.message}的责任追究",
                         facts=f.message, violation="yn29_4", citation={"document": "伊宁办法", "article": 29, "item": 4},
                         finding=f, status="open", opened_by=actor, created_at=now, updated_at=now),
                    ["enterprise", "finding", "matter", "opened_by"])
             for f in [f for f in findings if f.status == "open"][::cases_every]]
    Case.objects.bulk_create(cases, batch_size=BATCH)
    return n


def make_meetings(bodies: list[Any], n: int, *, seed: int = 46, actor: Any = None) -> int:
    """n closed board meetings of the bodies."""
    from soegov.meetings.models import Meeting

    rng = random.Random(seed)
    now = timezone.now()
    rows = []
    for i in range(n):
        held = now - dt.timedelta(days=rng.randint(1, 700))
        body = bodies[i % len(bodies)]
        rows.append(_valid(Meeting(enterprise_id=body.enterprise_id, body=body, title=f"第{i}次董事会会议", held_at=held,
                                   place="会议室", status="closed", created_by=actor, created_at=held),
                           ["enterprise", "body", "host", "created_by"]))
    Meeting.objects.bulk_create(rows, batch_size=BATCH)
    return n
