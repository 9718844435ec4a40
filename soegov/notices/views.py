"""The person's 通知设置 page (channels and the notices sent) and the system administrator's delivery page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from soegov.accounts.roles import Role
from soegov.core.errors import SoegovError
from soegov.core.forms import page_message
from soegov.core.paging import list_page
from soegov.core.redirects import post_or_back_to
from soegov.notices import config, selectors, services
from soegov.notices.models import NoticeStatus


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Where the person reads notices, and how each notice sent to him went (with the error when it failed)."""
    row = services.channels_of(request.user)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            services.channels_save(actor=request.user, user=request.user, data=request.POST.dict(),
                                   version=request.POST.get("version"))
        except SoegovError as exc:
            for e in exc.details or [exc]:
                errors.setdefault(e.path or "", page_message(e))
            status = 400
            # What he typed stays on the page.
            for name in ("wecom_userid", "dingtalk_userid", "mobile"):
                setattr(row, name, request.POST.get(name, "")[:64])
            for name in ("wecom", "dingtalk", "sms"):
                setattr(row, name, request.POST.get(name) == "on")
        else:
            messages.success(request, "通知设置已保存。")
            return redirect("notices:settings")
    listing = list_page(selectors.my_notices(request.user), request.GET, filters=selectors.FILTERS)
    return render(request, "notices/settings.html", {
        "row": row, "errors": errors, "listing": listing,
        "on": {"wecom": config.wecom_configured(), "dingtalk": config.dingtalk_configured(),
               "sms": config.sms_configured()},
    }, status=400 if listing.error else status)


def _require_system_admin(request: HttpRequest) -> None:
    if request.user.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以查看消息发送情况")


@login_required
def delivery_page(request: HttpRequest) -> HttpResponse:
    """Every notice's delivery (recipient, channel, attempts, last error; not its content), failed ones resendable."""
    _require_system_admin(request)
    listing = list_page(selectors.all_notices(), request.GET, filters=selectors.FILTERS,
                        search_fields=("user__username", "address", "last_error"))
    return render(request, "notices/delivery.html", {
        "listing": listing, "counts": selectors.status_counts(), "statuses": NoticeStatus.choices,
        "channels": [("企业微信", config.wecom_configured()), ("钉钉工作通知", config.dingtalk_configured()),
                     ("钉钉群机器人", config.robot_configured()), ("短信", config.sms_configured())],
    }, status=400 if listing.error else 200)


@login_required
@post_or_back_to("notices:delivery")
def resend(request: HttpRequest) -> HttpResponse:
    """Send the chosen failed notices again (after the cause is fixed)."""
    _require_system_admin(request)
    ids = [int(v) for v in request.POST.getlist("notice") if v.isdigit() and len(v) < 10]
    if not ids:
        messages.error(request, "请勾选要重新发送的消息")
        return redirect("notices:delivery")
    n = services.notices_resend(actor=request.user, ids=ids)
    messages.success(request, f"已重新排队发送 {n} 条消息；结果稍后在本页显示。")
    return redirect("notices:delivery")
