"""Pages of the reporting workflow: thin, each parses its input, calls one service or selector and renders.
The attachments' pages are in attachment_views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from soegov.accounts.roles import ENTERPRISE_ROLES, SUPERVISOR_ROLES, Role
from soegov.advisor.selectors import attribute_fields
from soegov.core.errors import SoegovError
from soegov.core.forms import form_action
from soegov.core.gates import role_required
from soegov.core.locking import posted_version
from soegov.core.paging import list_page
from soegov.core.redirects import post_or_back_to
from soegov.matters import (
    attachments,
    document_downloads,
    documents,
    editing,
    facts,
    holidays,
    ledger,
    lifecycle,
    selectors,
    transitions,
    workflow,
)
from soegov.matters.gates import business_page
from soegov.matters.models import Route, Status
from soegov.matters.sealing import seal_note

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _facts(request: HttpRequest, enterprise: Any, matter_type: str) -> dict[str, Any]:
    """The attributes of the form, parsed by the advisor's own builder (the same rules as the advisor page)."""
    from soegov.advisor.services import build_document
    from soegov.policy.catalogue import MATTER_TYPES

    specs = getattr(MATTER_TYPES.get(matter_type), "attributes", None) or {}
    values = {k: request.POST.get(k, "") for k in request.POST}
    values.update({"type": matter_type, "level": str(enterprise.level), "ownership": enterprise.ownership, "amount": ""})
    attributes: dict[str, Any] = build_document(values, specs)["attributes"] if matter_type else {}
    return attributes


def _enterprise_for(request: HttpRequest) -> Any:
    from soegov.enterprises.selectors import enterprise_chosen

    return enterprise_chosen(user=request.user, raw=request.POST.get("enterprise") or request.GET.get("enterprise"))


@login_required
@business_page
def matter_list(request: HttpRequest) -> HttpResponse:
    """My matters (enterprise) or the jurisdiction's matters (supervisor): filtered, searched, paged, exportable."""
    from soegov.enterprises.selectors import enterprise_list

    listing = list_page(selectors.matter_list(user=request.user), request.GET, filters=selectors.MATTER_FILTERS,
                        search_fields=selectors.MATTER_SEARCH)
    return render(request, "matters/list.html", {
        "rows": selectors.clock_rows(listing.page), "listing": listing, "statuses": Status.choices,
        "status": request.GET.get("status", ""), "year": request.GET.get("year", ""),
        "enterprise": request.GET.get("enterprise", ""), "overdue": request.GET.get("overdue", ""),
        "enterprises": enterprise_list(user=request.user), "can_create": request.user.role in transitions.ENTERPRISE_WRITERS,
        "query": listing.params,
    }, status=400 if listing.error else 200)


@login_required
@role_required(SUPERVISOR_ROLES, "只有国资监管人员可以查看审核队列")
def review_queue(request: HttpRequest) -> HttpResponse:
    """The supervisor's queue, the soonest due first, paged."""
    listing = list_page(selectors.review_queue(user=request.user), request.GET, filters=selectors.MATTER_FILTERS,
                        search_fields=selectors.MATTER_SEARCH)
    return render(request, "matters/queue.html", {"rows": selectors.clock_rows(listing.page), "listing": listing,
                                                  "can_act": transitions.REVIEWER_GATE.allows(request.user)},
                  status=400 if listing.error else 200)


