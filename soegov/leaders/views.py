"""Pages of enterprise leaders: thin, each parses its input, calls one service or selector and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from soegov.accounts.roles import BUSINESS_ROLES, Role
from soegov.enterprises.selectors import enterprise_get, enterprise_list
from soegov.errors import InputError, SoegovError
from soegov.leaders import bridges, ledger, privacy, selectors, services
from soegov.leaders.models import AppointmentKind, ContractKind, Post

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _business(request: HttpRequest) -> None:
    if request.user.role not in BUSINESS_ROLES:
        raise PermissionDenied("您的角色无权访问企业领导人员管理")


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _is_reviewer(request: HttpRequest) -> bool:
    return bool(request.user.role == Role.SUPERVISOR_REVIEWER)


def _upload(request: HttpRequest, enterprise: Any, title_field: str = "title") -> Any:
    """The posted file as a leaders Document (the file field is required)."""
    f = request.FILES.get("file")
    if f is None:
        raise InputError("file_required", "请上传文件（PDF、Word、Excel、JPEG、PNG）", "file", "a file is required")
    return services.document_upload(actor=request.user, enterprise=enterprise, title=request.POST.get(title_field, ""),
                                    doc_number=request.POST.get("doc_number", ""), name=f.name or "", data=f.read())


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Enterprises in scope with their serving leaders and the appointment route of each."""
    _business(request)
    rows = []
    leaders = list(selectors.leader_list(user=request.user, active_only=True))
    for e in enterprise_list(user=request.user):
        try:
            route = services.route_for(e)
        except SoegovError as exc:
            route = {"label": exc.message, "id": ""}
        rows.append({"e": e, "route": route, "listed": services.is_listed(e),
                     "team": [x for x in leaders if x.enterprise_id == e.pk]})
    viewable = {x.pk for x in leaders if privacy.can_view(request.user, x)}
    return render(request, "leaders/index.html", {
        "rows": rows, "appointments": selectors.appointment_list(user=request.user)[:20],
        "recruitments": selectors.recruitment_list(user=request.user)[:20], "is_reviewer": _is_reviewer(request),
        "year": timezone.localdate().year, "viewable": viewable})


@login_required
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    """One enterprise's leadership team, its art. 7 route, appointments and recruitments, with the forms."""
    _business(request)
    e = enterprise_get(user=request.user, pk=pk)
    try:
        route: dict[str, Any] | None = services.route_for(e)
        route_error = ""
    except SoegovError as exc:
        route, route_error = None, exc.message
    leaders = list(selectors.leader_list(user=request.user, enterprise_id=e.pk))
    return render(request, "leaders/enterprise.html", {
        "e": e, "route": route, "route_error": route_error, "listed": services.is_listed(e),
        "leaders": leaders, "viewable": {x.pk for x in leaders if privacy.can_view(request.user, x)},
        "appointments": selectors.appointment_list(user=request.user, enterprise_id=e.pk),
        "recruitments": selectors.recruitment_list(user=request.user).filter(enterprise=e),
        "posts": Post.choices, "is_reviewer": _is_reviewer(request),
        "senior_posts": [(v, label) for v, label in Post.choices if v in ("general_manager", "deputy_gm", "chief_accountant")]})


