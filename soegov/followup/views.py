"""Pages of execution tracking and emergency decisions: thin, one service or selector each."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from soegov.accounts.roles import BUSINESS_ROLES
from soegov.core.errors import SoegovError
from soegov.core.files import file_response
from soegov.core.forms import form_action
from soegov.core.gates import role_required
from soegov.core.paging import list_page
from soegov.core.redirects import post_or_back_to
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.followup import selectors, services
from soegov.followup.models import ActionStatus, ChangeCause, DecisionForm

business_page = role_required(BUSINESS_ROLES, "您的角色无权访问督办事项")


def _passed_items(user: Any) -> Any:
    from soegov.meetings.selectors import decided_items

    return decided_items(user).filter(passed=True, meeting__form="meeting")


@login_required
@business_page
def home(request: HttpRequest) -> HttpResponse:
    """Action items and emergency decisions, overdue and late ones first, with what to do next."""
    scope = enterprise_scope_q(request.user)
    today = timezone.localdate()
    listing = list_page(selectors.action_list(user=request.user, status=request.GET.get("status", ""),
                                              overdue=request.GET.get("overdue") == "1"), request.GET)
    emergencies = list(selectors.emergency_list(user=request.user))
    return render(request, "followup/home.html", {
        "actions": [{"a": a, "overdue": a.is_overdue(today)} for a in listing.page], "listing": listing,
        "emergencies": [{"e": e, "late": selectors.is_late(e, today)} for e in emergencies],
        "overdue_count": selectors.overdue_actions(scope, today).count(),
        "late_count": selectors.late_ratifications(scope, today).count(),
        "statuses": ActionStatus.choices, "status": request.GET.get("status", ""),
        "can_write": request.user.role in services.WRITERS,
    })


@login_required
@role_required(services.WRITERS, "只有企业用户可以布置督办事项")
def action_new(request: HttpRequest) -> HttpResponse:
    """Assign an action on a passed agenda item."""
    from soegov.accounts.models import User
    from soegov.accounts.roles import ENTERPRISE_ROLES

    items = _passed_items(request.user)
    users = User.objects.filter(enterprise_scope_q(request.user, "enterprise__"), role__in=ENTERPRISE_ROLES,
                                is_active=True).order_by("username")
    values = {k: request.POST.get(k, "") for k in request.POST} if request.method == "POST" else {
        "agenda_item": request.GET.get("agenda_item", "")}
    error = ""
    if request.method == "POST":
        with form_action(request, flash=False) as outcome:
            raw = values.get("agenda_item", "")
            item = items.filter(pk=int(raw)).first() if raw.isdigit() else None
            if item is None:
                raise SoegovError("required", "请选择已通过的议题", "agenda_item")
            raw_owner = values.get("owner", "")
            owner = users.filter(pk=int(raw_owner)).first() if raw_owner.isdigit() else None
            action = services.action_create(
                actor=request.user, agenda_item=item, title=values.get("title", ""), owner=owner,
                owner_name=values.get("owner_name", ""), department=values.get("department", ""),
                due_date=values.get("due_date") if values.get("due_mode") != "days" else None,
                due_working_days=values.get("due_working_days") if values.get("due_mode") == "days" else None)
            messages.success(request, _("已布置督办事项，完成时限 %(due)s") % {"due": f"{action.due_date:%Y-%m-%d}"})
            return redirect("followup:action", action.pk)
        error = outcome.error
    return render(request, "followup/action_new.html", {"items": items, "users": users, "values": values,
                                                        "error": error},
                  status=400 if error else 200)


@login_required
@business_page
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One action: progress, change reports, completion; the forms that apply to its state."""
    return _action_page(request, selectors.action_get(user=request.user, pk=pk))


def _action_page(request: HttpRequest, action: Any, what: str = "", error: str = "") -> HttpResponse:
    """The action page; after a refused form, that form shows its error and keeps what was typed."""
    values = {what: {k: request.POST.get(k, "") for k in request.POST}} if error else {}
    return render(request, "followup/action.html", {
        "a": action, "overdue": action.is_overdue(), "reports": action.reports.select_related("by"),
        "changes": action.changes.select_related("redecision__meeting", "redecision__topic"),
        "causes": ChangeCause.choices, "can_write": request.user.role in services.WRITERS,
        "items": _passed_items(request.user).filter(meeting__enterprise=action.enterprise).exclude(
            pk=action.agenda_item_id) if action.status == ActionStatus.FROZEN else [],
        "v": values, "error": error,
    }, status=400 if error else 200)