@login_required
@role_required(transitions.ENTERPRISE_WRITERS, "只有企业用户可以新建事项")
def matter_new(request: HttpRequest) -> HttpResponse:
    """Open a matter; the advisor shows the obligations inline before it is saved."""
    from soegov.enterprises.selectors import enterprise_list
    from soegov.policy.catalogue import MATTER_TYPES

    values: dict[str, Any] = {k: request.POST.get(k, "") for k in request.POST} if request.method == "POST" else {
        "occurred_on": timezone.localdate().isoformat(), "enterprise": str(request.user.enterprise_id or "")}
    error = ""
    field_errors: dict[str, str] = {}
    confirm_date = False
    advice: dict[str, Any] = {}
    if request.method == "POST":
        with form_action(request, flash=False) as outcome:
            enterprise = _enterprise_for(request)
            matter_type = values.get("type", "")
            problems = facts.new_matter_errors(matter_type=matter_type, title=values.get("title"),
                                               occurred_on=values.get("occurred_on"), amount=values.get("amount"))
            if problems:
                field_errors = {p.path: p.message for p in problems if p.path}
                raise SoegovError("invalid_form", "；".join(p.message for p in problems), problems[0].path)
            matter = editing.matter_create(
                actor=request.user, enterprise=enterprise, matter_type=matter_type, title=values.get("title", ""),
                amount=values.get("amount"), attributes=_facts(request, enterprise, matter_type),
                occurred_on=values.get("occurred_on"), description=values.get("description", ""),
                date_confirmed=values.get("date_confirmed") == "1")
            messages.success(request, _("已创建事项，报送方式：%(route)s") % {"route": _(matter.get_route_display())})
            return redirect("matters:detail", matter.pk)
        error = outcome.error
        # Each field in error is marked and says its own message (a refusal by the service names one field).
        field_errors = field_errors or outcome.field_errors
        confirm_date = outcome.code == "date_unconfirmed"
        # The advisor panel stays for the type chosen: an error elsewhere must not hide what the type needs.
        advice = _advice(request)
    return render(request, "matters/new.html", {
        "values": values, "error": error, "types": sorted(MATTER_TYPES.items()), "advice": advice,
        "enterprises": enterprise_list(user=request.user).filter(level__gte=1),
        "attr_fields": attribute_fields(values.get("type", ""), values), "confirm_date": confirm_date,
        "field_errors": field_errors,
    }, status=400 if error else 200)


@login_required
@post_or_back_to("matters:new")
@role_required(ENTERPRISE_ROLES, "只有企业用户可以新建事项")
def matter_preview(request: HttpRequest) -> HttpResponse:
    """htmx partial: what the engine requires for the facts in the form (the advisor, inline)."""
    advice = _advice(request)
    if "error" in advice:
        return HttpResponse(f'<p class="error" id="result" role="alert">{escape(advice["error"])}</p>')
    if "view" not in advice:
        return HttpResponse(f'<p class="muted" id="result">{escape(_("选择事项类型后显示须履行的义务。"))}</p>')
    return render(request, "advisor/_result.html", {"view": advice["view"]})


def _advice(request: HttpRequest) -> dict[str, Any]:
    """The advisor's verdict on the posted form ({"view": ...}), its error ({"error": ...}), or {} before a type is chosen."""
    from soegov.advisor.services import advise
    from soegov.user_input import clean_date, clean_money

    try:
        enterprise = _enterprise_for(request)
        matter_type = request.POST.get("type", "")
        if not matter_type:
            return {}
        occurred = clean_date(request.POST.get("occurred_on"), "occurred_on", "决策或发生日期", required=False)
        doc: dict[str, Any] = {"type": matter_type, "date": occurred.isoformat() if occurred else None,
                               "enterprise": {"level": enterprise.level, "ownership": enterprise.ownership},
                               "attributes": _facts(request, enterprise, matter_type)}
        # Parsed here, not by the engine, so a bad amount is reported with the form's own label (金额).
        amount = clean_money(request.POST.get("amount"), "amount", "金额", required=False)
        if amount is not None:
            doc["amount"] = str(amount)
        return {"view": advise({k: v for k, v in doc.items() if v is not None}, policy=enterprise.jurisdiction.default_policy)}
    except SoegovError as exc:
        return {"error": exc.message}


