"""REST endpoints of the meetings app (thin: parse, call one service or selector, return)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router

from soegov.audit.services import audit_record
from soegov.core.errors import SoegovError
from soegov.core.paging import PAGE_HEADERS_DOC, PageParams, api_page
from soegov.core.schemas import ERROR_RESPONSES
from soegov.meetings import decision_lists, documents, results, selectors, sessions, topics, voting
from soegov.meetings.models import AgendaItem, DecisionList, Meeting, MeetingStatus, Topic
from soegov.meetings.schemas import (
    AddItemIn,
    AttendanceIn,
    AttendanceOut,
    DecisionListOut,
    DeclareIn,
    EntryIn,
    ItemOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    PositionOut,
    RecusalIn,
    StatementsIn,
    StepIn,
    TopicIn,
    TopicOut,
    VersionIn,
    VoteIn,
)
from soegov.signatures.signing import unlock_own_key

router = Router(tags=["三重一大决策会议"])


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return selectors.meeting_get(user=request.auth, pk=meeting_id)


def _detail(request: HttpRequest, meeting: Meeting) -> Meeting:
    entitled = selectors.can_read_minutes(request.auth, meeting)
    attendance = {a.member_id: a for a in meeting.attendance.all()}
    members = list(meeting.body.members.all())
    out: dict[str, Any] = {}
    out["attendance"] = [{"member_id": m.pk, "name": m.name, "present": attendance[m.pk].present if m.pk in attendance else None,
                          "absence_reason": attendance[m.pk].absence_reason if m.pk in attendance else "",
                          "written_opinion": attendance[m.pk].opinions_text if m.pk in attendance and entitled else ""}
                         for m in members]
    out["positions"] = {}
    if entitled:
        audit_record(actor=request.auth, action="meeting.read", obj=meeting)
        me = selectors.seat_of(request.auth, meeting)
        present = {pk: a.present for pk, a in attendance.items()}
        for item in meeting.items.prefetch_related("votes", "recusals"):
            out["positions"][str(item.pk)] = [
                {"member_id": p["member"].pk, "name": p["name"], "present": p["present"], "recused": p["recused"],
                 "vote": p["vote"], "opinion": p["opinion"]}
                for p in selectors.visible_positions(item, me, present=present, members=members)]
    meeting._api = out
    return meeting


@router.get("/meetings", response=list[MeetingOut], summary="决策会议列表（本企业或本辖区）", openapi_extra=PAGE_HEADERS_DOC)
def meeting_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], status: str = "", enterprise_id: int | None = None) -> Any:
    """Meetings the caller may see."""
    items = Prefetch("items", queryset=AgendaItem.objects.select_related("topic"), to_attr="listed_items")
    return api_page(request, response, selectors.meeting_list(request.auth, status=status, enterprise_id=enterprise_id).prefetch_related(items), paging)


@router.post("/meetings", response={200: MeetingOut, **ERROR_RESPONSES}, summary="安排会议")
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Any:
    """Schedule a meeting of one of the caller's bodies."""
    from soegov.enterprises.selectors import body_get

    body = body_get(user=request.auth, pk=payload.body_id)
    data = payload.dict()
    data.pop("body_id")
    return sessions.meeting_create(actor=request.auth, body=body, **data)


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERROR_RESPONSES},
            summary="会议详情：议程、出席、各成员表决（限第十九条规定的人员，读取留痕）、引擎结果")
def meeting_detail(request: HttpRequest, meeting_id: int) -> Any:
    """One meeting with what the caller is entitled to see."""
    return _detail(request, _meeting(request, meeting_id))


@router.get("/meetings/{meeting_id}/check", response={200: dict[str, Any], **ERROR_RESPONSES},
            summary="规则引擎 meeting_check：按当前记录构造的输入和结果（不保存）")
def meeting_check(request: HttpRequest, meeting_id: int) -> Any:
    """The contract's meeting-check input built from the records and the engine's answer."""
    meeting = _meeting(request, meeting_id)
    if not selectors.can_read_minutes(request.auth, meeting):
        audit_record(actor=request.auth, action="meeting.minutes_denied", obj=meeting, after={"via": "api.check"})
        raise PermissionDenied("会议表决情况仅限该决策机构成员、本企业秘书和本辖区国资监管人员查阅（第十九条）")
    audit_record(actor=request.auth, action="meeting.read", obj=meeting, after={"via": "api.check"})
    return {"policy": results.meeting_policy(meeting), "request": results.engine_request(meeting),
            "result": results.check(meeting)}


