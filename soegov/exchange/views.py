"""Pages of the exchange: the supervisor's import and received meetings; the enterprise's regulations and exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from soegov.accounts.roles import BUSINESS_ROLES, ENTERPRISE_ROLES
from soegov.audit.services import audit_record
from soegov.core.forms import form_action
from soegov.core.gates import role_required
from soegov.core.paging import list_page
from soegov.exchange import checks, exports, imports, meeting_export, selectors
from soegov.exchange.audit_actions import ExchangeAction
from soegov.exchange.bundles import items_bundle

ZIP = "application/zip"


def _zip_response(name: str, data: bytes) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=ZIP)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


@login_required
def received(request: HttpRequest) -> HttpResponse:
    """The supervisor's view of every enterprise's decisions: received meetings, anomalies first to see."""
    if request.user.role not in BUSINESS_ROLES or request.user.role in ENTERPRISE_ROLES:
        raise PermissionDenied("只有国资监管人员可以查看接收的决策数据")
    ent = request.GET.get("enterprise", "")
    anomalous = request.GET.get("anomalous") == "1"
    from soegov.enterprises.selectors import enterprise_list

    listing = list_page(selectors.received_meetings(user=request.user, enterprise_id=int(ent) if ent.isdigit() else None,
                                                    anomalous=anomalous), request.GET)
    return render(request, "exchange/received.html", {
        "meetings": listing.page, "listing": listing,
        "packages": selectors.received_packages(user=request.user)[:20], "enterprise": ent, "anomalous": anomalous,
        "enterprises": enterprise_list(user=request.user), "can_import": request.user.role in imports.IMPORTERS,
    })


@login_required
@role_required(imports.IMPORTERS, "只有国资监管审核人可以接收企业报送的数据包")
def import_zips(request: HttpRequest) -> HttpResponse:
    """Upload one or many zips: they are imported on the task queue, each stored whole or refused with the
    reason; the page shows the job's progress, then the result of every zip."""
    if request.method == "POST":
        files = [(f.name or "", f.read()) for f in request.FILES.getlist("files")]
        with form_action(request, flash=False) as outcome:
            job = imports.import_start(actor=request.user, files=files)
            return redirect(f"{reverse('exchange:import')}?job={job.pk}")
        return render(request, "exchange/import.html", {"error": outcome.error}, status=400)
    job = None
    if request.GET.get("job", "").isdigit():
        from soegov.jobs.selectors import job_get

        job = job_get(user=request.user, pk=int(request.GET["job"]))
    items = job.result.get("items", []) if job is not None and job.status == "succeeded" else []
    # The page's status says what the batch came to: all applied 200, partly 207 (Multi-Status), none 400.
    batch, said = imports.batch_outcome([bool(r["ok"]) for r in items]) if items else ("", "")
    return render(request, "exchange/import.html", {"job": job, "results": items, "outcome": batch, "said": said},
                  status=imports.OUTCOMES.get(batch, 200))


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One received meeting: attendance, subjects, per-person results and the anomalies with their cause."""
    if request.user.role not in BUSINESS_ROLES or request.user.role in ENTERPRISE_ROLES:
        raise PermissionDenied("只有国资监管人员可以查看接收的决策数据")
    meeting = selectors.received_meeting_get(user=request.user, pk=pk)
    subjects = list(meeting.subjects.filter(active=True).prefetch_related("anomalies"))
    # Per-person votes are restricted (xundian art. 19): every reading is on the audit trail.
    audit_record(actor=request.user, action=ExchangeAction.VIEW_MEETING, obj=meeting)
    return render(request, "exchange/meeting.html", {"m": meeting, "subjects": subjects})


@login_required
@role_required(BUSINESS_ROLES, "您的角色无权访问制度")
def regulations(request: HttpRequest) -> HttpResponse:
    """The enterprise's rules of procedure (0005): record one, download its package, export the decision list."""
    from soegov.enterprises.selectors import enterprise_list

    error = ""
    field_errors: dict[str, str] = {}
    values: dict[str, Any] = {"approval_date": timezone.localdate().isoformat(),
                              "effective_date": timezone.localdate().isoformat(), "rate": "1/2",
                              "name": "党委会议事规则", "enterprise": str(request.user.enterprise_id or "")}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in request.POST}
        with form_action(request, flash=False) as outcome:
            ent = _enterprise(request)
            upload = request.FILES.get("formal_file")
            reg = exports.regulation_create(
                actor=request.user, enterprise=ent, name=values.get("name", ""), type_name=values.get("type_name", ""),
                approval_date=values.get("approval_date"), effective_date=values.get("effective_date"),
                audit_flag=values.get("audit_flag") == "是", rate=values.get("rate", ""),
                vote_mode=values.get("vote_mode", ""), formal_name=upload.name if upload else "",
                formal_data=upload.read() if upload else b"", remark=values.get("remark", ""))
            messages.success(request, _("已登记制度“%(name)s”，可下载 0005 数据包报送国资委") % {"name": reg.name})
            return redirect("exchange:regulations")
        error = outcome.error
        field_errors = outcome.field_errors
    from soegov.collector import outbox
    from soegov.collector.selectors import auto_status
    from soegov.collector.selectors import outbox as outbox_list

    return render(request, "exchange/regulations.html", {
        "outbox": list_page(outbox_list(user=request.user), request.GET), "outbox_on": outbox.configured(),
        "auto": auto_status(user=request.user) if outbox.configured() else None,
        "can_report": request.user.role in outbox.REPORTERS,
        "regulations": selectors.regulations(user=request.user), "error": error, "values": values,
        "types": checks.REGULATION_TYPES, "vote_modes": list(checks.DEFAULT_DICTIONARIES.vote_modes),
        "enterprises": enterprise_list(user=request.user), "can_edit": request.user.role in exports.REGULATION_WRITERS,
        "field_errors": field_errors,
    }, status=400 if error else 200)