@login_required
@business_page
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The matter: facts, verdict with articles, clock, attachments, documents, actions and history."""
    return _detail_page(request, selectors.matter_get(user=request.user, pk=pk))


def _detail_page(request: HttpRequest, m: Any, typed: dict[str, dict[str, str]] | None = None,
                 status: int = 200) -> HttpResponse:
    """The matter page; `typed` holds what was typed into the form that was refused, by action, shown again."""
    from soegov.policy.catalogue import ATTACHMENTS, MATTER_TYPES

    verdict = facts.latest_verdict(m)
    in_force = facts.in_force(verdict.result)
    user: Any = request.user
    is_enterprise = user.role in transitions.ENTERPRISE_WRITERS
    is_reviewer = user.role in transitions.REVIEWERS
    current = selectors.current_attachments(m)
    have = {a.kind for a in current}
    values = {f"attr_{k}": ("true" if v is True else "false" if v is False else str(v)) for k, v in m.attributes.items()}
    return render(request, "matters/detail.html", {
        "m": m, "verdict": verdict, "verdicts": m.verdicts.all()[1:], **selectors.clock_rows([m])[0],
        "not_in_force": "" if in_force else facts.not_in_force_error(verdict.result).message,
        "type_label": getattr(MATTER_TYPES.get(m.matter_type), "label", m.matter_type),
        "required": [(c, selectors.attachment_label(c), c in have) for c in m.required_attachments],
        "missing": lifecycle.missing_attachments(m), "current": current,
        "all_attachments": m.attachments.select_related("withdrawn_by"),
        "submitted_ids": attachments.submitted_attachment_ids(m), "kinds": [(c, getattr(a, "label", c)) for c, a in ATTACHMENTS.items()],
        "events": m.events.select_related("actor"), "submissions": m.submissions.all(),
        "last_return": m.events.filter(action="return").first() if m.status == Status.RETURNED else None,
        "documents": [(k, documents.KINDS[k], seal_note(m, k)) for k in documents.available_kinds(m)],
        "can": {
            "edit": is_enterprise and m.status in workflow.EDITABLE,
            "record_decision": is_enterprise and workflow.allowed("record_decision", m.status),
            "submit": is_enterprise and in_force and workflow.allowed("submit", m.status) and m.route != Route.INTERNAL
            and not (m.needs_collective_decision and m.decided_at is None),
            "implement": is_enterprise and in_force and workflow.allowed("implement", m.status, m.route),
            "start_review": is_reviewer and workflow.allowed("start_review", m.status),
            "return": is_reviewer and workflow.allowed("return", m.status),
            "forward": is_reviewer and workflow.allowed("forward", m.status) and m.authority == "city_government"
            and workflow.missing_record("forward", m.route, {"committee_passed_at": m.committee_passed_at}) is None,
            "record_committee": is_reviewer and workflow.allowed("record_committee", m.status) and m.route == Route.APPROVAL
            and m.committee_passed_at is None,
            "decide": is_reviewer and workflow.allowed("decide", m.status),
            "record_city_answer": is_reviewer and workflow.allowed("record_city_answer", m.status),
        },
        "outcomes": ([("approve", _("批准")), ("reject", _("不予批准"))] if m.route == Route.APPROVAL and m.committee_passed_at
                     else [("reject", _("不予批准"))] if m.route == Route.APPROVAL
                     else [("file", _("予以备案")), ("reject", _("不予备案"))]),
        "city_item": m.authority == "city_government",
        # Pre-filled only from what is recorded: the committee pass and its date (yining arts. 11, 21).
        "forward_comment": (f"经国资监管机构党委会议于 {timezone.localtime(m.committee_passed_at):%Y-%m-%d} 研究通过，"
                            "同意报请市政府批准") if m.committee_passed_at else "",
        "attr_fields": attribute_fields(m.matter_type, values),
        "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "typed": typed or {},
        "decision_bodies": [gettext_noop("党委会"), gettext_noop("董事会"), gettext_noop("股东会"),
                            gettext_noop("总经理办公会"), gettext_noop("事发（无会议）")],
    }, status=status)


@login_required
@post_or_back_to("matters:detail")
@business_page
def matter_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One transition of the lifecycle, posted from the detail page."""
    m = selectors.matter_get(user=request.user, pk=pk)
    p = request.POST
    v = posted_version(request)
    actor = request.user
    with form_action(request) as outcome:
        if action == "update":
            editing.matter_update(actor=actor, matter=m, version=v, title=p.get("title"), amount=p.get("amount"),
                                  attributes=_facts(request, m.enterprise, m.matter_type), occurred_on=p.get("occurred_on"),
                                  description=p.get("description"), date_confirmed=p.get("date_confirmed") == "1")
        elif action == "record_decision":
            editing.matter_record_decision(actor=actor, matter=m, version=v, body=p.get("body", ""),
                                           decided_at=p.get("decided_at", ""), summary=p.get("summary", ""))
        elif action == "submit":
            lifecycle.matter_submit(actor=actor, matter=m, version=v)
        elif action == "start_review":
            lifecycle.matter_start_review(actor=actor, matter=m, version=v)
        elif action == "return":
            lifecycle.matter_return(actor=actor, matter=m, version=v, missing=p.get("missing", "").splitlines(),
                                    comment=p.get("comment", ""))
        elif action == "record_committee":
            lifecycle.matter_record_committee(actor=actor, matter=m, version=v, passed_at=p.get("passed_at") or None,
                                              comment=p.get("comment", ""))
        elif action == "forward":
            lifecycle.matter_forward(actor=actor, matter=m, version=v, comment=p.get("comment", ""))
        elif action == "decide":
            lifecycle.matter_decide(actor=actor, matter=m, version=v, outcome=p.get("outcome", ""),
                                    comment=p.get("comment", ""), answer_number=p.get("answer_number", ""))
        elif action == "record_city_answer":
            lifecycle.matter_record_city_answer(actor=actor, matter=m, version=v, approved=p.get("approved") == "true",
                                                comment=p.get("comment", ""), answer_number=p.get("answer_number", ""))
        elif action == "implement":
            lifecycle.matter_implement(actor=actor, matter=m, version=v)
        else:
            raise Http404("无此操作")
    if not outcome.ok:
        # The page again with what was typed (a redirect would clear the form); refreshed, so a stale version shows.
        fresh = selectors.matter_get(user=request.user, pk=m.pk)
        typed = {action: {k: p.get(k, "") for k in p} | {"confirm_date": "1" if outcome.code == "date_unconfirmed" else ""}}
        return _detail_page(request, fresh, typed, status=400)
    messages.success(request, _("已%(action)s") % {"action": _(workflow.ACTION_LABELS.get(action, action))})
    return redirect("matters:detail", m.pk)


