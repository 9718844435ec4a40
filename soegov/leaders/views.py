"""Pages of enterprise leaders: thin, each parses its input, calls one service or selector and renders."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from soegov.accounts.roles import BUSINESS_ROLES, Role
from soegov.core.errors import InputError, SoegovError
from soegov.core.files import file_response
from soegov.core.forms import form_action, page_message
from soegov.core.gates import role_required
from soegov.core.locking import posted_version
from soegov.core.paging import list_page
from soegov.core.redirects import post_or_back_to
from soegov.enterprises.selectors import (
    ENTERPRISE_FILTERS,
    ENTERPRISE_SEARCH,
    enterprise_get,
    enterprise_list,
)
from soegov.leaders import appointments, bridges, grading, ledger, privacy, records, selectors
from soegov.leaders import contracts as leaders_contracts
from soegov.leaders import pay as leaders_pay
from soegov.leaders.models import AppointmentKind, ContractKind, Post

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a leader page cites, by the pack of the leader's own jurisdiction: a Yining page never cites Xundian and back.
# Xundian has no articles on contracts or pay; its art. 28 puts 三重一大 compliance into the annual assessment.
PAGE_CITES: dict[str, dict[str, str]] = {
    "yining-2024": {"principal": "", "contracts": gettext_noop("伊宁办法第九条"),
                    "pay": gettext_noop("伊宁办法第十条"), "deduction": "",
                    "compliance": gettext_noop("伊宁办法第二十七条"), "recruitment": gettext_noop("伊宁办法第八条"),
                    "no_deduction": gettext_noop("伊宁办法第三十条未规定扣减薪酬")},
    "xundian-2020": {"principal": gettext_noop("寻甸办法第二十二条"),
                     "contracts": gettext_noop("寻甸办法第二十八条：落实“三重一大”情况列入年度考核"),
                     "pay": "", "deduction": gettext_noop("寻甸办法第三十二条"),
                     "compliance": gettext_noop("寻甸办法第二十八条"),
                     "no_deduction": gettext_noop("寻甸办法第三十二条未规定扣减薪酬")},
}


def _policy_cites(policy: str) -> dict[str, str]:
    # Kept Chinese in the table (gettext_noop); the page reads them in its reader's language.
    return {k: gettext(v) if v else "" for k, v in PAGE_CITES.get(policy, {}).items()}


def _refused_as_403(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer an intended refusal with the 403 page here, so the server log gets one line and not a traceback."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            from soegov.web.views import permission_denied

            return permission_denied(request, exc)
    return wrapped


def _typed(request: HttpRequest, form: str, error: str, path: str | None = None) -> dict[str, Any]:
    """What the refused form posted, keyed by form, with the error and the field it is about (marked on the form):
    the page re-renders it instead of clearing it."""
    if not error:
        return {"v": {}, "error": "", "form": "", "field_errors": {}}
    return {"v": {form: {k: request.POST.get(k, "") for k in request.POST}}, "error": error, "form": form,
            "field_errors": {form: {path: error}} if path else {}}


def _scale() -> dict[str, str]:
    """The score scale explained beside a total: each target counts at most the cap (grades.yaml)."""
    cap = grading.grading_rules()["cap"] * 100
    return {"cap_percent": f"{cap.normalize():f} %", "max_score": f"{cap.normalize():f}"}


def _percent(fraction: Any) -> str:
    """An achievement stored as a fraction (1.1000) shown as a percentage (110.00 %)."""
    try:
        return f"{(Decimal(str(fraction)) * 100).quantize(Decimal('0.01'))} %"
    except (InvalidOperation, ValueError):
        return "—"


business_page = role_required(BUSINESS_ROLES, "您的角色无权访问企业领导人员管理")



def _is_reviewer(request: HttpRequest) -> bool:
    return bool(request.user.role == Role.SUPERVISOR_REVIEWER)


def _upload(request: HttpRequest, enterprise: Any, title_field: str = "title") -> Any:
    """The posted file as a leaders Document (the file field is required)."""
    f = request.FILES.get("file")
    if f is None:
        raise InputError("file_required", "请上传文件（PDF、Word、Excel、JPEG、PNG）", "file", "a file is required")
    return records.document_upload(actor=request.user, enterprise=enterprise, title=request.POST.get(title_field, ""),
                                   doc_number=request.POST.get("doc_number", ""), name=f.name or "", data=f.read())


@login_required
@_refused_as_403
@business_page
def index(request: HttpRequest) -> HttpResponse:
    """Enterprises in scope with their serving leaders and the appointment route of each."""
    listing = list_page(selectors.with_listing(enterprise_list(user=request.user)), request.GET,
                        filters=ENTERPRISE_FILTERS, search_fields=ENTERPRISE_SEARCH)
    page = list(listing.page)
    leaders = list(selectors.leader_list(user=request.user, active_only=True).filter(
        enterprise_id__in=[e.pk for e in page]))
    rows = []
    for e in page:
        try:
            route = appointments.route_for(e, listed=e.listed)
        except SoegovError as exc:
            route = {"label": page_message(exc), "id": ""}
        rows.append({"e": e, "route": route, "listed": e.listed, "team": [x for x in leaders if x.enterprise_id == e.pk]})
    viewable = {x.pk for x in leaders if privacy.can_view(request.user, x)}
    return render(request, "leaders/index.html", {
        "rows": rows, "listing": listing, "appointments": selectors.appointment_list(user=request.user)[:20],
        "recruitments": selectors.recruitment_list(user=request.user)[:20], "is_reviewer": _is_reviewer(request),
        "policies": {r["e"].jurisdiction.default_policy for r in rows},
        "year": timezone.localdate().year, "viewable": viewable})


@login_required
@_refused_as_403
@business_page
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    """One enterprise's leadership team, its art. 7 route, appointments and recruitments, with the forms."""
    return _enterprise_page(request, enterprise_get(user=request.user, pk=pk))


