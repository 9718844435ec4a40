"""A soegov meeting as the 0006 会议决策 package: attendance, subjects, per-person results, notice and minutes.

Mapping choices (docs/exchange.md): each agenda item is a subject (its id is the agenda item's id, also
its folder name); the subject's item code is the enterprise's 0004 item of the topic's category, on its route, whose
name best matches the topic's (`item_code_for`);
votes read 赞成→同意, 反对→不同意, 弃权→弃权, except on a ballot item, where each voter reads 无记名投票 and
the tally goes in subject_result (a secret ballot stays secret in the package); a topic's pre-study item becomes the relation to the
earlier meeting; notice and minutes are rendered as PDF from the recorded notices and minutes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from soegov.audit.services import audit_record
from soegov.core.audit_actions import CoreAction
from soegov.core.rendering import plain_pdf
from soegov.exchange import checks
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.anomalies import body_members
from soegov.exchange.audit_actions import ExchangeAction
from soegov.exchange.exports import CATALOG_LETTERS, decision_items, export_zip, read_file, regulation_package
from soegov.meetings.nonvoting import parse_nonvoting
from soegov.meetings.selectors import ballot_tally, can_read_minutes, item_positions

VOTE_WORDS = {"for": "同意", "against": "不同意", "abstain": "弃权"}
ROUTE_APPROVAL = {"approval": "审批", "prior_filing": "备案", "post_filing": "备案"}
def ballot_result(item: Any) -> str:
    """A ballot item's public result: the tally only (checks.BALLOT_TALLY reads it back on import)."""
    t = ballot_tally(item)
    return f"同意 {t['for']} 票、反对 {t['against']} 票、弃权 {t['abstain']} 票"


def _subject_result(item: Any) -> str:
    if item.voting_method != "ballot":
        return item.conclusion or ""
    # The conclusion's own "。" dropped before "；" (not "…副总经理。；无记名投票").
    return "；".join(x for x in ((item.conclusion or "").rstrip("。"), f"{checks.BALLOT_WORD}：{ballot_result(item)}") if x)


def _deliberations(item: Any) -> list[tuple[str, str]]:
    """Per-person results; on a ballot item each voter reads 无记名投票, never his choice."""
    rows = [r for r in item_positions(item) if r["voted"]]
    if item.voting_method == "ballot":
        return [(r["name"], checks.BALLOT_WORD) for r in rows]
    return [(r["name"], VOTE_WORDS[r["vote"]]) for r in rows]


def prestudy_relation(item: Any) -> tuple[tuple[str, str], ...]:
    """The (meeting, topic) an agenda item's subject relates to (关联议题): its topic's pre-study, if any."""
    pre = item.topic.prestudy
    # The pre-study is the party committee's item the topic went on from; on that item itself (closing the
    # committee's meeting sets it) it relates to nothing before it, never to itself.
    return ((pre.meeting.title, pre.topic.title),) if pre is not None and pre.pk != item.pk else ()


