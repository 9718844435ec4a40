"""Pages of oversight: dashboard with drill-down, ledger imports and findings, accountability cases.

Thin: each parses its input, calls one service or selector and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from soegov.accounts.roles import SUPERVISOR_ROLES, Role
from soegov.core.errors import SoegovError
from soegov.core.forms import form_action
from soegov.core.gates import role_required
from soegov.core.names import plain
from soegov.core.paging import list_page, page_of_rows
from soegov.core.redirects import post_or_back_to
from soegov.oversight import cases, ledgers, selectors, workflow
from soegov.oversight import dashboard as oversight_dashboard
from soegov.oversight.models import Case, CaseStatus, Responsibility
from soegov.user_input import optional_int

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


inspector_page = role_required({Role.SUPERVISOR_INSPECTOR}, "只有国资监管检查人可以使用监督检查与责任追究")


supervisor_page = role_required(SUPERVISOR_ROLES, "只有国资监管人员可以查看监督看板")


@login_required
@supervisor_page
def dashboard(request: HttpRequest) -> HttpResponse:
    """Supervisor dashboard: per enterprise, every figure linking to its rows; monthly trend."""
    data = oversight_dashboard.dashboard(user=request.user)
    # A province has hundreds of enterprises: the table pages (the totals and the trend cover them all).
    listing = page_of_rows(data["table"], request.GET)
    return render(request, "oversight/dashboard.html", data | {"listing": listing, "table": listing.page,
                                                                "is_inspector": request.user.role == Role.SUPERVISOR_INSPECTOR})


@login_required
@supervisor_page
def rows(request: HttpRequest, kind: str) -> HttpResponse:
    """The rows behind one dashboard figure, each linking to its record."""
    kinds = oversight_dashboard.all_kinds()
    if kind not in kinds:
        raise Http404("无此统计项")
    ent = optional_int(request.GET.get("enterprise"))
    items = oversight_dashboard.rows(user=request.user, kind=kind, enterprise_id=ent)
    cite = oversight_dashboard.cite_for(kind, oversight_dashboard.user_policies(request.user)) or "您所辖企业适用的制度对此未作规定"
    listing = page_of_rows(items, request.GET)
    return render(request, "oversight/rows.html", {"kind": kind, "label": kinds[kind][0], "cite": cite,
                                                   "items": listing.page, "listing": listing, "enterprise": ent,
                                                   "is_inspector": request.user.role == Role.SUPERVISOR_INSPECTOR})


@login_required
@inspector_page
def ledger_list(request: HttpRequest) -> HttpResponse:
    """Ledger imports, and the upload form."""
    from soegov.enterprises.selectors import enterprise_list

    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        with form_action(request, flash=False) as outcome:
            ent_id = optional_int(request.POST.get("enterprise"))
            if ent_id is None:
                raise SoegovError("required", "请选择企业", "enterprise")
            from soegov.enterprises.selectors import enterprise_get

            ent = enterprise_get(user=request.user, pk=ent_id)
            if upload is None:
                raise SoegovError("required", "请选择台账文件（CSV 或 .xlsx）", "file")
            ledger = ledgers.ledger_upload(actor=request.user, enterprise=ent, name=upload.name or "", data=upload.read(),
                                           window_days=request.POST.get("window_days") or 30)
            messages.success(request, _("已导入台账“%(name)s”，正在后台检查；检查完成后发现会显示在本页") % {"name": ledger.original_name})
            return redirect("oversight:ledger", ledger.pk)
        error = outcome.error
    return render(request, "oversight/ledgers.html", {
        "ledgers": selectors.ledger_list(user=request.user), "error": error,
        "enterprises": enterprise_list(user=request.user)}, status=400 if error else 200)


@login_required
@inspector_page
def ledger_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One ledger import and its findings."""
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    if request.method == "POST":
        with form_action(request):
            ledgers.ledger_check_start(actor=request.user, ledger=ledger)
            messages.success(request, _("已开始按系统中现有决策记录重新检查（后台执行）"))
        return redirect("oversight:ledger", ledger.pk)
    from soegov.jobs.selectors import job_for
    from soegov.ledger.columns import PURPOSE_ALIASES, PURPOSE_LABELS

    job = job_for(user=request.user, target=ledgers.ledger_job_target(ledger))
    refused = ledger.refused_rows.all()
    return render(request, "oversight/ledger.html", {
        "ledger": ledger, "findings": ledger.findings.all(), "job": job,
        "refused": refused[:REFUSED_SHOWN], "refused_more": max(ledger.invalid_rows - REFUSED_SHOWN, 0),
        "purposes": list(PURPOSE_LABELS.items()), "own_words": ledgers.purpose_words(ledger.enterprise),
        "words": {code: [w for w, c in PURPOSE_ALIASES.items() if c == code] for code in PURPOSE_LABELS},
    })


# Refused rows a ledger page lists; the rest are counted (and listed in full by `soegov ledger check --json`).
REFUSED_SHOWN = 500