@login_required
@business_page
def document(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """The generated 请示 / 报告 / 批复 / 备案回执 as .docx or PDF."""
    return document_downloads.download(selectors.matter_get(user=request.user, pk=pk), kind, fmt)


@login_required
@business_page
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The ledger of the listed matters (the list's filters and keyword) as .xlsx, streamed."""
    from soegov.core.errors import InputError
    from soegov.core.paging import apply_filters, read_filters, search

    try:
        values = read_filters(request.GET, selectors.MATTER_FILTERS)
    except InputError:
        # The list page names the bad filter; the export never runs on filters it could not read.
        return redirect(f"{reverse('matters:list')}?{request.GET.urlencode()}")
    qs = search(apply_filters(selectors.matter_list(user=request.user), values, selectors.MATTER_FILTERS),
                request.GET.get("q", ""), selectors.MATTER_SEARCH)
    return ledger.ledger_response(qs.order_by("enterprise__path", "occurred_on", "id"),
                                  f"matters-{values.get('year', 'all')}.xlsx")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's in-app reminders and messages; opening the page marks them read."""
    items = list(selectors.notifications(user=request.user)[:200])
    selectors.notifications(user=request.user, unread_only=True).update(read=True)
    return render(request, "matters/notifications.html", {"items": items})


@login_required
@role_required({Role.SYSTEM_ADMIN}, "只有系统管理员可以管理节假日日历")
def calendar_admin(request: HttpRequest) -> HttpResponse:
    """The working-day calendar: the years held, and import of a new year's State Council notice."""
    from soegov.calendar import known_years, show_year

    if request.method == "POST":
        f = request.FILES.get("file")
        with form_action(request):
            if f is None:
                raise SoegovError("required", "请选择节假日安排文件（YAML 或 JSON）", "file", "choose the holiday file (YAML or JSON)")
            schedule = holidays.calendar_import(actor=request.user, name=f.name or "", data=f.read())
            messages.success(request, _("已导入 %(year)s 年节假日安排（%(document)s）") % {"year": schedule.year, "document": schedule.document})
            return redirect("matters:calendar")
    this_year = timezone.localdate().year
    years = [show_year(y) for y in sorted(set(known_years()) | {this_year, this_year + 1}, reverse=True)]
    return render(request, "matters/calendar.html", {"years": years})