def meeting_record(meeting: Any, *, files: bool = True) -> rec.Meeting:
    """The 0006 record of a soegov meeting (soegov.meetings.models.Meeting); `files=False` leaves the files'
    contents out (the names stay: the §4.2 checks read only the names), for checking without rendering."""
    enterprise = meeting.enterprise
    items = decision_items(enterprise)
    attendance = list(meeting.attendance.select_related("member"))
    nonvoting = parse_nonvoting(meeting.nonvoting_attendees)
    subjects = []
    for item in (meeting.items.select_related("topic", "topic__matter", "topic__prestudy__meeting",
                                             "topic__prestudy__topic")
                 .prefetch_related("topic__materials").order_by("order")):
        topic = item.topic
        code = item_code_for(topic, items)
        route = getattr(topic.matter, "route", "") if topic.matter_id else ""
        materials = {m.original_name: read_file(m.sha256) if files else b"" for m in topic.materials.all()}
        prep = topic.preparation or {}
        subjects.append(rec.Subject(
            subject_id=str(item.pk), subject_name=topic.title, item_codes=[code] if code else [],
            pass_flag={True: "通过", False: "否决"}.get(item.passed, "缓议"),
            approval_flag=ROUTE_APPROVAL.get(route, "否"),
            adopt_flag="是" if (prep.get("discipline_informed") or {}).get("done") else "否",
            subject_result=_subject_result(item), attendances=nonvoting, deliberations=_deliberations(item),
            relations=list(prestudy_relation(item)),
            opinion_files={n: b for n, b in materials.items() if "法律意见" in n or "意见" in n},
            material_files={n: b for n, b in materials.items() if "意见" not in n}))
    held = timezone.localtime(meeting.held_at)
    type_name = checks.BODY_KIND_TYPES.get(meeting.body.kind, "其他")
    notice_lines = [f"会议：{meeting.title}", f"时间：{held:%Y-%m-%d %H:%M}", f"地点：{meeting.place or '—'}",
                    "议题：" + "；".join(s.subject_name for s in subjects)]
    notice_lines += [f"通知 {n.member.name}：{timezone.localtime(n.sent_at):%Y-%m-%d %H:%M}（{n.channel}）"
                     for n in meeting.notices.select_related("member")]
    minutes = getattr(meeting, "minutes", None)
    minutes_lines = [f"出席：{'、'.join(a.member.name for a in attendance if a.present) or '—'}",
                     f"缺席：{'、'.join(f'{a.member.name}（{a.absence_reason}）' for a in attendance if not a.present) or '无'}"]
    for s in subjects:
        secret = any(r == checks.BALLOT_WORD for _, r in s.deliberations)
        minutes_lines.append(f"议题“{s.subject_name}”：{s.pass_flag}。" + (s.subject_result if secret else
                             "；".join(f"{n}{r}" for n, r in s.deliberations)))
    if minutes is not None and minutes.summary:
        minutes_lines.append(minutes.summary)
    return rec.Meeting(
        meeting_id=rec.own_meeting_id(enterprise.uscc, meeting.pk), meeting_name=meeting.title, meeting_type_name=type_name,
        meeting_time=held.date().isoformat(), moderator=meeting.host.name if meeting.host_id else "",
        attendees=[rec.Attendee(a.member.name, a.present, a.absence_reason) for a in attendance],
        subjects=subjects,
        notice_files={"会议通知.pdf": plain_pdf(f"{meeting.title}通知", notice_lines) if files else b""},
        minutes_files={"会议纪要.pdf": plain_pdf(f"{meeting.title}纪要", minutes_lines) if files else b""})


def _bigrams(text: str) -> set[str]:
    return {text[k:k + 2] for k in range(len(text) - 1)}


def item_code_for(topic: Any, items: list[rec.Item]) -> str | None:
    """The 0004 item a topic is decided under: of its category's items, one whose bodies are the topic's route
    (the order its page shows), and of those the one whose name shares most with the topic's title (its
    description names amounts and plans, not the kind of decision): a personnel topic 任免工程管理部经理 is
    中层人员…任免, not the category's first item."""
    letter = CATALOG_LETTERS.get(topic.category, "D")
    same = [i for i in items if i.item_code.startswith(letter)]
    route = [checks.BODY_KIND_TYPES.get(b, b) for b in topic.route or []]
    words = _bigrams(topic.title)
    # Ties go to the shorter, more specific name (单项投资项目 before a long list that mentions 融资项目).
    best = max(same, key=lambda i: (i.meetings == route, len(words & _bigrams(i.item_name)), -len(i.item_name),
                                    -same.index(i)), default=None)
    return best.item_code if best else None


def preview_anomalies(meeting: Any) -> list[checks.Anomaly]:
    """The §4.2 findings the supervisor's import would make of this meeting's 0006 package now: the same
    checks, run on the enterprise's own 0004 items, 0005 rules of procedure, bodies and related meetings."""
    return checks.anomalies(meeting_record(meeting, files=False), _check_context(meeting.enterprise, exclude=meeting))


def anomalies_by_item(meetings: Any) -> dict[int, list[checks.Anomaly]]:
    """The same findings for several meetings, by agenda item id (a subject's id is its item's id): the one
    computation every view of a decision's legality shows beside the engine's own check (issue 13.6)."""
    out: dict[int, list[checks.Anomaly]] = {}
    contexts: dict[int, checks.Context] = {}
    for meeting in meetings:
        if meeting.enterprise_id not in contexts:
            contexts[meeting.enterprise_id] = _check_context(meeting.enterprise)
        ctx = contexts[meeting.enterprise_id]
        # The meeting's own subjects are replaced by its record in checks.anomalies; none of it is stale.
        for a in checks.anomalies(meeting_record(meeting, files=False), ctx):
            if a.subject_id.isdigit():
                out.setdefault(int(a.subject_id), []).append(a)
    return out


def received_meetings_of(meetings: Any) -> dict[int, int]:
    """The active received meetings that are these soegov meetings' own 0006 (received meeting id → meeting id)."""
    from soegov.exchange.models import ReceivedMeeting

    own = {rec.own_meeting_id(m.enterprise.uscc, m.pk): m for m in meetings}
    return {r.pk: own[r.sid].pk for r in ReceivedMeeting.objects.filter(active=True, sid__in=list(own))
            if r.enterprise_id == own[r.sid].enterprise_id}


