"""The invariants of docs/invariants.md as checks over the whole database, each returning what breaks it.

The stateful tests call `broken()` after every step; each name here is the invariant's name in the doc.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from soegov.oversight import workflow as case_workflow
from soegov.oversight.models import Case, CaseEvent, Finding, FindingStatus, Sanction


def one_open_case_per_finding() -> list[str]:
    """INV-CASE-1: no two cases not closed come from one finding."""
    open_cases = Counter(Case.objects.exclude(status="closed").exclude(finding=None).values_list("finding_id", flat=True))
    return [f"finding {f} has {n} open cases" for f, n in open_cases.items() if n > 1]


def finding_status_matches_its_cases() -> list[str]:
    """INV-CASE-2: a finding is 已立案 exactly when a case was opened from it; an open or dismissed one has none."""
    out = []
    for f in Finding.objects.all():
        has = Case.objects.filter(finding=f).exists()
        if has != (f.status == FindingStatus.CASE):
            out.append(f"finding {f.pk} is {f.status} with{'' if has else 'out'} a case")
    return out


def case_state_has_its_records() -> list[str]:
    """INV-CASE-3: a decided, appealed or closed case has parties, a decision and its time; a closed one its
    closing time; a case's version counts its recorded steps; every step is one the table allows."""
    out = []
    for c in Case.objects.all():
        if c.status in ("decided", "appealed", "closed") and (not c.parties.exists() or not c.decision or not c.decided_at):
            out.append(f"case {c.pk} is {c.status} without parties or decision")
        if (c.status == "closed") != (c.closed_at is not None):
            out.append(f"case {c.pk} is {c.status} with closed_at {c.closed_at}")
        events = list(CaseEvent.objects.filter(case=c).order_by("at", "id"))
        if c.version != len(events):
            out.append(f"case {c.pk} version {c.version} but {len(events)} steps")
        for e in events:
            if e.action in case_workflow.TRANSITIONS:
                froms, to = case_workflow.TRANSITIONS[e.action]
                if e.from_status not in froms or e.to_status != to:
                    out.append(f"case {c.pk} step {e.action} {e.from_status}->{e.to_status} not in the table")
        if events and events[-1].to_status != c.status:
            out.append(f"case {c.pk} is {c.status} but its last step led to {events[-1].to_status}")
    return out


def deduction_is_rate_times_pay_record() -> list[str]:
    """INV-PAY-1: a sanction that deducts was computed from the pay record of its year of the person it names:
    its pay figures are that record's and its deductions are the rate times them (xundian art. 32)."""
    from soegov.leaders.pay import sanction_tier
    from soegov.policy.sanctions import deduction

    out = []
    for s in Sanction.objects.select_related("pay_record__leader", "case_party__case"):
        tier = sanction_tier(s.case_party.case.policy, s.tier)
        if not tier.deducts:
            if s.pay_record_id is not None or s.performance_pay_deduction or s.tenure_incentive_deduction:
                out.append(f"sanction {s.pk} ({s.tier}) deducts nothing yet carries pay or a deduction")
            continue
        r = s.pay_record
        if r is None:
            out.append(f"sanction {s.pk} deducts without a pay record")
            continue
        if r.year != s.year or r.leader.name != s.case_party.name:
            out.append(f"sanction {s.pk} of {s.case_party.name} {s.year} reads {r.leader.name}'s {r.year} pay")
        if (s.performance_pay, s.tenure_incentive) != (r.performance_pay, r.tenure_incentive):
            out.append(f"sanction {s.pk} states pay {s.performance_pay} but the record says {r.performance_pay}")
        d = deduction(tier, performance_pay=r.performance_pay, tenure_incentive=r.tenure_incentive,
                      rate=s.rate if tier.cap else None)
        if (s.performance_pay_deduction, s.tenure_incentive_deduction) != (d.performance_pay_deduction,
                                                                           d.tenure_incentive_deduction):
            out.append(f"sanction {s.pk} deducts {s.performance_pay_deduction}, rate × record gives {d.performance_pay_deduction}")
    return out


def payroll_equals_the_case() -> list[str]:
    """INV-PAY-2: every deduction in the payroll is the one its case states, from the same pay record, once."""
    from soegov.leaders.models import PayDeduction

    out = []
    for d in PayDeduction.objects.all():
        s = Sanction.objects.filter(pk=d.sanction_id).first()
        if s is None:
            out.append(f"deduction {d.pk} names no sanction")
            continue
        if s.pay_record_id != d.pay_record_id:
            out.append(f"deduction {d.pk} on record {d.pay_record_id}, its case read {s.pay_record_id}")
        if (d.performance_deduction, d.tenure_deduction) != (s.performance_pay_deduction, s.tenure_incentive_deduction):
            out.append(f"deduction {d.pk} takes {d.performance_deduction}, the case says {s.performance_pay_deduction}")
    return out


