"""Pages of collective decisions: thin, each parses its input, calls one service or selector and renders.

The meeting page is built for use during the session: every write posts with htmx and gets back the live
section (attendance, items, votes, results) re-rendered from the records, so the page never shows a count
the engine did not make. Its writes are the rows of page_actions.ACTIONS; topics' pages are in topic_views.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from soegov.audit.services import audit_record
from soegov.core.errors import SoegovError
from soegov.core.forms import form_action
from soegov.core.paging import list_page
from soegov.core.redirects import post_or_back_to
from soegov.enterprises.models import BodyKind
from soegov.meetings import decision_lists, documents, preparation, results, saving, selectors, sessions
from soegov.meetings.gates import ORGANISER_GATE, ORGANISERS, RUNNER_GATE, RUNNERS, business_page
from soegov.meetings.models import (
    Choice,
    Meeting,
    MeetingForm,
    MeetingStatus,
    Minutes,
    TopicStatus,
    VotingMethod,
)
from soegov.meetings.nonvoting import parse_nonvoting
from soegov.meetings.page_actions import ACTIONS, Done
from soegov.signatures.downloads import signed_response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _is_organiser(user: Any, enterprise: Any) -> bool:
    return ORGANISER_GATE.allows(user, enterprise)


def _is_runner(user: Any, enterprise: Any) -> bool:
    return RUNNER_GATE.allows(user, enterprise)


@login_required
@business_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings the user may see, with scheduling for the enterprise's organisers."""
    return _list_page(request)


def _list_page(request: HttpRequest, refused: Any = None) -> HttpResponse:
    """The meetings list; after a refused scheduling, the form open again with what was typed and the field marked."""
    from soegov.enterprises.selectors import body_list

    user: Any = request.user
    listing = list_page(selectors.meeting_list(user), request.GET, filters=selectors.MEETING_FILTERS,
                        search_fields=selectors.MEETING_SEARCH)
    bodies = [b for b in body_list(user=user) if _is_runner(user, b.enterprise)] if user.role in RUNNERS else []
    return render(request, "meetings/list.html", {
        "meetings": listing.page, "listing": listing, "bodies": bodies, "forms": MeetingForm.choices,
        "topics_waiting": selectors.topic_list(user).filter(status=TopicStatus.PREPARED).count(),
        "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "typed": request.POST if refused else {}, "error": refused.error if refused else "",
        "field_errors": refused.field_errors if refused else {},
    }, status=400 if refused else 200)


@login_required
@post_or_back_to("meetings:list")
@business_page
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Schedule a meeting of one of the user's bodies."""
    from soegov.enterprises.selectors import body_get

    p = request.POST
    with form_action(request, flash=False) as outcome:
        raw = p.get("body", "")
        if not raw.isdigit():
            raise SoegovError("required", "请选择决策机构", "body")
        try:
            body = body_get(user=request.user, pk=int(raw))
        except Http404:
            raise SoegovError("invalid_body", "所选决策机构不存在或不在您的范围内", "body") from None
        meeting = sessions.meeting_create(actor=request.user, body=body, title=p.get("title", ""),
                                          held_at=p.get("held_at", ""), place=p.get("place", ""),
                                          recorder=p.get("recorder", ""), nonvoting_attendees=p.get("nonvoting", ""),
                                          form=p.get("form", "meeting"))
        messages.success(request, _("会议已安排。下一步：把已准备好的议题列入议程，然后发出会议通知。"))
        return redirect("meetings:detail", meeting.pk)
    # The list again with the form as it was typed (a redirect would clear it), the refused field marked.
    return _list_page(request, outcome)


def _live_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """Everything the live section shows, from the records and the engine's stored result."""
    user: Any = request.user
    entitled = selectors.can_read_minutes(user, meeting)
    me = selectors.seat_of(user, meeting)
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
        "doc_kinds": documents.KINDS.items(), "nonvoting": parse_nonvoting(meeting.nonvoting_attendees),
        # Warned before the act that causes it (issue 13.6): while the meeting runs, before 结束会议; then before 归档.
        "import_warnings": _import_warnings(meeting) if ctx["organiser"] and (
            meeting.status == MeetingStatus.IN_SESSION or (minutes is not None and minutes.status == "draft")) else [],
        "imported": _imported(meeting) if meeting.status == MeetingStatus.CLOSED else False,
        "ratification_warnings": _ratification_warnings(meeting) if ctx["organiser"] else [],
    }
    for row in ctx["members"]:
        row["sig"] = ctx["signed"].get(row["m"].pk)
    return render(request, "meetings/detail.html", ctx)