@login_required
@post_or_back_to("oversight:ledger")
@inspector_page
def ledger_purposes(request: HttpRequest, pk: int) -> HttpResponse:
    """The mapping step: what the enterprise means by the purpose words no rule knows; remembered, then re-checked."""
    ledger = selectors.ledger_get(user=request.user, pk=pk)
    pairs = zip(request.POST.getlist("word"), request.POST.getlist("purpose"), strict=False)
    chosen = {w: p for w, p in pairs if p}  # a word left without a purpose is not mapped
    with form_action(request):
        ledgers.purpose_mapping_save(actor=request.user, enterprise=ledger.enterprise, mappings=chosen)
        ledgers.ledger_check_start(actor=request.user, ledger=ledger)
        messages.success(request, _("已记住%(name)s的用途对应（%(n)s 个词），正在按其重新检查") % {"name": ledger.enterprise.name, "n": len(chosen)})
    return redirect("oversight:ledger", ledger.pk)


def _violations(policy: str) -> list[Any]:
    from soegov.policy.sanctions import sanctions_for

    return list(sanctions_for(policy).violations)


@login_required
@supervisor_page
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding: its rule, its ledger rows; dismiss with a reason, or open a case."""
    f = selectors.finding_get(user=request.user, pk=pk)
    return render(request, "oversight/finding.html", {
        "f": f, "violations": _violations(f.ledger.policy), "cases": f.cases.all(), "rows": selectors.finding_rows(f),
        "is_inspector": request.user.role == Role.SUPERVISOR_INSPECTOR,
        "default_violation": "xd31_1" if f.ledger.policy == "xundian-2020" else "yn29_2"})


@login_required
@post_or_back_to("oversight:finding")
@inspector_page
def finding_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Dismiss a finding with a reason."""
    f = selectors.finding_get(user=request.user, pk=pk)
    with form_action(request, success=_("已排除该发现（理由已记入审计日志）")):
        ledgers.finding_dismiss(actor=request.user, finding=f, reason=request.POST.get("reason", ""))
    return redirect("oversight:finding", f.pk)


@login_required
@supervisor_page
def case_list(request: HttpRequest) -> HttpResponse:
    """Accountability cases."""
    listing = list_page(selectors.case_list(user=request.user), request.GET, filters=selectors.CASE_FILTERS,
                        search_fields=selectors.CASE_SEARCH)
    return render(request, "oversight/cases.html", {
        "cases": listing.page, "listing": listing, "statuses": CaseStatus.choices,
        "status": request.GET.get("status", ""), "is_inspector": request.user.role == Role.SUPERVISOR_INSPECTOR},
        status=400 if listing.error else 200)


@login_required
@inspector_page
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case by hand, or from a finding (?finding=)."""
    from soegov.enterprises.selectors import enterprise_get, enterprise_list

    finding = None
    fid = optional_int(request.POST.get("finding") or request.GET.get("finding"))
    if fid:
        finding = selectors.finding_get(user=request.user, pk=fid)
    values: dict[str, Any] = {k: request.POST.get(k, "") for k in request.POST}
    if request.method != "POST" and request.GET.get("agenda_item"):
        values = {"enterprise": request.GET.get("enterprise", ""), "agenda_item": request.GET.get("agenda_item", ""),
                  "title": request.GET.get("title", ""), "facts": request.GET.get("facts", ""), "responsibility": "collective"}
    if request.method != "POST" and finding is not None:
        values = {"enterprise": str(finding.enterprise_id), "title": f"{finding.enterprise.name}{finding.get_code_display_zh()}问题",
                  "facts": f"{plain(finding.message)}（台账第 {'、'.join(str(r) for r in finding.rows)} 行）"}
    error = ""
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        with form_action(request, flash=False) as outcome:
            ent_id = optional_int(values.get("enterprise"))
            if ent_id is None:
                raise SoegovError("required", "请选择企业", "enterprise")
            ent = enterprise_get(user=request.user, pk=ent_id)
            case = cases.case_open(actor=request.user, enterprise=ent, title=values.get("title", ""),
                                   facts=values.get("facts", ""), violation=values.get("violation", ""),
                                   responsibility=values.get("responsibility", "individual"), finding=finding,
                                   agenda_item_id=optional_int(values.get("agenda_item")))
            messages.success(request, _("已立案。下一步：登记当事人（责任人或凭会议记录免责的成员）"))
            return redirect("oversight:case", case.pk)
        error = outcome.error
        field_errors = outcome.field_errors
    ents = enterprise_list(user=request.user)
    policies = sorted({e.jurisdiction.default_policy for e in ents})
    from soegov.meetings.selectors import item_choices

    items = item_choices(request.user, enterprise_id=optional_int(values.get("enterprise")),
                         current=optional_int(values.get("agenda_item")))
    # A finding already under an open case links to it instead of offering a second one (issue 13.5).
    existing = selectors.open_case_of(finding) if finding is not None else None
    return render(request, "oversight/case_new.html", {
        "values": values, "error": error, "finding": finding, "enterprises": ents, "existing_case": existing,
        "items": items, "violations": [v for p in policies for v in _violations(p)], "field_errors": field_errors},
        status=400 if error else 200)


@login_required
@supervisor_page
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A case: facts, provision, parties (responsible / exempt with proof), sanctions, steps."""
    from soegov.audit.services import audit_record

    case = selectors.case_get(user=request.user, pk=pk)
    # A case names people and their pay: every read is restricted and audited.
    audit_record(actor=request.user, action="oversight.case_read", obj=case)
    return _case_page(request, case)