def _enterprise(request: HttpRequest) -> Any:
    from soegov.enterprises.selectors import enterprise_chosen

    return enterprise_chosen(user=request.user, raw=request.POST.get("enterprise") or request.GET.get("enterprise"))


@login_required
def regulation_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """The 0005 package of one regulation."""
    reg = selectors.regulation_get(user=request.user, pk=pk)
    name, data = exports.regulation_download(actor=request.user, reg=reg)
    return _zip_response(name, data)


@login_required
def items_zip(request: HttpRequest) -> HttpResponse:
    """The 0004 packages of the enterprise's decision list, one zip per item, bundled in one download."""
    if request.user.role not in BUSINESS_ROLES:
        raise PermissionDenied("您的角色无权导出事项清单")
    with form_action(request):
        name, data, _ = items_bundle(actor=request.user, enterprise=_enterprise(request))
        return _zip_response(name, data)
    return redirect("exchange:regulations")



@login_required
def meeting_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """The 0006 package of one of the enterprise's own meetings (soegov.meetings)."""
    from soegov.meetings.selectors import meeting_get

    if request.user.role not in BUSINESS_ROLES:
        raise PermissionDenied("您的角色无权导出会议决策")
    meeting = meeting_get(user=request.user, pk=pk)
    name, data = meeting_export.meeting_download(actor=request.user, meeting=meeting)
    return _zip_response(name, data)


@login_required
def meeting_exports(request: HttpRequest) -> HttpResponse:
    """The enterprise's closed meetings, each with its 0006 package to download."""
    from soegov.meetings.models import MeetingStatus
    from soegov.meetings.selectors import meeting_list

    if request.user.role not in BUSINESS_ROLES:
        raise PermissionDenied("您的角色无权导出会议决策")
    from soegov.meetings.selectors import can_read_minutes

    meetings = meeting_list(request.user).filter(status__in=[MeetingStatus.CLOSED, MeetingStatus.ARCHIVED])
    rows = [{"m": m, "can": can_read_minutes(request.user, m)} for m in meetings.order_by("-held_at")]
    from soegov.collector import outbox

    return render(request, "exchange/exports.html", {"rows": rows, "outbox_on": outbox.configured(),
                                                     "can_report": request.user.role in outbox.REPORTERS})
