"""Pages of collective decisions: thin, each parses its input, calls one service or selector and renders.

The meeting page is built for use during the session: every write posts with htmx and gets back the live
section (attendance, items, votes, results) re-rendered from the records, so the page never shows a count
the engine did not make.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from soegov.accounts.roles import BUSINESS_ROLES
from soegov.audit.services import audit_record
from soegov.core.errors import SoegovError
from soegov.core.files import file_exists, file_response
from soegov.core.forms import form_action
from soegov.core.gates import role_required
from soegov.core.paging import list_page
from soegov.core.redirects import post_or_back_to
from soegov.enterprises.models import BodyKind
from soegov.meetings import (
    decision_lists,
    documents,
    preparation,
    results,
    saving,
    selectors,
    sessions,
    topics,
    voting,
)
from soegov.meetings import minutes as meetings_minutes
from soegov.meetings.gates import ORGANISER_GATE, ORGANISERS, RUNNER_GATE, RUNNERS
from soegov.meetings.models import (
    DECLARED_LABEL,
    AgendaItem,
    Category,
    Choice,
    Meeting,
    MeetingForm,
    MeetingStatus,
    Minutes,
    TopicMaterial,
    TopicStatus,
    VotingMethod,
)
from soegov.signatures.downloads import signed_response
from soegov.signatures.signing import unlock_own_key

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


business_page = role_required(BUSINESS_ROLES, "您的角色无权访问三重一大决策")


def _is_organiser(user: Any, enterprise: Any) -> bool:
    return ORGANISER_GATE.allows(user, enterprise)


def _is_runner(user: Any, enterprise: Any) -> bool:
    return RUNNER_GATE.allows(user, enterprise)


def _esc(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


# --- meetings ---------------------------------------------------------------------------------------------


@login_required
@business_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings the user may see, with scheduling for the enterprise's organisers."""
    from soegov.enterprises.selectors import body_list

    user: Any = request.user
    listing = list_page(selectors.meeting_list(user), request.GET, filters=selectors.MEETING_FILTERS,
                        search_fields=selectors.MEETING_SEARCH)
    bodies = [b for b in body_list(user=user) if _is_runner(user, b.enterprise)] if user.role in RUNNERS else []
    return render(request, "meetings/list.html", {
        "meetings": listing.page, "listing": listing, "bodies": bodies, "forms": MeetingForm.choices,
        "topics_waiting": selectors.topic_list(user).filter(status=TopicStatus.PREPARED).count(),
        "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    })


@login_required
@post_or_back_to("meetings:list")
@business_page
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Schedule a meeting of one of the user's bodies."""
    from soegov.enterprises.selectors import body_get

    p = request.POST
    with form_action(request, success="会议已安排。下一步：把已准备好的议题列入议程，然后发出会议通知。"):
        raw = p.get("body", "")
        if not raw.isdigit():
            raise SoegovError("required", "请选择决策机构", "body")
        try:
            body = body_get(user=request.user, pk=int(raw))
        except Http404:
            raise SoegovError("invalid_body", "所选决策机构不存在或不在您的范围内", "body") from None
        meeting = sessions.create_meeting(actor=request.user, body=body, title=p.get("title", ""),
                                          held_at=p.get("held_at", ""), place=p.get("place", ""),
                                          recorder=p.get("recorder", ""), nonvoting_attendees=p.get("nonvoting", ""),
                                          form=p.get("form", "meeting"))
        return redirect("meetings:detail", meeting.pk)
    return redirect("meetings:list")


def _live_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """Everything the live section shows, from the records and the engine's stored result."""
    user: Any = request.user
    entitled = selectors.can_read_minutes(user, meeting)
    me = selectors.member_of(user, meeting)
    organiser = _is_runner(user, meeting.enterprise)
    attendance = {a.member_id: a for a in meeting.attendance.all()}
    members = list(meeting.body.members.all())
    present = {pk: a.present for pk, a in attendance.items()}
    by_id = {m.pk: m.name for m in members}
    items = []
    for item in meeting.items.select_related("topic", "topic__prestudy").prefetch_related("recusals", "votes",
                                                                                          "topic__materials"):
        positions = selectors.visible_positions(item, me, present=present, members=members) if entitled else []
        mine = next((p for p in positions if me is not None and p["member"].pk == me.pk), None)
        speakers = [p["member"] for p in positions if p["member"].voting and p["present"] and not p["recused"]]
        # The form proposes the recorded order, else everyone before the principal (末位表态).
        rank = {pk: n for n, pk in enumerate(item.statements or [])}
        speakers.sort(key=lambda m: (rank.get(m.pk, len(rank)), m.is_principal))
        items.append({"item": item, "positions": positions, "tally": selectors.ballot_tally(item), "mine": mine, "speakers": speakers,
                      "statements": [by_id.get(i, "?") for i in item.statements or []],
                      "missing": preparation.missing(item.topic, body_kind=meeting.body.kind) if item.on_agenda else [],
                      "recusals": [r.member_id for r in item.recusals.all()]})
    policy = results.meeting_policy(meeting)
    in_session = meeting.status == MeetingStatus.IN_SESSION
    return {
        "meeting": meeting, "entitled": entitled, "me": me, "organiser": organiser, "policy": policy,
        "members": [{"m": m, "a": attendance.get(m.pk)} for m in members], "items": items,
        "present_count": sum(1 for a in attendance.values() if a.present),
        "choices": Choice.choices, "methods": VotingMethod.choices,
        "quorum": (meeting.result or {}).get("quorum"), "meeting_violations": [
            v for v in (meeting.result or {}).get("violations", []) if v.get("item") is None],
        "notes": (meeting.result or {}).get("notes", []),
        "can": {"edit": organiser and meeting.status in saving.OPEN_STATES, "live": organiser and in_session,
                "vote": in_session,
                "open": organiser and meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.NOTIFIED),
                "close": organiser and in_session},
    }


@login_required
@business_page
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting: notice, agenda, attendance, votes, results and minutes on one page."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    ctx = _live_context(request, meeting)
    if ctx["entitled"]:
        # Members' positions and the minutes are restricted (art. 19): each read is on the record.
        audit_record(actor=request.user, action="meeting.read", obj=meeting)
    prepared = selectors.topic_list(request.user).filter(enterprise=meeting.enterprise,
                                                         status__in=[TopicStatus.PREPARED, TopicStatus.DRAFT])
    minutes = Minutes.objects.filter(meeting=meeting).first()
    on_agenda = set(meeting.items.values_list("topic_id", flat=True))
    ctx |= {
        # Only topics whose next body on their route is this meeting's (a studied topic goes on to the board).
        "topics": [t for t in prepared if t.next_body == meeting.body.kind and t.pk not in on_agenda],
        "minutes": minutes, "signed": {s.member_id: s for s in minutes.signatures.all()} if minutes else {},
        "copies": meeting.copies.all(), "notices": meeting.notices.select_related("member"),
        "doc_kinds": documents.KINDS.items(), "nonvoting": sessions.nonvoting_list(meeting),
        # Warned before the act that causes it (issue 13.6): while the meeting runs, before 结束会议; then before 归档.
        "import_warnings": _import_warnings(meeting) if ctx["organiser"] and (
            meeting.status == MeetingStatus.IN_SESSION or (minutes is not None and minutes.status == "draft")) else [],
        "ratification_warnings": _ratification_warnings(meeting) if ctx["organiser"] else [],
    }
    for row in ctx["members"]:
        row["sig"] = ctx["signed"].get(row["m"].pk)
    return render(request, "meetings/detail.html", ctx)


def _import_warnings(meeting: Meeting) -> list[Any]:
    """What the supervisor's import of this meeting's 0006 package will flag (the exchange app's own checks)."""
    from soegov.exchange.meeting_export import preview_anomalies

    return preview_anomalies(meeting)


def _ratification_warnings(meeting: Meeting) -> list[Any]:
    """Emergency decisions this body has still to ratify (xundian art. 13): holding this meeting without
    ratifying one makes it late, so the secretary is told before the meeting ends, with each deadline."""
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.NOTIFIED, MeetingStatus.IN_SESSION):
        return []
    from django.db.models import Q

    from soegov.followup.selectors import awaiting_ratification

    return [d for d in awaiting_ratification(Q(pk=meeting.enterprise_id)).filter(body=meeting.body)
            if d.decided_at < meeting.held_at]


