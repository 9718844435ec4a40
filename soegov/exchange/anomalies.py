"""The §4.2 findings of received meetings: one computation (`meeting_anomalies`) that `recheck` stores, run
again on every meeting a later package bears on (`recheck_touched`), so the stored findings are always what the
stored items, rules of procedure and meetings say now."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from soegov.enterprises.models import Enterprise
from soegov.exchange import checks
from soegov.exchange import records as rec
from soegov.exchange.models import (
    ReceivedItem,
    ReceivedMeeting,
    ReceivedRegulation,
    ReceivedSubject,
    SubjectAnomaly,
)


def as_record(meeting: ReceivedMeeting) -> rec.Meeting:
    """A stored meeting back as a package record (file names kept, bytes not)."""
    def names(files: list[str], folder: str) -> dict[str, bytes]:
        return {f.split("/", 1)[1]: b"" for f in files if f.startswith(folder + "/")}

    return rec.Meeting(
        meeting_id=meeting.sid, meeting_name=meeting.name, meeting_type_name=meeting.type_name,
        meeting_time=meeting.meeting_time, moderator=meeting.moderator,
        attendees=[rec.Attendee(a["name"], a["present"], a.get("reason", "")) for a in meeting.attendees],
        subjects=[rec.Subject(
            subject_id=s.sid, subject_name=s.name, item_codes=s.item_codes, pass_flag=s.pass_flag,
            approval_flag=s.approval_flag, adopt_flag=s.adopt_flag, source_name=s.source_name,
            special_name=s.special_name, subject_result=s.result,
            attendances=[tuple(a) for a in s.attendances], deliberations=[tuple(d) for d in s.deliberations],
            relations=[tuple(r) for r in s.relations], opinion_files=names(s.files, rec.OPINIONS),
            material_files=names(s.files, rec.MATERIALS)) for s in meeting.subjects.filter(active=True)],
        minutes_files=names(meeting.files, rec.MINUTES), notice_files=names(meeting.files, rec.NOTICE))


def body_members(enterprise: Enterprise) -> dict[str, list[str]]:
    """The members of the enterprise's bodies under their national meeting type, when soegov knows them."""
    from soegov.enterprises.models import BodyMember

    out: dict[str, list[str]] = {}
    for kind, name in BodyMember.objects.filter(body__enterprise=enterprise, voting=True).values_list("body__kind", "name"):
        out.setdefault(checks.BODY_KIND_TYPES.get(kind, kind), []).append(name)
    return out


def principal_of(enterprise: Enterprise, type_name: str) -> str | None:
    from soegov.enterprises.models import BodyMember

    kind = checks.KIND_OF_TYPE.get(type_name)
    name: str | None = BodyMember.objects.filter(body__enterprise=enterprise, body__kind=kind, is_principal=True).values_list(
        "name", flat=True).first()
    return name


def context(ent: Enterprise) -> checks.Context:
    """What the §4.2 checks of an enterprise's received meetings read: its active items, rules, body members and
    every active meeting's subjects with their relations."""
    items = {i.code: rec.Item(i.sid, i.name, i.code, i.meetings, i.legal_flag)
             for i in ReceivedItem.objects.filter(enterprise=ent, active=True)}
    regs = [rec.Regulation(r.sid, r.name, r.type_name, r.approval_date, r.effective_date, r.audit_flag, r.rate,
                         [rec.VoteMode(v["item_code"], v["vote_mode"]) for v in r.vote_modes])
            for r in ReceivedRegulation.objects.filter(enterprise=ent, active=True)]
    nodes: dict[tuple[str, str], checks.SubjectNode] = {}
    for s in ReceivedSubject.objects.filter(meeting__enterprise=ent, meeting__active=True, active=True).select_related(
            "meeting"):
        kind = checks.meeting_type(s.meeting.type_name) or s.meeting.type_name
        nodes[(s.meeting.name, s.name)] = checks.SubjectNode(kind, tuple((r[0], r[1]) for r in s.relations))
    return checks.Context(items=items, regulations=regs, members=body_members(ent), subjects=nodes)


def meeting_anomalies(meeting: ReceivedMeeting, ctx: checks.Context | None = None) -> list[checks.Anomaly]:
    """The §4.2 findings of a stored meeting's subjects as the stored items, rules and meetings now say: the one
    computation `recheck` stores and every page of a received decision shows."""
    ent = meeting.enterprise
    ctx = ctx or context(ent)
    members = ctx.members
    record = as_record(meeting)
    found = checks.anomalies(record, ctx)
    # Where soegov holds the body, its engine judges quorum and majority too; one finding per type and subject.
    seen = {(a.subject_id, a.type) for a in found}
    kind = checks.meeting_type(meeting.type_name) or ""
    principal = principal_of(ent, kind)
    for policy in ent.jurisdiction.policy_packs or []:
        for a in checks.engine_anomalies(record, policy=policy, members=members.get(kind, []), principal=principal):
            if (a.subject_id, a.type) not in seen:
                seen.add((a.subject_id, a.type))
                found.append(a)
    return found


def recheck(meeting: ReceivedMeeting, ctx: checks.Context | None = None) -> int:
    """Recompute and store the §4.2 findings of a stored meeting's subjects; returns how many there are."""
    found = meeting_anomalies(meeting, ctx)
    subjects = {s.sid: s for s in meeting.subjects.filter(active=True)}
    SubjectAnomaly.objects.filter(subject__in=subjects.values()).delete()
    SubjectAnomaly.objects.bulk_create([SubjectAnomaly(subject=subjects[a.subject_id], type=a.type, cause=a.cause[:300])
                                        for a in found if a.subject_id in subjects])
    return len(found)


def recheck_touched(enterprise: Enterprise, *, codes: Iterable[str] = (), names: Iterable[str] = (),
                    every: bool = False) -> None:
    """Recheck the active meetings a change of the stored items, rules or meetings bears on, so what is stored is
    what the computation says now: those citing the item codes, those linked (either way, through pre-study
    relations) to the named meetings, or every one (a rule of procedure changed)."""
    ctx = context(enterprise)
    codes, linked = set(codes), set(names)
    edges = [(m, r[0]) for (m, _), node in ctx.subjects.items() for r in node.relations]
    grown = True
    while grown:  # the meetings joined to the named ones by relations, however many steps away
        reach = {b for a, b in edges if a in linked} | {a for a, b in edges if b in linked}
        grown = not reach <= linked
        linked |= reach
    meetings = ReceivedMeeting.objects.filter(enterprise=enterprise, active=True).select_related("enterprise__jurisdiction")
    if not every:
        citing = {m for m, item_codes in ReceivedSubject.objects.filter(
            meeting__enterprise=enterprise, meeting__active=True, active=True).values_list("meeting_id", "item_codes")
            if codes & set(item_codes)}
        meetings = meetings.filter(Q(name__in=linked) | Q(pk__in=citing))
    for meeting in meetings:
        recheck(meeting, ctx)
