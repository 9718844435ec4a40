"""Pages of reporting to the collector: queue a package made by the export code, send now (thin)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from soegov.collector import outbox, selectors, signing
from soegov.collector.credentials import KEY_ADMINS, key_issue, key_revoke
from soegov.collector.models import OutboxPackage
from soegov.core.forms import form_action
from soegov.core.gates import role_required
from soegov.core.paging import list_page
from soegov.core.redirects import post_or_back_to

REFUSED = "只有本企业的填报人、秘书或负责人可以报送数据包"


def _queued(request: HttpRequest, back: str, queue: Callable[[], OutboxPackage], where: str = "") -> HttpResponse:
    """Run `queue` as the form's action, say what it queued, and go back to `back`."""
    with form_action(request):
        pkg = queue()
        messages.success(request, f"已加入报送队列：{pkg.source}，正在发送{where}")
    return redirect(back)


@login_required
@post_or_back_to("exchange:regulations", back_with_pk=False)
@role_required(outbox.REPORTERS, REFUSED)
def report_items(request: HttpRequest) -> HttpResponse:
    """Queue the decision list's 0004 packages and start sending."""
    from soegov.enterprises.selectors import enterprise_chosen

    return _queued(request, "exchange:regulations", lambda: outbox.report_items(
        actor=request.user, enterprise=enterprise_chosen(user=request.user, raw=request.POST.get("enterprise"))))


@login_required
@post_or_back_to("exchange:regulations", back_with_pk=False)
@role_required(outbox.REPORTERS, REFUSED)
def report_regulation(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue one regulation's 0005 package and start sending."""
    from soegov.exchange.selectors import regulation_get

    return _queued(request, "exchange:regulations", lambda: outbox.report_regulation(
        actor=request.user, regulation=regulation_get(user=request.user, pk=pk)))


@login_required
@post_or_back_to("exchange:exports", back_with_pk=False)
@role_required(outbox.REPORTERS, REFUSED)
def report_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue one closed meeting's 0006 package and start sending."""
    from soegov.meetings.selectors import meeting_get

    return _queued(request, "exchange:exports", lambda: outbox.report_meeting(
        actor=request.user, meeting=meeting_get(user=request.user, pk=pk)), "；状态见“数据报送”页")


@login_required
@post_or_back_to("exchange:regulations", back_with_pk=False)
@role_required(outbox.REPORTERS, REFUSED)
def send_now(request: HttpRequest) -> HttpResponse:
    """Send every package due now (new ones and those waiting to be retried) instead of at the next tick."""
    with form_action(request):
        outbox.send_now(request.user)
        messages.success(request, "已开始发送待发送和待重试的数据包")
    return redirect("exchange:regulations")


@login_required
@role_required(KEY_ADMINS, "只有安全管理员可以管理企业报送密钥")
def keys(request: HttpRequest) -> HttpResponse:
    """The supervisor's keys: issue one to an enterprise (its private key shown once), revoke one."""
    new_key, key_text, error = None, "", ""
    values = {k: request.POST.get(k, "") for k in ("uscc", "public_key", "label")}
    if request.method == "POST" and request.POST.get("revoke"):
        with form_action(request):
            key = key_revoke(actor=request.user, key_id=request.POST["revoke"])
            messages.success(request, f"已吊销报送密钥 {key.key_id}：此后用它签名的报送一律拒绝")
        return redirect("collector:keys")
    if request.method == "POST":
        with form_action(request, flash=False) as outcome:
            new_key, private = key_issue(actor=request.user, uscc=values["uscc"], public_key_hex=values["public_key"],
                                         label=values["label"])
            key_text = signing.key_file_text(new_key.key_id, private) if private else ""
            values = {}
        error = outcome.error
    return render(request, "collector/keys.html", {
        "listing": list_page(selectors.keys(), request.GET), "new_key": new_key, "key_text": key_text,
        "error": error, "values": values}, status=400 if error else 200)