def _case_page(request: HttpRequest, case: Case, typed: dict[str, dict[str, str]] | None = None,
               status: int = 200) -> HttpResponse:
    """The case page; `typed` holds what was typed into the form that failed, by action, shown again."""
    from soegov.enterprises.models import BodyMember
    from soegov.meetings.models import AgendaItem
    from soegov.policy.sanctions import sanctions_for

    data = sanctions_for(case.policy)
    # The case names its meeting item by number only; the page shows which meeting and topic that is.
    agenda_item = (AgendaItem.objects.select_related("meeting", "topic").filter(pk=case.agenda_item_id).first()
                   if case.agenda_item_id else None)
    members = list(BodyMember.objects.filter(body__enterprise=case.enterprise).select_related("body"))
    can = {a: workflow.allowed(a, case.status) for a in workflow.TRANSITIONS}
    return render(request, "oversight/case.html", {
        "case": case, "agenda_item": agenda_item, "parties": case.parties.prefetch_related("sanctions"), "events": case.events.select_related("actor"),
        "tiers": data.tiers, "referrals": data.referral, "responsibilities": Responsibility.choices,
        "members": members, "can": can, "editable": case.status in workflow.EDITABLE,
        "is_inspector": request.user.role == Role.SUPERVISOR_INSPECTOR, "this_year": timezone.localdate().year,
        "violation": data.violation(case.violation) if case.violation else None, "typed": typed or {},
        # The pack's basis of a collective responsibility (yining art. 28, xundian art. 30), shown beside it.
        "collective_basis": data.responsibility_of("collective") if case.responsibility == Case.COLLECTIVE else None,
    }, status=status)


@login_required
@post_or_back_to("oversight:case")
@inspector_page
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step on a case, posted from its page."""
    case = selectors.case_get(user=request.user, pk=pk)
    p = request.POST
    version = p.get("version")
    with form_action(request) as outcome:
        if action == "add_party":
            member = None
            mid = optional_int(p.get("member"))
            if mid:
                from soegov.enterprises.selectors import member_get

                member = member_get(user=request.user, pk=mid)
            cases.party_add(actor=request.user, case=case, version=version, name=p.get("name", ""),
                            position=p.get("position", ""), responsibility=p.get("responsibility", "direct"),
                            member=member, exempt=p.get("exempt") == "1")
        elif action == "parties_from_item":
            cases.parties_from_item(actor=request.user, case=case, version=version)
        elif action == "exemption_decide":
            party = selectors.party_get(user=request.user, pk=optional_int(p.get("party")) or 0)
            if party.case_id != case.pk:
                raise Http404("当事人不属于本案")
            cases.exemption_decide(actor=request.user, party=party, grant=p.get("grant") == "1",
                                   reason=p.get("reason", ""), version=version)
        elif action == "add_sanction":
            party = selectors.party_get(user=request.user, pk=optional_int(p.get("party")) or 0)
            if party.case_id != case.pk:
                raise Http404("当事人不属于本案")
            cases.sanction_add(actor=request.user, party=party, tier=p.get("tier", ""), year=p.get("year"),
                               rate=p.get("rate") or None, note=p.get("note", ""), version=version)
        elif action in workflow.TRANSITIONS:
            cases.case_step(actor=request.user, case=case, action=action, version=version, note=p.get("note", ""),
                            referral=p.get("referral", ""), decision=p.get("decision", ""))
        else:
            raise Http404("无此操作")
    if not outcome.ok:
        # Shown on the page again with what was typed, never a redirect that clears the form.
        case.refresh_from_db()
        return _case_page(request, case, {action: {k: p.get(k, "") for k in p}}, status=400)
    messages.success(request, _("已%(action)s") % {"action": _(workflow.ACTION_LABELS.get(action, action))})
    return redirect("oversight:case", case.pk)


@login_required
@supervisor_page
def case_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The case file for the discipline body (.docx or PDF, GB/T 9704 layout); the read is audited."""
    from soegov.audit.services import audit_record
    from soegov.oversight import documents

    case = selectors.case_get(user=request.user, pk=pk)
    if fmt == "docx":
        resp = HttpResponse(documents.case_docx(case), content_type=DOCX)
    elif fmt == "pdf":
        resp = HttpResponse(documents.case_pdf(case), content_type="application/pdf")
    else:
        raise Http404("只提供 docx 或 pdf")
    audit_record(actor=request.user, action="oversight.case_export", obj=case, after={"format": fmt})
    resp["Content-Disposition"] = f'attachment; filename="case-{case.pk}.{fmt}"'
    return resp