@login_required
@post_or_back_to("followup:action")
@role_required(services.WRITERS, "只有企业用户可以办理督办事项")
def action_act(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Report progress, report a change, re-decide, adjust or complete."""
    action = selectors.action_get(user=request.user, pk=pk)
    post = request.POST
    with form_action(request, flash=False) as outcome:
        if what == "report":
            services.action_report(actor=request.user, action=action, text=post.get("text", ""),
                                   percent=post.get("percent", 0))
        elif what == "change":
            services.report_change(actor=request.user, action=action, cause=post.get("cause", ""),
                                   description=post.get("description", ""), version=post.get("version"))
        elif what == "redecide":
            raw = post.get("agenda_item", "")
            item = _passed_items(request.user).filter(pk=int(raw)).first() if raw.isdigit() else None
            if item is None:
                raise SoegovError("required", "请选择重新决策的议题", "agenda_item")
            services.redecide(actor=request.user, action=action, agenda_item=item, outcome=post.get("outcome", ""),
                              due_date=post.get("due_date"), version=post.get("version"))
        elif what == "adjust":
            services.action_adjust(actor=request.user, action=action, version=post.get("version"),
                                   due_date=post.get("due_date"), owner_name=post.get("owner_name"))
        elif what == "stop":
            services.action_stop(actor=request.user, action=action, version=post.get("version"))
        elif what == "complete":
            upload = request.FILES.get("evidence")
            services.action_complete(actor=request.user, action=action, note=post.get("note", ""),
                                     evidence_name=upload.name if upload and upload.name else "",
                                     evidence=upload.read() if upload else b"", version=post.get("version"))
        else:
            raise Http404("未知操作")
    if not outcome.ok:
        # Re-read: nothing was saved, and the page must show the action as stored, with the typed values.
        return _action_page(request, selectors.action_get(user=request.user, pk=pk), what, outcome.error)
    messages.success(request, _("已保存"))
    return redirect("followup:action", action.pk)


@login_required
@business_page
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The completion evidence, always as a download."""
    action = selectors.action_get(user=request.user, pk=pk)
    if not action.evidence_sha256:
        raise Http404("没有佐证材料")
    return file_response(action.evidence_sha256, action.evidence_name, actor=request.user, what="佐证材料")


@login_required
@role_required(services.WRITERS, "只有企业用户可以登记紧急决策")
def emergency_new(request: HttpRequest) -> HttpResponse:
    """Record an emergency decision (art. 13) for ratification."""
    from soegov.enterprises.models import DecisionBody

    bodies = DecisionBody.objects.filter(enterprise_scope_q(request.user, "enterprise__")).select_related("enterprise")
    values = {k: request.POST.get(k, "") for k in request.POST} if request.method == "POST" else {
        "decided_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "form": "individual"}
    error = ""
    if request.method == "POST":
        with form_action(request, flash=False) as outcome:
            raw = values.get("body", "")
            body = bodies.filter(pk=int(raw)).first() if raw.isdigit() else None
            if body is None:
                raise SoegovError("required", "请选择应予追认的决策机构", "body")
            ed = services.emergency_record(
                actor=request.user, body=body, title=values.get("title", ""), content=values.get("content", ""),
                reason=values.get("reason", ""), form=values.get("form", ""), decided_by=values.get("decided_by", ""),
                decided_at=values.get("decided_at", ""))
            messages.success(request, _("已登记紧急决策，请在 %(due)s 前（且最迟在%(body)s下次会议上）追认")
                             % {"due": f"{ed.ratify_due:%Y-%m-%d}", "body": ed.body.name})
            return redirect("followup:emergency", ed.pk)
        error = outcome.error
    return render(request, "followup/emergency_new.html", {
        "bodies": bodies, "values": values, "error": error, "forms": DecisionForm.choices}, status=400 if error else 200)


@login_required
@business_page
def emergency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One emergency decision; link the agenda item that ratified it."""
    ed = selectors.emergency_get(user=request.user, pk=pk)
    error = ""
    if request.method == "POST":
        if request.user.role not in services.WRITERS:
            raise PermissionDenied("只有企业用户可以登记追认")
        from soegov.meetings.selectors import decided_items

        raw = request.POST.get("agenda_item", "")
        item = decided_items(request.user).filter(pk=int(raw)).first() if raw.isdigit() else None
        with form_action(request, flash=False) as outcome:
            if item is None:
                raise SoegovError("required", "请选择作出追认的议题", "agenda_item")
            services.ratify(actor=request.user, decision=ed, agenda_item=item, version=request.POST.get("version"))
            messages.success(request, _("已登记追认"))
            return redirect("followup:emergency", ed.pk)
        if not outcome.ok:
            # The page again, as stored, with the chosen item still selected and the reason above it.
            error = outcome.error
            ed = selectors.emergency_get(user=request.user, pk=pk)
    from soegov.meetings.selectors import decided_items

    return render(request, "followup/emergency.html", {
        "e": ed, "late": selectors.is_late(ed), "next_meeting": services.next_meeting_after(ed),
        "items": decided_items(request.user).filter(meeting__body=ed.body, meeting__held_at__gt=ed.decided_at),
        "can_write": request.user.role in services.WRITERS,
        "error": error, "chosen": request.POST.get("agenda_item", "") if error else "",
    }, status=400 if error else 200)