@login_required
@require_POST
def enterprise_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Listing, recording a serving leader, opening an appointment or a recruitment."""
    _business(request)
    e = enterprise_get(user=request.user, pk=pk)
    p, actor = request.POST, request.user
    try:
        if action == "listing":
            services.listing_set(actor=actor, enterprise=e, listed=p.get("listed") == "1", basis=p.get("basis", ""))
            messages.success(request, "已更新二级企业集团名单")
        elif action == "leader":
            services.leader_create(actor=actor, enterprise=e, name=p.get("name", ""), post=p.get("post", ""),
                                   term_start=p.get("term_start"), term_end=p.get("term_end"))
            messages.success(request, "已登记领导人员")
        elif action == "appoint":
            leader = None
            if p.get("kind") == AppointmentKind.REMOVE and p.get("leader", "").isdigit():
                leader = selectors.leader_get(user=actor, pk=int(p["leader"]))
            recruitment = None
            if p.get("recruitment", "").isdigit():
                recruitment = selectors.recruitment_get(user=actor, pk=int(p["recruitment"]))
            appt = services.appointment_start(actor=actor, enterprise=e, kind=p.get("kind", AppointmentKind.APPOINT),
                                              person_name=p.get("person_name", ""), post=p.get("post", ""),
                                              term_start=p.get("term_start"), term_end=p.get("term_end"), leader=leader,
                                              recruitment=recruitment)
            messages.success(request, f"已启动任免程序：{appt.route['label']}")
            return redirect("leaders:appointment", appt.pk)
        elif action == "recruit":
            with_file = _upload(request, e)
            services.recruitment_open(actor=actor, enterprise=e, post=p.get("post", ""), decision=with_file,
                                      decided_on=p.get("decided_on"), announcement=p.get("announcement", ""))
            messages.success(request, "已登记公开选聘")
        else:
            raise Http404("无此操作")
    except SoegovError as exc:
        messages.error(request, exc.message)
    return redirect("leaders:enterprise", e.pk)


@login_required
def appointment(request: HttpRequest, pk: int) -> HttpResponse:
    """An appointment's route, the steps taken with their documents, and the form for the next step."""
    _business(request)
    a = selectors.appointment_get(user=request.user, pk=pk)
    done = {s.number: s for s in a.done_steps.select_related("document", "actor")}
    steps = [{**s, "done": done.get(s["number"]), "item_label": bridges.item_label(done[s["number"]].agenda_item_id)
              if s["number"] in done else ""} for s in a.steps]
    nxt = services.next_step(a)
    items = []
    if nxt and nxt["basis"] == "meeting_item":
        from soegov.meetings.models import AgendaItem

        items = list(AgendaItem.objects.filter(meeting__enterprise__in=[a.enterprise_id, a.enterprise.parent_id or 0],
                                               topic__category="personnel")
                     .select_related("meeting", "topic").order_by("-meeting__held_at")[:50])
    return render(request, "leaders/appointment.html", {
        "a": a, "steps": steps, "next": nxt, "items": items, "today": timezone.localdate()})


@login_required
@require_POST
def appointment_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Record the next step (with its document) or stop the appointment."""
    _business(request)
    a = selectors.appointment_get(user=request.user, pk=pk)
    p = request.POST
    try:
        if action == "step":
            doc = _upload(request, a.enterprise)
            item = p.get("agenda_item", "")
            a = services.appointment_step(actor=request.user, appointment=a, document=doc, decided_on=p.get("decided_on"),
                                          comment=p.get("comment", ""), agenda_item=int(item) if item.isdigit() else None,
                                          version=_version(request))
            messages.success(request, "任免程序已完成，领导人员名册已更新" if a.status == "completed" else "已登记该步骤")
        elif action == "cancel":
            services.appointment_cancel(actor=request.user, appointment=a, comment=p.get("comment", ""),
                                        version=_version(request))
            messages.success(request, "已终止")
        else:
            raise Http404("无此操作")
    except SoegovError as exc:
        messages.error(request, exc.message)
    return redirect("leaders:appointment", a.pk)


@login_required
@require_POST
def recruitment_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the result of an open recruitment."""
    _business(request)
    r = selectors.recruitment_get(user=request.user, pk=pk)
    p = request.POST
    try:
        services.recruitment_close(actor=request.user, recruitment=r, hired=p.get("hired") == "1",
                                   result=p.get("result", ""), hired_name=p.get("hired_name", ""), version=_version(request))
        messages.success(request, "已登记选聘结果")
    except SoegovError as exc:
        messages.error(request, exc.message)
    return redirect("leaders:enterprise", r.enterprise_id)