def _action(path: str, summary: str, call: Any) -> None:
    def endpoint(request: HttpRequest, meeting_id: int, payload: VersionIn) -> Any:
        call(actor=request.auth, meeting=_meeting(request, meeting_id), version=payload.version)
        return _detail(request, Meeting.objects.get(pk=meeting_id))

    endpoint.__name__ = f"meeting_{path}"
    router.post(f"/meetings/{{meeting_id}}/{path}", response={200: MeetingDetailOut, **ERROR_RESPONSES}, summary=summary)(endpoint)


_action("notice", "发出会议通知（每位成员一条记录）", sessions.notice_send)
_action("distribute", "登记决策材料已送达", sessions.materials_distribute)
_action("open", "开始会议", sessions.meeting_open)
_action("results", "由规则引擎计票并保存结果", results.results_compute)
_action("close", "结束会议（最后一次计票）", results.meeting_close)


@router.post("/meetings/{meeting_id}/items/{item_id}/declare", response={200: ItemOut, **ERROR_RESPONSES},
             summary="登记会议宣布的表决结果（本辖区制度未规定会议规则时；系统未核验）")
def declare(request: HttpRequest, meeting_id: int, item_id: int, payload: DeclareIn) -> Any:
    """Register the result the meeting announced for one item where the engine has no rules for the meeting."""
    meeting = _meeting(request, meeting_id)
    return results.result_declare(actor=request.auth, meeting=meeting, item=item_id, passed=payload.passed,
                                  version=payload.version)


@router.post("/meetings/{meeting_id}/items", response={200: ItemOut, **ERROR_RESPONSES}, summary="列入议程（或记录临时动议 ad_hoc）")
def add_item(request: HttpRequest, meeting_id: int, payload: AddItemIn) -> Any:
    """Put a prepared topic on the agenda."""
    topic = selectors.topic_get(user=request.auth, pk=payload.topic_id)
    return sessions.item_add(actor=request.auth, meeting=_meeting(request, meeting_id), topic=topic,
                             voting_method=payload.voting_method, ad_hoc=payload.ad_hoc)


@router.put("/meetings/{meeting_id}/attendance/{member_id}", response={200: AttendanceOut, **ERROR_RESPONSES}, summary="登记出席/缺席")
def attendance(request: HttpRequest, meeting_id: int, member_id: int, payload: AttendanceIn) -> Any:
    """Record one member's attendance."""
    row = sessions.attendance_record(actor=request.auth, meeting=_meeting(request, meeting_id), member=member_id,
                                     **payload.dict())
    return {"member_id": row.member_id, "name": row.member.name, "present": row.present,
            "absence_reason": row.absence_reason, "written_opinion": row.opinions_text}


@router.post("/meetings/{meeting_id}/items/{item_id}/votes", response={200: PositionOut, **ERROR_RESPONSES},
             summary="记录表决（投票表决须成员本人；member_id 省略即本人）")
def vote(request: HttpRequest, meeting_id: int, item_id: int, payload: VoteIn) -> Any:
    """Record a vote with the member's own words."""
    meeting = _meeting(request, meeting_id)
    member: Any = payload.member_id
    if member is None:
        member = selectors.seat_of(request.auth, meeting)
        if member is None:
            raise SoegovError("required", "请指定成员 member_id", "member_id")
    key = unlock_own_key(actor=request.auth, pin=payload.pin) if payload.pin is not None else None
    row = voting.vote_record(actor=request.auth, meeting=meeting, item=item_id, member=member, choice=payload.choice,
                             opinion=payload.opinion, key=key)
    present = meeting.attendance.filter(member_id=row.member_id, present=True).exists()
    return {"member_id": row.member_id, "name": row.member.name, "present": present, "recused": False,
            "vote": row.choice, "opinion": row.opinion}


@router.post("/meetings/{meeting_id}/items/{item_id}/recusals", response={200: ItemOut, **ERROR_RESPONSES}, summary="登记回避（第十六条）")
def recusal(request: HttpRequest, meeting_id: int, item_id: int, payload: RecusalIn) -> Any:
    """Record or withdraw a recusal."""
    return sessions.recusal_record(actor=request.auth, meeting=_meeting(request, meeting_id), item=item_id,
                                   member=payload.member_id, recused=payload.recused, reason=payload.reason)


@router.put("/meetings/{meeting_id}/items/{item_id}/statements", response={200: ItemOut, **ERROR_RESPONSES},
            summary="登记表态顺序（主要负责人末位表态）")
def statements(request: HttpRequest, meeting_id: int, item_id: int, payload: StatementsIn) -> Any:
    """Record the order of statements."""
    return sessions.statements_record(actor=request.auth, meeting=_meeting(request, meeting_id), item=item_id,
                                      order=list(payload.member_ids))