def _member_arg(request: HttpRequest, meeting: Meeting) -> Any:
    raw = request.POST.get("member", "")
    if raw.isdigit():
        return int(raw)
    me = selectors.member_of(request.user, meeting)
    if me is None:
        raise SoegovError("required", "请选择成员", "member")
    return me


@login_required
@post_or_back_to("meetings:detail")
@business_page
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One write on the meeting; htmx gets the live section back, a plain form a redirect."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    p = request.POST
    actor = request.user
    version = p.get("version") or None
    done = ""
    flags: list[str] = []
    with form_action(request, flash=False, denied_as_message=True) as outcome:
        if action == "notice":
            sessions.send_notice(actor=actor, meeting=meeting, version=version)
            done = "会议通知已发出（每位成员一条记录）"
        elif action == "add_item":
            from soegov.meetings.selectors import topic_get

            try:
                topic = topic_get(user=actor, pk=p.get("topic", ""))
            except Http404:
                raise SoegovError("invalid_topic", "请选择本企业的议题", "topic") from None
            sessions.add_item(actor=actor, meeting=meeting, topic=topic, voting_method=p.get("voting_method") or None,
                              ad_hoc=p.get("ad_hoc") == "1")
            done = "议题已列入议程" if p.get("ad_hoc") != "1" else "已记录临时动议（系统将按第十四条标注）"
        elif action == "distribute":
            sessions.distribute_materials(actor=actor, meeting=meeting, version=version)
            done = "已登记决策材料送达"
        elif action == "open":
            sessions.open_meeting(actor=actor, meeting=meeting, version=version)
            done = "会议开始：请登记出席情况，然后逐项讨论、表决"
        elif action == "attendance":
            sessions.record_attendance(actor=actor, meeting=meeting, member=p.get("member", ""),
                                       present=p.get("present") == "1", absence_reason=p.get("absence_reason", ""),
                                       written_opinion=p.get("written_opinion", ""), opinion_item=p.get("opinion_item") or None)
            done = "已登记出席情况"
        elif action == "all_present":
            recorded = set(meeting.attendance.values_list("member_id", flat=True))
            for person in meeting.body.members.exclude(pk__in=recorded):
                sessions.record_attendance(actor=actor, meeting=meeting, member=person, present=True)
            done = "其余成员已登记为出席"
        elif action in ("nonvoting", "nonvoting_remove"):
            sessions.set_nonvoting(actor=actor, meeting=meeting, name=p.get("nonvoting_name", ""),
                                   position=p.get("nonvoting_position", ""), remove=action == "nonvoting_remove")
            done = "已登记列席人员" if action == "nonvoting" else "已移除列席人员"
        elif action == "recusal":
            sessions.record_recusal(actor=actor, meeting=meeting, item=p.get("item", ""), member=p.get("member", ""),
                                    recused=p.get("recused") == "1", reason=p.get("reason", ""))
            done = "已登记回避"
        elif action == "statements":
            order = [x for x in p.getlist("order") if x]
            sessions.record_statements(actor=actor, meeting=meeting, item=p.get("item", ""), order=order)
            # The order is saved as spoken; the engine's one meeting check says whether it breaks 末位表态.
            flags = results.statement_warnings(meeting, p.get("item", ""))
            done = "已登记表态顺序" + (f"。请注意：{'；'.join(flags)}" if flags else "")
        elif action == "vote":
            # A member's own ballot is signed: his PIN opens his key before the vote is written.
            key = unlock_own_key(actor=actor, pin=p["pin"]) if "pin" in p else None
            voting.record_vote(actor=actor, meeting=meeting, item=p.get("item", ""), member=_member_arg(request, meeting),
                               choice=p.get("choice", ""), opinion=p.get("opinion", ""), key=key)
            done = "已投票并以本人电子签名签署" if key is not None else "已记录表决"
        elif action == "conclusion":
            voting.set_conclusion(actor=actor, meeting=meeting, item=p.get("item", ""), conclusion=p.get("conclusion", ""))
            done = "已记录决定事项"
        elif action == "results":
            result = results.compute_results(actor=actor, meeting=meeting)
            done = "已由规则引擎计票" if result is not None else "本辖区制度没有会议决策规则，不计算结果"
        elif action == "declare":
            row = results.declare_result(actor=actor, meeting=meeting, item=p.get("item", ""), passed=p.get("passed", ""))
            done = f"已登记会议宣布的结果：{'通过' if row.passed else '未通过'}（{DECLARED_LABEL}）"
        elif action == "close":
            results.close_meeting(actor=actor, meeting=meeting, version=version)
            done = "会议结束，结果已计算。下一步：填写会议记录，出席人员签字后归档"
        elif action == "minutes":
            meetings_minutes.edit_minutes(actor=actor, meeting=meeting, nonvoting_opinions=p.get("nonvoting_opinions", ""),
                                          disagreements=p.get("disagreements", ""), summary=p.get("summary", ""),
                                          doc_number=p.get("doc_number", ""), version=version)
            done = "会议记录已保存"
        elif action == "sign":
            meetings_minutes.own_seat(actor, meeting)
            key = unlock_own_key(actor=actor, pin=p.get("pin", ""))
            meetings_minutes.sign_minutes(actor=actor, meeting=meeting, key=key)
            done = "已以本人电子签名（SM2）签署会议记录"
        elif action == "archive":
            meetings_minutes.archive_minutes(actor=actor, meeting=meeting, version=version)
            done = "会议记录已归档并锁定"
        elif action == "copy_issue":
            sessions.issue_copy(actor=actor, meeting=meeting, holder=p.get("holder", ""), what=p.get("what", ""))
            done = "已登记发放"
        elif action in ("copy_recover", "copy_destroy"):
            sessions.copy_step(actor=actor, meeting=meeting, copy=p.get("copy", ""), step=action.removeprefix("copy_"))
            done = "已登记"
        else:
            raise Http404("无此操作")
    ok, done = outcome.ok and not flags, done if outcome.ok else outcome.error
    if request.headers.get("HX-Request") and action in {"attendance", "all_present", "recusal", "statements", "vote", "conclusion",
                                                          "results", "declare"}:
        meeting.refresh_from_db()
        ctx = _live_context(request, meeting) | {"flash": done, "flash_ok": ok}
        return render(request, "meetings/_live.html", ctx, status=200)
    (messages.success if ok else messages.error)(request, done)
    return redirect("meetings:detail", meeting.pk)


