"""Pages of reporting to the collector: queue a package made by the export code, send now (thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from soegov.collector import outbox
from soegov.core.forms import form_action
from soegov.core.gates import role_required

REFUSED = "只有本企业的填报人、秘书或负责人可以报送数据包"


@require_POST
@login_required
@role_required(outbox.REPORTERS, REFUSED)
def report_items(request: HttpRequest) -> HttpResponse:
    """Queue the decision list's 0004 packages and start sending."""
    from soegov.enterprises.selectors import enterprise_chosen

    with form_action(request):
        ent = enterprise_chosen(user=request.user, raw=request.POST.get("enterprise"))
        pkg = outbox.report_items(actor=request.user, enterprise=ent)
        messages.success(request, f"已加入报送队列：{pkg.source}，正在发送")
    return redirect("exchange:regulations")


@require_POST
@login_required
@role_required(outbox.REPORTERS, REFUSED)
def report_regulation(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue one regulation's 0005 package and start sending."""
    from soegov.exchange.selectors import regulation_get

    with form_action(request):
        pkg = outbox.report_regulation(actor=request.user, regulation=regulation_get(user=request.user, pk=pk))
        messages.success(request, f"已加入报送队列：{pkg.source}，正在发送")
    return redirect("exchange:regulations")


@require_POST
@login_required
@role_required(outbox.REPORTERS, REFUSED)
def report_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue one closed meeting's 0006 package and start sending."""
    from soegov.meetings.selectors import meeting_get

    with form_action(request):
        pkg = outbox.report_meeting(actor=request.user, meeting=meeting_get(user=request.user, pk=pk))
        messages.success(request, f"已加入报送队列：{pkg.source}，正在发送；状态见“数据报送”页")
    return redirect("exchange:exports")


@require_POST
@login_required
@role_required(outbox.REPORTERS, REFUSED)
def send_now(request: HttpRequest) -> HttpResponse:
    """Send every package due now (new ones and those waiting to be retried) instead of at the next tick."""
    with form_action(request):
        if not outbox.configured():
            from soegov.collector.error_codes import CollectorError

            raise CollectorError.NOT_CONFIGURED.error()
        outbox.send_soon(request.user)
        messages.success(request, "已开始发送待发送和待重试的数据包")
    return redirect("exchange:regulations")