def _enterprise_page(request: HttpRequest, e: Any, form: str = "", error: str = "", path: str | None = None) -> HttpResponse:
    try:
        route: dict[str, Any] | None = appointments.route_for(e)
        route_error = ""
    except SoegovError as exc:
        route, route_error = None, page_message(exc)
    leaders = list(selectors.leader_list(user=request.user, enterprise_id=e.pk))
    return render(request, "leaders/enterprise.html", {
        "e": e, "route": route, "route_error": route_error, "listed": records.is_listed(e),
        "leaders": leaders, "viewable": {x.pk for x in leaders if privacy.can_view(request.user, x)},
        "appointments": selectors.appointment_list(user=request.user, enterprise_id=e.pk),
        "recruitments": selectors.recruitment_list(user=request.user).filter(enterprise=e),
        "posts": Post.choices, "is_reviewer": _is_reviewer(request), "cite": _policy_cites(e.jurisdiction.default_policy),
        "senior_posts": [(v, label) for v, label in Post.choices if v in ("general_manager", "deputy_gm", "chief_accountant")],
        **_typed(request, form, error, path)}, status=400 if error else 200)


@login_required
@_refused_as_403
@post_or_back_to("leaders:enterprise")
@business_page
def enterprise_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Listing, recording a serving leader, opening an appointment or a recruitment."""
    e = enterprise_get(user=request.user, pk=pk)
    p, actor = request.POST, request.user
    with form_action(request, flash=False) as outcome:
        if action == "listing":
            records.listing_set(actor=actor, enterprise=e, listed=p.get("listed") == "1", basis=p.get("basis", ""))
            messages.success(request, "已更新二级企业集团名单")
        elif action == "leader":
            records.leader_create(actor=actor, enterprise=e, name=p.get("name", ""), post=p.get("post", ""),
                                  term_start=p.get("term_start"), term_end=p.get("term_end"))
            messages.success(request, "已登记领导人员")
        elif action == "appoint":
            leader = None
            if p.get("kind") == AppointmentKind.REMOVE and p.get("leader", "").isdigit():
                leader = selectors.leader_get(user=actor, pk=int(p["leader"]))
            recruitment = None
            if p.get("recruitment", "").isdigit():
                recruitment = selectors.recruitment_get(user=actor, pk=int(p["recruitment"]))
            appt = appointments.appointment_start(actor=actor, enterprise=e, kind=p.get("kind", AppointmentKind.APPOINT),
                                                  person_name=p.get("person_name", ""), post=p.get("post", ""),
                                                  term_start=p.get("term_start"), term_end=p.get("term_end"), leader=leader,
                                                  recruitment=recruitment)
            messages.success(request, f"已启动任免程序：{appt.route['label']}")
            return redirect("leaders:appointment", appt.pk)
        elif action == "recruit":
            with records.upload_scope():
                appointments.recruitment_open(actor=actor, enterprise=e, post=p.get("post", ""), decision=_upload(request, e),
                                              decided_on=p.get("decided_on"), announcement=p.get("announcement", ""))
            messages.success(request, "已登记公开选聘")
        else:
            raise Http404("无此操作")
    if not outcome.ok:
        return _enterprise_page(request, e, action, outcome.error, outcome.path)
    return redirect("leaders:enterprise", e.pk)


@login_required
@_refused_as_403
@business_page
def appointment(request: HttpRequest, pk: int) -> HttpResponse:
    """An appointment's route, the steps taken with their documents, and the form for the next step."""
    return _appointment_page(request, selectors.appointment_get(user=request.user, pk=pk))