@login_required
@business_page
def meeting_document(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """The record or summary (.docx / .pdf), only for those entitled (art. 19); every read and refusal audited."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if kind not in documents.KINDS or fmt not in ("docx", "pdf"):
        raise Http404("无此文件")
    if not selectors.can_read_minutes(request.user, meeting):
        audit_record(actor=request.user, action="meeting.minutes_denied", obj=meeting, after={"kind": kind, "fmt": fmt})
        raise PermissionDenied("会议记录和纪要仅限该决策机构成员、本企业秘书和本辖区国资监管人员查阅（第十九条）")
    if meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.ARCHIVED):
        raise Http404("会议结束后才生成会议记录和纪要")
    audit_record(actor=request.user, action="meeting.minutes_read", obj=meeting, after={"kind": kind, "fmt": fmt})
    signed = documents.signed_record(meeting.minutes) if kind == "record" and hasattr(meeting, "minutes") else None
    if signed is not None:
        # The record exactly as the members signed it, with their signatures inside.
        return signed_response(signed, fmt, f"{meeting.title}{documents.KINDS[kind]}")
    data = documents.render(meeting, kind, fmt)
    name = f"{meeting.title}{documents.KINDS[kind]}.{fmt}"
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=DOCX if fmt == "docx" else "application/pdf")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


# --- topics -----------------------------------------------------------------------------------------------


@login_required
@business_page
def topic_list(request: HttpRequest) -> HttpResponse:
    """Topics and a form to raise one by hand or from a matter that needs a collective decision."""
    from soegov.matters.selectors import matter_list

    user: Any = request.user
    can_create = user.role in ORGANISERS and user.enterprise_id is not None
    # The most recent 200: an enterprise with more matters waiting for a topic picks among the newest.
    matters = list(matter_list(user=user).filter(needs_collective_decision=True, topics__isnull=True)[:200]) \
        if can_create else []
    listing = list_page(selectors.topic_list(user), request.GET, filters=selectors.TOPIC_FILTERS,
                        search_fields=selectors.TOPIC_SEARCH)
    return render(request, "meetings/topics.html", {
        "topics": listing.page, "listing": listing, "statuses": TopicStatus.choices,
        "status": request.GET.get("status", ""),
        "categories": Category.choices, "can_create": can_create, "matters": matters,
    })


@login_required
@post_or_back_to("meetings:topics")
@business_page
def topic_new(request: HttpRequest) -> HttpResponse:
    """Create a topic (from a matter when one is chosen)."""
    p = request.POST
    user: Any = request.user
    with form_action(request, success="议题已创建。下一步：逐项完成会前准备并上传决策材料（第十一条）。"):
        if user.enterprise is None:
            raise SoegovError("required", "只有企业用户可以提出议题", "enterprise")
        if p.get("matter", "").isdigit():
            from soegov.matters.selectors import matter_get

            topic = topics.topic_from_matter(actor=user, matter=matter_get(user=user, pk=int(p["matter"])),
                                             category=p.get("category") or "major_decision")
        else:
            topic = topics.create_topic(actor=user, enterprise=user.enterprise, title=p.get("title", ""),
                                        category=p.get("category", ""), description=p.get("description", ""),
                                        amount=p.get("amount") or None,
                                        staff_interests=p.get("staff_interests") == "1")
        return redirect("meetings:topic", topic.pk)
    return redirect("meetings:topics")


@login_required
@business_page
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A topic: the art. 11 checklist, materials, dispute and the pre-study link."""
    topic = selectors.topic_get(user=request.user, pk=pk)
    prestudies = AgendaItem.objects.filter(meeting__enterprise=topic.enterprise, meeting__body__kind="party_committee",
                                           passed=True).select_related("meeting", "topic")
    route_labels = [BodyKind(b).label if b in BodyKind.values else b for b in topic.route]
    return render(request, "meetings/topic.html", {
        "topic": topic, "checklist": preparation.checklist(topic), "missing": preparation.missing(topic),
        "materials": topic.materials.all(), "can": _is_organiser(request.user, topic.enterprise)
        and topic.status != TopicStatus.DECIDED, "prestudies": prestudies, "route_labels": route_labels,
        "items": topic.agenda_items.select_related("meeting"),
    })


@login_required
@post_or_back_to("meetings:topic")
@business_page
def topic_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One write on a topic."""
    topic = selectors.topic_get(user=request.user, pk=pk)
    p = request.POST
    actor = request.user
    with form_action(request, success="已保存", denied_as_message=True):
        if action == "step":
            topics.mark_step(actor=actor, topic=topic, step=p.get("step", ""), done=p.get("done", "1") == "1",
                             note=p.get("note", ""), version=p.get("version") or None)
        elif action == "upload":
            f = request.FILES.get("file")
            if f is None:
                raise SoegovError("required", "请选择要上传的文件", "file")
            topics.upload_material(actor=actor, topic=topic, name=f.name or "", data=f.read())
        elif action == "dispute":
            topics.set_dispute(actor=actor, topic=topic, disputed=p.get("disputed") == "1",
                               emergency=p.get("emergency") == "1", version=p.get("version") or None)
        elif action == "prestudy":
            item = AgendaItem.objects.filter(pk=p.get("item") or 0, meeting__enterprise=topic.enterprise).first()
            if item is None:
                raise SoegovError("required", "请选择党委前置研究的议题", "item")
            topics.link_prestudy(actor=actor, topic=topic, item=item, version=p.get("version") or None)
        else:
            raise Http404("无此操作")
    return redirect("meetings:topic", topic.pk)


@login_required
@business_page
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A topic's material, for those entitled to its meetings' papers (art. 19); every read audited."""
    material = TopicMaterial.objects.select_related("topic", "topic__enterprise").filter(pk=pk).first()
    if material is None:
        raise Http404("文件不存在")
    topic = selectors.topic_get(user=request.user, pk=material.topic_id)
    user: Any = request.user
    meetings = [i.meeting for i in topic.agenda_items.select_related("meeting", "meeting__enterprise")]
    allowed = _is_organiser(user, topic.enterprise) or any(selectors.can_read_minutes(user, m) for m in meetings)
    if not allowed:
        audit_record(actor=user, action="topic.material_denied", obj=material)
        raise PermissionDenied("决策材料仅限参会人员和本企业办理人员查阅（第十九条）")
    if not file_exists(material.sha256):
        raise Http404("文件不存在")
    audit_record(actor=user, action="topic.material_read", obj=material)
    return file_response(material.sha256, material.original_name, actor=user, what=f"决策材料“{material.original_name}”")


# --- decision lists and the supervisor's browse -------------------------------------------------------------


@login_required
@business_page
def list_index(request: HttpRequest) -> HttpResponse:
    """The decision lists the user may see; an enterprise starts its own from the pack."""
    user: Any = request.user
    if request.method == "POST":
        with form_action(request, success="已按制度生成事项清单草稿。可把限额调低、增加决策机构，然后报国资监管机构备案。",
                         denied_as_message=True):
            if user.enterprise is None:
                raise SoegovError("required", "只有企业用户可以编制事项清单", "enterprise")
            dlist = decision_lists.create_list(actor=user, enterprise=user.enterprise)
            return redirect("meetings:list_detail", dlist.pk)
        return redirect("meetings:lists")
    return render(request, "meetings/lists.html", {
        "lists": selectors.decision_lists(user),
        "can_create": user.role in ORGANISERS and user.enterprise_id is not None,
        "policy": decision_lists.list_policy(user.enterprise) if user.enterprise_id else None,
    })


@login_required
@business_page
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One decision list with its entries; editable while a draft, fileable once."""
    dlist = selectors.decision_list_get(user=request.user, pk=pk)
    user: Any = request.user
    if request.method == "POST":
        p = request.POST
        with form_action(request, denied_as_message=True):
            if p.get("action") == "file":
                decision_lists.file_list(actor=user, dlist=dlist, version=p.get("version") or None)
                messages.success(request, "事项清单已报国资监管机构备案")
            elif p.get("action") == "new_version":
                dlist = decision_lists.new_version(actor=user, dlist=dlist)
                messages.success(request, "已新建一版草稿")
            else:
                decision_lists.edit_entry(actor=user, dlist=dlist, rule=p.get("rule", ""), threshold=p.get("threshold"),
                                          bodies=p.getlist("bodies") or None, version=p.get("version") or None)
                messages.success(request, "已保存")
        return redirect("meetings:list_detail", dlist.pk)
    return render(request, "meetings/list_detail.html", {
        "dlist": dlist, "can_edit": _is_organiser(user, dlist.enterprise), "body_kinds": BodyKind.choices,
        "labels": dict(BodyKind.choices),
    })


@login_required
@business_page
def decisions(request: HttpRequest) -> HttpResponse:
    """Decided items of every enterprise the user may see (the supervisor's browse of the jurisdiction)."""
    from soegov.enterprises.selectors import enterprise_list

    ent = request.GET.get("enterprise", "")
    items = selectors.decided_items(request.user, enterprise_id=int(ent) if ent.isdigit() else None,
                                    q=request.GET.get("q", ""))
    listing = list_page(items, request.GET)
    # Beside the engine's check, what the supervisor's import flags: the one computation the meeting page and
    # the import use (issue 13.6), so this list and 三重一大数据 never disagree about a decision.
    from soegov.exchange.meeting_export import anomalies_by_item

    listing.page.object_list = shown = list(listing.page.object_list)
    flagged = anomalies_by_item({i.meeting_id: i.meeting for i in shown}.values())
    for i in shown:
        i.anomalies = flagged.get(i.pk, [])
    return render(request, "meetings/decisions.html", {
        "items": listing.page, "listing": listing, "enterprises": enterprise_list(user=request.user), "enterprise": ent,
        "q": request.GET.get("q", ""),
    })


@login_required
@business_page
def my_votes(request: HttpRequest) -> HttpResponse:
    """The ballot items waiting for the user's own vote, and his seats' meetings coming up."""
    user: Any = request.user
    upcoming = (selectors.meeting_list(user).filter(body__members__user=user, status__in=[
        MeetingStatus.SCHEDULED, MeetingStatus.NOTIFIED, MeetingStatus.IN_SESSION]).distinct().order_by("held_at"))
    return render(request, "meetings/my_votes.html", {
        "pending": selectors.pending_ballots(user), "upcoming": upcoming, "seated": selectors.holds_seat(user)})
