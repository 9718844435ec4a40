"""Pages of events reported at any time and of inspection checklists (thin, like views.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from soegov.accounts.roles import ENTERPRISE_ROLES, SUPERVISOR_ROLES, Role
from soegov.core.errors import SoegovError
from soegov.core.forms import form_action
from soegov.core.gates import role_required
from soegov.core.paging import list_page
from soegov.oversight import dashboard, events, inspections, selectors
from soegov.oversight.views import DOCX
from soegov.user_input import optional_int

business_page = role_required(ENTERPRISE_ROLES | SUPERVISOR_ROLES, "您的角色无权访问")


@login_required
@business_page
def event_list(request: HttpRequest) -> HttpResponse:
    """Events reported at any time; enterprise staff report a new one here."""
    from soegov.enterprises.selectors import enterprise_get, enterprise_list

    error = ""
    values = {k: request.POST.get(k, "") for k in request.POST}
    if request.method == "POST":
        with form_action(request, flash=False) as outcome:
            ent_id = optional_int(values.get("enterprise")) or request.user.enterprise_id
            if ent_id is None:
                raise SoegovError("required", "请选择企业", "enterprise")
            ent = enterprise_get(user=request.user, pk=ent_id)
            ev = events.event_report(actor=request.user, enterprise=ent, category=values.get("category", ""),
                                     title=values.get("title", ""), occurred_at=values.get("occurred_at", ""),
                                     description=values.get("description", ""), report_now=values.get("draft") != "1")
            messages.success(request, _("已报告") if ev.reported_at else _("已登记，请尽快报告"))
            return redirect("oversight:event", ev.pk)
        error = outcome.error
    now = timezone.now()
    listing = list_page(selectors.event_list(user=request.user), request.GET, filters=selectors.EVENT_FILTERS,
                        search_fields=selectors.EVENT_SEARCH)
    rows = [{"e": e, "state": events.event_state(e, now)} for e in listing.page]
    error = error or (listing.error.message if listing.error else "")
    return render(request, "oversight/events.html", {
        "rows": rows, "listing": listing, "error": error, "values": values, "categories": events.CATEGORIES,
        "can_report": request.user.role in ENTERPRISE_ROLES, "enterprises": enterprise_list(user=request.user),
        "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "events_apply": dashboard.yining_applies(request.user)},
        status=400 if error else 200)


@login_required
@business_page
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One event with its clock; a recorded one is reported from here."""
    from django.http import Http404

    ev = selectors.event_get(user=request.user, pk=pk)
    if request.method == "POST":
        if request.user.role not in ENTERPRISE_ROLES:
            raise Http404
        events.event_submit(actor=request.user, event=ev)
        messages.success(request, _("已报告"))
        return redirect("oversight:event", ev.pk)
    return render(request, "oversight/event.html", {"e": ev, "state": events.event_state(ev),
                                                    "label": events.CATEGORIES.get(ev.category, ("",))[0],
                                                    "can_report": request.user.role in ENTERPRISE_ROLES})


@login_required
@business_page
def inspection_list(request: HttpRequest) -> HttpResponse:
    """Checklists by year; the inspector generates one per enterprise and year."""
    from soegov.enterprises.selectors import enterprise_get, enterprise_list

    if request.method == "POST":
        if request.user.role != Role.SUPERVISOR_INSPECTOR and request.user.role not in ENTERPRISE_ROLES:
            raise PermissionDenied("只有国资监管检查人或企业人员可以生成检查表")
        with form_action(request, success=_("已生成检查表并预填系统证据；下一步：企业逐项填报")):
            ent = enterprise_get(user=request.user, pk=optional_int(request.POST.get("enterprise")) or 0)
            insp = inspections.inspection_generate(actor=request.user, enterprise=ent,
                                                   year=optional_int(request.POST.get("year")) or timezone.localdate().year)
            return redirect("oversight:inspection", insp.pk)
    rows = [{"i": i, "due": inspections.due_state(i)} for i in selectors.inspection_list(user=request.user)]
    return render(request, "oversight/inspections.html", {
        "rows": rows, "is_inspector": request.user.role == Role.SUPERVISOR_INSPECTOR,
        "can_generate": request.user.role == Role.SUPERVISOR_INSPECTOR or request.user.role in ENTERPRISE_ROLES,
        "enterprises": enterprise_list(user=request.user), "this_year": timezone.localdate().year,
        "policies": dashboard.user_policies(request.user), "events_apply": dashboard.yining_applies(request.user)})


@login_required
@business_page
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A checklist: the enterprise answers each point; the inspector reviews."""
    insp = selectors.inspection_get(user=request.user, pk=pk)
    if request.method == "POST":
        p = request.POST
        with form_action(request, success=_("已保存")):
            if p.get("action") == "complete":
                answers = {pt["code"]: {"answer": p.get(f"answer_{pt['code']}", ""), "note": p.get(f"note_{pt['code']}", "")}
                           for pt in insp.points}
                inspections.inspection_complete(actor=request.user, inspection=insp, answers=answers, version=p.get("version"))
            elif p.get("action") in ("accept", "return"):
                inspections.inspection_review(actor=request.user, inspection=insp, accept=p["action"] == "accept",
                                              comment=p.get("comment", ""), version=p.get("version"))
            elif p.get("action") == "refresh":
                inspections.inspection_generate(actor=request.user, enterprise=insp.enterprise, year=insp.year)
        return redirect("oversight:inspection", insp.pk)
    return render(request, "oversight/inspection.html", {
        "i": insp, "due": inspections.due_state(insp), "is_inspector": request.user.role == Role.SUPERVISOR_INSPECTOR,
        "can_complete": request.user.role in ENTERPRISE_ROLES and insp.status in ("draft", "returned")})


@login_required
@business_page
def inspection_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The checklist as a GB/T 9704-style report (.docx or PDF)."""
    from soegov.oversight import documents

    insp = selectors.inspection_get(user=request.user, pk=pk)
    if fmt == "docx":
        resp = HttpResponse(documents.inspection_docx(insp), content_type=DOCX)
    elif fmt == "pdf":
        resp = HttpResponse(documents.inspection_pdf(insp), content_type="application/pdf")
    else:
        raise PermissionDenied("只提供 docx 或 pdf")
    resp["Content-Disposition"] = f'attachment; filename="inspection-{insp.enterprise_id}-{insp.year}.{fmt}"'
    return resp