def _appointment_page(request: HttpRequest, a: Any, form: str = "", error: str = "") -> HttpResponse:
    done = {s.number: s for s in a.done_steps.select_related("document", "actor")}
    labels = bridges.item_labels([d.agenda_item_id for d in done.values()])
    steps = [{**s, "done": done.get(s["number"]), "item_label": labels[done[s["number"]].agenda_item_id]
              if s["number"] in done else ""} for s in a.steps]
    nxt = appointments.next_step(a)
    items = []
    if nxt and nxt["basis"] == "meeting_item":
        from soegov.meetings.models import AgendaItem

        items = list(AgendaItem.objects.filter(meeting__enterprise__in=[a.enterprise_id, a.enterprise.parent_id or 0],
                                               topic__category="personnel")
                     .select_related("meeting", "topic").order_by("-meeting__held_at")[:50])
    return render(request, "leaders/appointment.html", {
        "a": a, "steps": steps, "next": nxt, "items": items, "today": timezone.localdate(),
        **_typed(request, form, error)}, status=400 if error else 200)


@login_required
@_refused_as_403
@post_or_back_to("leaders:appointment")
@business_page
def appointment_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Record the next step (with its document) or stop the appointment."""
    a = selectors.appointment_get(user=request.user, pk=pk)
    p = request.POST
    with form_action(request, flash=False) as outcome:
        if action == "step":
            item = p.get("agenda_item", "")
            with records.upload_scope():
                a = appointments.appointment_step(actor=request.user, appointment=a, document=_upload(request, a.enterprise),
                                                  decided_on=p.get("decided_on"), comment=p.get("comment", ""),
                                                  agenda_item=int(item) if item.isdigit() else None, version=posted_version(request))
            messages.success(request, "任免程序已完成，领导人员名册已更新" if a.status == "completed" else "已登记该步骤")
        elif action == "cancel":
            appointments.appointment_cancel(actor=request.user, appointment=a, comment=p.get("comment", ""),
                                            version=posted_version(request))
            messages.success(request, "已终止")
        else:
            raise Http404("无此操作")
    if not outcome.ok:
        # Re-read: nothing was saved; the page shows the appointment as stored with what was typed.
        return _appointment_page(request, selectors.appointment_get(user=request.user, pk=pk), action, outcome.error)
    return redirect("leaders:appointment", a.pk)


@login_required
@_refused_as_403
@post_or_back_to("leaders:index", back_with_pk=False)
@business_page
def recruitment_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the result of an open recruitment."""
    r = selectors.recruitment_get(user=request.user, pk=pk)
    p = request.POST
    with form_action(request, flash=False) as outcome:
        appointments.recruitment_close(actor=request.user, recruitment=r, hired=p.get("hired") == "1",
                                       result=p.get("result", ""), hired_name=p.get("hired_name", ""), version=posted_version(request))
        messages.success(request, "已登记选聘结果")
    if not outcome.ok:
        return _enterprise_page(request, r.enterprise, "close", outcome.error)
    return redirect("leaders:enterprise", r.enterprise_id)