def net_pay_is_pay_less_deductions() -> list[str]:
    """INV-PAY-3: the pay ledger's net figures equal each record's pay less the sum of its deductions."""
    from soegov.leaders.models import PayRecord

    out = []
    # Added in Python, as the pay ledger does: the amounts are sealed (SM4), which the database cannot sum.
    for r in PayRecord.objects.prefetch_related("deductions"):
        cut_p = sum((d.performance_deduction for d in r.deductions.all()), Decimal(0))
        cut_t = sum((d.tenure_deduction for d in r.deductions.all()), Decimal(0))
        if cut_p > r.performance_pay or cut_t > r.tenure_incentive:
            out.append(f"pay record {r.pk} deducts {cut_p}/{cut_t} from {r.performance_pay}/{r.tenure_incentive}")
    return out


CASES_AND_PAY: list[Callable[[], list[str]]] = [
    one_open_case_per_finding, finding_status_matches_its_cases, case_state_has_its_records,
    deduction_is_rate_times_pay_record, payroll_equals_the_case, net_pay_is_pay_less_deductions,
]


def broken(checks: list[Callable[[], list[str]]]) -> list[str]:
    """Every violation of the given invariants, named."""
    return [f"{check.__name__}: {v}" for check in checks for v in check()]


def matter_moves_along_the_table() -> list[str]:
    """INV-MAT-2: every step of a matter is one its transition table allows, and its last step led to its state."""
    from soegov.matters import workflow
    from soegov.matters.models import Event, Matter

    out = []
    for m in Matter.objects.all():
        events = list(Event.objects.filter(matter=m).order_by("at", "id"))
        for e in events:
            rule = workflow.TRANSITIONS.get(e.action)
            if rule is None or not e.from_status:
                continue
            froms, to, _ = rule
            if e.from_status not in froms and not (e.action == "implement" and m.route == "internal"):
                out.append(f"matter {m.pk} {e.action} from {e.from_status}")
            if to is not None and e.to_status != to:
                out.append(f"matter {m.pk} {e.action} led to {e.to_status}, the table says {to}")
        moved = [e for e in events if e.to_status]
        if moved and moved[-1].to_status != m.status:
            out.append(f"matter {m.pk} is {m.status} but its last step led to {moved[-1].to_status}")
    return out


def approval_passed_committee_first() -> list[str]:
    """INV-MAT-1 (R4): an approval forwarded to the city or approved by the supervisor had the supervisor's
    party-committee pass recorded after its latest submission and before that step."""
    from soegov.matters.models import Event, Matter

    out = []
    for m in Matter.objects.filter(route="approval"):
        last_submit = None
        committee = False
        for e in Event.objects.filter(matter=m).order_by("at", "id"):
            if e.action in ("submit", "resubmit"):
                last_submit, committee = e, False
            elif e.action == "record_committee":
                committee = True
            elif (e.action == "forward" or (e.action == "decide" and e.to_status == "approved")) and not committee:
                out.append(f"matter {m.pk} {e.action} without a committee pass since submission {getattr(last_submit, 'pk', None)}")
        if m.status in ("forwarded", "approved", "implemented") and m.committee_passed_at is None:
            out.append(f"matter {m.pk} is {m.status} without committee_passed_at")
    return out


MATTERS: list[Callable[[], list[str]]] = [matter_moves_along_the_table, approval_passed_committee_first]


def votes_are_by_present_unrecused_members() -> list[str]:
    """INV-MEET-4: every vote on an item is by a voting member of the meeting's body, recorded present and not
    recused on that item; a recorded result counts only such votes."""
    from soegov.meetings.models import Attendance, Recusal, Vote

    out = []
    for v in Vote.objects.select_related("item__meeting", "member"):
        meeting = v.item.meeting
        if v.member.body_id != meeting.body_id:
            out.append(f"vote {v.pk} by {v.member.name}, not of the body")
        if not Attendance.objects.filter(meeting=meeting, member=v.member, present=True).exists():
            out.append(f"vote {v.pk} by {v.member.name}, not recorded present at {meeting.title}")
        if Recusal.objects.filter(item=v.item, member=v.member).exists():
            out.append(f"vote {v.pk} by {v.member.name}, recused on item {v.item_id}")
    return out


MEETINGS: list[Callable[[], list[str]]] = [votes_are_by_present_unrecused_members]