@login_required
def leader(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader's contracts, scores, pay and deductions: personal data, shown only to the entitled (audited)."""
    _business(request)
    ldr = selectors.leader_get(user=request.user, pk=pk)
    contracts = list(selectors.contracts_of(user=request.user, leader=ldr))
    for c in contracts:
        # Findings shown beside the score: frozen when scored, as they stand now before that.
        c.findings = c.compliance if c.status == "scored" else bridges.compliance_for(ldr.enterprise, c.year, ldr.name)
    pay = selectors.pay_of(user=request.user, leader=ldr)
    sanctions: list[Any] = []
    if privacy.is_entitled_staff(request.user, ldr):
        try:
            from soegov.oversight.models import Sanction

            applied = set(ldr.pay_records.values_list("deductions__sanction_id", flat=True))
            sanctions = [s for s in Sanction.objects.filter(case_party__enterprise=ldr.enterprise, case_party__name=ldr.name)
                         .select_related("case_party__case") if s.pk not in applied]
        except ImportError:
            sanctions = []
    return render(request, "leaders/leader.html", {
        "l": ldr, "contracts": contracts, "pay": pay, "sanctions": sanctions,
        "can_write": privacy.is_entitled_staff(request.user, ldr) and _is_reviewer(request),
        "kinds": ContractKind.choices, "year": timezone.localdate().year, "today": timezone.localdate()})


@login_required
@require_POST
def leader_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Sign or score a contract, set a year's pay, apply a sanction."""
    _business(request)
    ldr = selectors.leader_get(user=request.user, pk=pk)
    p, actor = request.POST, request.user
    try:
        if action == "sign":
            document = _upload(request, ldr.enterprise) if request.FILES.get("file") else None
            services.contract_sign(actor=actor, leader=ldr, kind=p.get("kind", ""), year=p.get("year"),
                                   end_year=p.get("end_year"), targets=services.targets_from_text(p.get("targets", "")),
                                   signed_on=p.get("signed_on"), document=document)
            messages.success(request, "已签订责任书")
        elif action == "score":
            contract = selectors.contract_get(user=actor, pk=int(p.get("contract", "0") or 0))
            results = [p.get(f"result_{i}", "") for i in range(len(contract.targets))]
            c = services.contract_score(actor=actor, contract=contract, results=results, scored_on=p.get("scored_on"),
                                        reward=p.get("reward", ""), appointment_consequence=p.get("appointment_consequence", ""),
                                        version=_version(request))
            messages.success(request, f"考核得分 {c.score}，等级 {c.grade}（{c.grade_label}）")
        elif action == "pay":
            services.pay_set(actor=actor, leader=ldr, year=p.get("year"), base_pay=p.get("base_pay"),
                             performance_pay=p.get("performance_pay"), tenure_incentive=p.get("tenure_incentive"),
                             decision_number=p.get("decision_number", ""), decision=_upload(request, ldr.enterprise))
            messages.success(request, "已登记薪酬决定")
        elif action == "sanction":
            from soegov.leaders.models import PayRecord

            record = PayRecord.objects.filter(leader=ldr, pk=int(p.get("pay_record", "0") or 0)).first()
            if record is None:
                raise InputError("pay_required", "请先登记该年度的薪酬，再扣减", "pay_record", "no pay record")
            d = services.sanction_apply(actor=actor, pay_record=record, sanction_id=p.get("sanction", ""))
            messages.success(request, f"已扣减绩效年薪 {d.performance_deduction} 元、任期激励 {d.tenure_deduction} 元")
        else:
            raise Http404("无此操作")
    except SoegovError as exc:
        messages.error(request, exc.message)
    return redirect("leaders:leader", ldr.pk)


@login_required
def pay_ledger(request: HttpRequest) -> HttpResponse:
    """The pay ledger workbook; figures masked for rows the user may not see."""
    _business(request)
    raw = request.GET.get("year", "")
    data = ledger.pay_ledger_xlsx(user=request.user, year=int(raw) if raw.isdigit() else None)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="leaders-pay-ledger.xlsx"'
    return response


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A leaders document, only to users who may see its enterprise, always as a download."""
    from soegov.matters.services import stored_path

    _business(request)
    d = selectors.document_get(user=request.user, pk=pk)
    path = stored_path(d.sha256)
    if not path.exists():
        raise Http404("文件不存在")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=d.original_name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