@login_required
@_refused_as_403
@business_page
def leader(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader's contracts, scores, pay and deductions: personal data, shown only to the entitled (audited)."""
    return _leader_page(request, selectors.leader_get(user=request.user, pk=pk))


def _leader_page(request: HttpRequest, ldr: Any, form: str = "", error: str = "") -> HttpResponse:
    typed = _typed(request, form, error)
    contracts = list(selectors.contracts_of(user=request.user, leader=ldr))
    refused_contract = request.POST.get("contract", "") if form == "score" else ""
    for c in contracts:
        # Findings shown beside the score: frozen when scored, as they stand now before that.
        c.findings = c.compliance if c.status == "scored" else bridges.compliance_for(ldr.enterprise, c.year, ldr.name)
        c.rows = [{**t, "percent": _percent(t["achievement"]) if t.get("achievement") else "—"} for t in c.targets]
        mine = refused_contract == str(c.pk)
        c.inputs = [{"i": i, "name": t["name"], "typed": request.POST.get(f"result_{i}", "") if mine else ""}
                    for i, t in enumerate(c.targets)]
        c.typed = typed["v"].get("score", {}) if mine else {}
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
    deductible, not_deducted, deduction_cites = [], [], []
    for s in sanctions:
        # Only the case's own pack decides whether a measure takes pay (a Yining 通报批评 takes nothing).
        policy = s.case_party.case.policy
        try:
            tier = leaders_pay.sanction_tier(policy, s.tier)
            deducts, consequences = tier.deducts, tier.consequences_text()
        except SoegovError:
            deducts, consequences = False, ""
        if deducts:
            deductible.append(s)
            cite = _policy_cites(policy).get("deduction", "")
            if cite and cite not in deduction_cites:
                deduction_cites.append(cite)
        else:
            not_deducted.append({"s": s, "consequences": consequences,
                                 "note": _policy_cites(policy).get("no_deduction") or gettext("所适用的办法未规定扣减薪酬")})
    return render(request, "leaders/leader.html", {
        "l": ldr, "contracts": contracts, "pay": pay, "sanctions": deductible, "not_deducted": not_deducted,
        "deduction_cite": gettext("、").join(deduction_cites) or gettext("所适用办法"),
        "can_write": privacy.is_entitled_staff(request.user, ldr) and _is_reviewer(request), "cite": _policy_cites(ldr.enterprise.jurisdiction.default_policy),
        "kinds": ContractKind.choices, "year": timezone.localdate().year, "today": timezone.localdate(),
        "target_rows": leaders_contracts.target_rows(request.POST if form == "sign" else None,
                                                     more=1 if request.POST.get("add_row") or form != "sign" else 0),
        **_scale(), **typed}, status=400 if error else 200)
@login_required
@_refused_as_403
@post_or_back_to("leaders:leader")
@business_page
def leader_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Sign or score a contract, set a year's pay, apply a sanction."""
    ldr = selectors.leader_get(user=request.user, pk=pk)
    p, actor = request.POST, request.user
    if action == "sign" and p.get("add_row"):
        return _leader_page(request, ldr, "sign")  # the same form with one more row; nothing saved
    with form_action(request, flash=False) as outcome:
        if action == "sign":
            with records.upload_scope():
                document = _upload(request, ldr.enterprise) if request.FILES.get("file") else None
                leaders_contracts.contract_sign(actor=actor, leader=ldr, kind=p.get("kind", ""), year=p.get("year"),
                                                end_year=p.get("end_year"), targets=leaders_contracts.targets_from_rows(p),
                                                signed_on=p.get("signed_on"), document=document)
            messages.success(request, "已签订责任书")
        elif action == "score":
            contract = selectors.contract_get(user=actor, pk=int(p.get("contract", "0") or 0))
            results = [p.get(f"result_{i}", "") for i in range(len(contract.targets))]
            c = leaders_contracts.contract_score(actor=actor, contract=contract, results=results, scored_on=p.get("scored_on"),
                                                 reward=p.get("reward", ""), appointment_consequence=p.get("appointment_consequence", ""),
                                                 version=posted_version(request))
            messages.success(request, f"考核得分 {c.score}，等级 {c.grade}（{c.grade_label}）")
        elif action == "pay":
            # The figures are checked before the file, so one submission reports every error it can.
            leaders_pay.pay_check(year=p.get("year"), base_pay=p.get("base_pay"), performance_pay=p.get("performance_pay"),
                                  tenure_incentive=p.get("tenure_incentive"), decision_number=p.get("decision_number", ""))
            with records.upload_scope():
                leaders_pay.pay_set(actor=actor, leader=ldr, year=p.get("year"), base_pay=p.get("base_pay"),
                                    performance_pay=p.get("performance_pay"), tenure_incentive=p.get("tenure_incentive"),
                                    decision_number=p.get("decision_number", ""), decision=_upload(request, ldr.enterprise))
            messages.success(request, "已登记薪酬决定")
        elif action == "sanction":
            from soegov.leaders.models import PayRecord

            record = PayRecord.objects.filter(leader=ldr, pk=int(p.get("pay_record", "0") or 0)).first()
            if record is None:
                raise InputError("pay_required", "请先登记该年度的薪酬，再扣减", "pay_record", "no pay record")
            d = leaders_pay.sanction_apply(actor=actor, pay_record=record, sanction_id=p.get("sanction", ""))
            messages.success(request, f"已扣减绩效年薪 {d.performance_deduction} 元、任期激励 {d.tenure_deduction} 元")
        else:
            raise Http404("无此操作")
    if not outcome.ok:
        return _leader_page(request, selectors.leader_get(user=request.user, pk=pk), action, outcome.error)
    return redirect("leaders:leader", ldr.pk)


@login_required
@_refused_as_403
@business_page
def pay_ledger(request: HttpRequest) -> HttpResponse:
    """The pay ledger workbook; figures masked for rows the user may not see."""
    raw = request.GET.get("year", "")
    data = ledger.pay_ledger_xlsx(user=request.user, year=int(raw) if raw.isdigit() else None)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="leaders-pay-ledger.xlsx"'
    return response


@login_required
@_refused_as_403
@business_page
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A leaders document, only to users who may see its enterprise, always as a download."""
    d = selectors.document_get(user=request.user, pk=pk)
    return file_response(d.sha256, d.original_name, actor=request.user, what=f"文件“{d.original_name}”")