def _import_warnings(meeting: Meeting) -> list[Any]:
    """What the supervisor's import of this meeting's 0006 package will flag (the exchange app's own checks)."""
    from soegov.exchange.meeting_export import preview_anomalies

    return preview_anomalies(meeting)


def _imported(meeting: Meeting) -> bool:
    """Whether the supervisor already holds this meeting's 0006: its findings are then on record, not ahead."""
    from soegov.exchange.meeting_export import received_meetings_of

    return bool(received_meetings_of([meeting]))


def _ratification_warnings(meeting: Meeting) -> list[Any]:
    """Emergency decisions this body has still to ratify (xundian art. 13): holding this meeting without
    ratifying one makes it late, so the secretary is told before the meeting ends, with each deadline."""
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.NOTIFIED, MeetingStatus.IN_SESSION):
        return []
    from django.db.models import Q

    from soegov.followup.selectors import awaiting_ratification

    return [d for d in awaiting_ratification(Q(pk=meeting.enterprise_id)).filter(body=meeting.body)
            if d.decided_at < meeting.held_at]


@login_required
@post_or_back_to("meetings:detail")
@business_page
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One write on the meeting (a row of page_actions.ACTIONS); htmx gets the live section back, a form a redirect."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    act = ACTIONS.get(action)
    if act is None:
        raise Http404("无此操作")
    done = Done("")
    with form_action(request, flash=False, denied_as_message=True) as outcome:
        done = act.run(request, meeting)
    ok, text = outcome.ok and not done.warning, done.text if outcome.ok else outcome.error
    if request.headers.get("HX-Request") and act.live:
        meeting.refresh_from_db()
        ctx = _live_context(request, meeting) | {"flash": text, "flash_ok": ok}
        if ctx["can"]["close"]:
            # The warnings beside 结束会议 read attendance and votes: sent again with the live section they change.
            ctx |= {"oob": True, "import_warnings": _import_warnings(meeting)}
        return render(request, "meetings/_live.html", ctx, status=200)
    (messages.success if ok else messages.error)(request, text)
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


@login_required
@business_page
def list_index(request: HttpRequest) -> HttpResponse:
    """The decision lists the user may see; an enterprise starts its own from the pack."""
    user: Any = request.user
    if request.method == "POST":
        with form_action(request, success=_("已按制度生成事项清单草稿。可把限额调低、增加决策机构，然后报国资监管机构备案。"),
                         denied_as_message=True):
            if user.enterprise is None:
                raise SoegovError("required", "只有企业用户可以编制事项清单", "enterprise")
            dlist = decision_lists.decision_list_create(actor=user, enterprise=user.enterprise)
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
                decision_lists.decision_list_file(actor=user, dlist=dlist, version=p.get("version") or None)
                messages.success(request, _("事项清单已报国资监管机构备案"))
            elif p.get("action") == "new_version":
                dlist = decision_lists.decision_list_version_create(actor=user, dlist=dlist)
                messages.success(request, _("已新建一版草稿"))
            else:
                decision_lists.decision_list_entry_edit(actor=user, dlist=dlist, rule=p.get("rule", ""), threshold=p.get("threshold"),
                                          bodies=p.getlist("bodies") or None, version=p.get("version") or None)
                messages.success(request, _("已保存"))
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
    # the import use (issue 13.6) — stored by the import once the meeting's 0006 is received (what 三重一大数据
    # and the dashboard count), predicted before — so this list never calls a counted finding a prediction.
    from soegov.exchange.meeting_export import legality_by_item

    listing.page.object_list = shown = list(listing.page.object_list)
    flagged = legality_by_item({i.meeting_id: i.meeting for i in shown}.values())
    for i in shown:
        i.imported, i.anomalies = flagged.get(i.pk, (False, []))
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