def legality_by_item(meetings: Any) -> dict[int, tuple[bool, list[Any]]]:
    """Per agenda item: (imported, findings). A meeting whose own 0006 the supervisor holds (an active received
    meeting under its id) shows the findings its import stored — what 三重一大数据 and the dashboard count —;
    any other shows what the import would find now (anomalies_by_item), a prediction counted nowhere."""
    from soegov.exchange.models import ReceivedSubject
    from soegov.meetings.models import AgendaItem

    meetings = list(meetings)
    held = received_meetings_of(meetings)
    item_meeting = dict(AgendaItem.objects.filter(meeting_id__in=set(held.values())).values_list("pk", "meeting_id"))
    out: dict[int, tuple[bool, list[Any]]] = {pk: (True, []) for pk in item_meeting}
    for s in ReceivedSubject.objects.filter(meeting_id__in=list(held), active=True).prefetch_related("anomalies"):
        # A subject's id is its agenda item's id, within the received meeting of that item's own meeting.
        if s.sid.isdigit() and item_meeting.get(int(s.sid)) == held[s.meeting_id]:
            out[int(s.sid)] = (True, list(s.anomalies.all()))
    for pk, found in anomalies_by_item(m for m in meetings if m.pk not in held.values()).items():
        out.setdefault(pk, (False, found))
    return out


def _check_context(enterprise: Any, exclude: Any = None) -> checks.Context:
    """The enterprise's 0004 items, active 0005 rules, body members and every other meeting's subjects."""
    from soegov.exchange.models import Regulation
    from soegov.meetings.models import AgendaItem

    nodes: dict[tuple[str, str], checks.SubjectNode] = {}
    items = AgendaItem.objects.filter(meeting__enterprise=enterprise)
    if exclude is not None:
        items = items.exclude(meeting=exclude)
    for item in items.select_related("meeting__body", "topic__prestudy__meeting", "topic__prestudy__topic"):
        nodes[(item.meeting.title, item.topic.title)] = checks.SubjectNode(
            checks.BODY_KIND_TYPES.get(item.meeting.body.kind, "其他"), prestudy_relation(item))
    return checks.Context(items={i.item_code: i for i in decision_items(enterprise)},
                          regulations=[regulation_package(r) for r in Regulation.objects.filter(enterprise=enterprise,
                                                                                                  active=True)],
                          members=body_members(enterprise), subjects=nodes)


# --- the export ---------------------------------------------------------------------------------------


def meeting_export(*, actor: Any, meeting: Any, entry_encoding: str = "utf-8", oper_type: str = "add") -> tuple[str, bytes]:
    """The 0006 zip of a soegov meeting; it carries the minutes and each member's vote, so only those who may
    read the minutes (xundian art. 19: members, the secretary, the supervisor's staff) may export it.
    `oper_type` "edit" for a meeting the collector already holds (the outbox knows)."""
    require_minutes_reader(actor, meeting)
    record = meeting_record(meeting)
    record.oper_type = oper_type
    return export_zip(actor=actor, enterprise=meeting.enterprise, record=record,
                      day=timezone.localtime(meeting.held_at).date(), entry_encoding=entry_encoding)


def meeting_download(*, actor: Any, meeting: Any) -> tuple[str, bytes]:
    """The 0006 zip a person downloads to report by hand: 修改 (edit) where the supervisor already holds this
    meeting's own 0006, so a corrected meeting sent again replaces it instead of being refused as a duplicate."""
    return meeting_export(actor=actor, meeting=meeting, oper_type="edit" if received_meetings_of([meeting]) else "add")


def meeting_json(*, actor: Any, meeting: Any) -> dict[str, Any]:
    """The 0006 package of a soegov meeting as JSON data (same reader rule), audited."""
    require_minutes_reader(actor, meeting)
    data = p.to_json(meeting_record(meeting))
    audit_record(actor=actor, action=ExchangeAction.EXPORT, obj=meeting.enterprise,
                 after={"kind": rec.MEETING, "meeting": meeting.pk, "form": "json"})
    return data


def require_minutes_reader(actor: Any, meeting: Any) -> None:
    """Refuse (and audit) an export of a meeting's votes by someone who may not read its minutes."""
    if actor is not None and not can_read_minutes(actor, meeting):
        audit_record(actor=actor, action=CoreAction.ACCESS_DENIED, obj=meeting, after={"what": "0006 export"})
        raise PermissionDenied("会议决策数据包含会议纪要和逐人表决意见，仅决策机构成员、本企业秘书和本辖区国资监管人员可以导出"
                               "（寻甸办法第十九条）")