@router.get("/meetings/{meeting_id}/documents/{kind}.{fmt}", response={200: None, **ERROR_RESPONSES},
            summary="会议记录 record / 会议纪要 summary，docx 或 pdf（限第十九条规定的人员，读取和拒绝均留痕）")
def document(request: HttpRequest, meeting_id: int, kind: str, fmt: str) -> Any:
    """The minutes as a file."""
    meeting = _meeting(request, meeting_id)
    if kind not in documents.KINDS or fmt not in ("docx", "pdf"):
        raise Http404("无此文件")
    if not selectors.can_read_minutes(request.auth, meeting):
        audit_record(actor=request.auth, action="meeting.minutes_denied", obj=meeting, after={"kind": kind, "fmt": fmt})
        raise PermissionDenied("会议记录和纪要仅限该决策机构成员、本企业秘书和本辖区国资监管人员查阅（第十九条）")
    if meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.ARCHIVED):
        raise Http404("会议结束后才生成会议记录和纪要")
    audit_record(actor=request.auth, action="meeting.minutes_read", obj=meeting, after={"kind": kind, "fmt": fmt})
    ctype = "application/pdf" if fmt == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return HttpResponse(documents.render(meeting, kind, fmt), content_type=ctype)


@router.get("/topics", response=list[TopicOut], summary="议题列表", openapi_extra=PAGE_HEADERS_DOC)
def topic_list(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], status: str = "") -> Any:
    """Topics the caller may see."""
    return api_page(request, response, selectors.topic_list(request.auth, status=status), paging)


@router.post("/topics", response={200: TopicOut, **ERROR_RESPONSES}, summary="提出议题（可由须集体决策的重大事项生成）")
def topic_create(request: HttpRequest, payload: TopicIn) -> Any:
    """Create a topic for the caller's enterprise."""
    user: Any = request.auth
    if payload.matter_id is not None:
        from soegov.matters.selectors import matter_get

        return topics.topic_from_matter(actor=user, matter=matter_get(user=user, pk=payload.matter_id),
                                        category=payload.category or "major_decision")
    if user.enterprise is None:
        raise SoegovError("required", "只有企业用户可以提出议题", "enterprise")
    return topics.topic_create(actor=user, enterprise=user.enterprise, title=payload.title, category=payload.category,
                               description=payload.description, amount=payload.amount,
                               staff_interests=payload.staff_interests)


@router.post("/topics/{topic_id}/steps", response={200: TopicOut, **ERROR_RESPONSES}, summary="登记会前准备步骤（第十一条）")
def topic_step(request: HttpRequest, topic_id: int, payload: StepIn) -> Any:
    """Mark one preparation step."""
    topic: Topic = selectors.topic_get(user=request.auth, pk=topic_id)
    return topics.topic_step_mark(actor=request.auth, topic=topic, step=payload.step, done=payload.done, note=payload.note,
                            version=payload.version)


@router.get("/decision-lists", response=list[DecisionListOut], summary="事项清单（监管人员只见已备案的）", openapi_extra=PAGE_HEADERS_DOC)
def list_index(request: HttpRequest, response: HttpResponse, paging: Query[PageParams]) -> Any:
    """Decision lists the caller may see."""
    return api_page(request, response, selectors.decision_lists(request.auth), paging)


@router.patch("/decision-lists/{list_id}", response={200: DecisionListOut, **ERROR_RESPONSES}, summary="修改清单条目（限额只能调低，机构只能增加）")
def list_edit(request: HttpRequest, list_id: int, payload: EntryIn) -> Any:
    """Edit one entry within the pack's limits."""
    dlist: DecisionList = selectors.decision_list_get(user=request.auth, pk=list_id)
    return decision_lists.decision_list_entry_edit(actor=request.auth, dlist=dlist, rule=payload.rule, threshold=payload.threshold,
                                     bodies=payload.bodies, version=payload.version)


@router.post("/decision-lists/{list_id}/file", response={200: DecisionListOut, **ERROR_RESPONSES}, summary="报国资监管机构备案（第二十三条）")
def list_file(request: HttpRequest, list_id: int, payload: VersionIn) -> Any:
    """File the list with the supervisor."""
    dlist = selectors.decision_list_get(user=request.auth, pk=list_id)
    return decision_lists.decision_list_file(actor=request.auth, dlist=dlist, version=payload.version)


@router.get("/decisions", response=list[ItemOut], summary="已表决事项（监管人员浏览本辖区各企业）", openapi_extra=PAGE_HEADERS_DOC)
def decided(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], enterprise_id: int | None = None, q: str = "") -> Any:
    """Items with results, of enterprises the caller may see."""
    return api_page(request, response, selectors.decided_items(request.auth, enterprise_id=enterprise_id, q=q), paging)
