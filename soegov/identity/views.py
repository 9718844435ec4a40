"""The system administrator's SSO page (pending logins, links) and the login page's provider status."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from soegov.accounts.roles import Role
from soegov.core.errors import SoegovError
from soegov.core.forms import page_message
from soegov.core.redirects import post_or_back_to
from soegov.identity import selectors, services, status
from soegov.identity.config import ProviderUnavailable, cas_enabled, cas_issuer, oidc_enabled, oidc_issuer
from soegov.identity.forms import LinkForm, LinkPendingForm
from soegov.identity.models import PendingLink, PendingStatus, Provider, SsoIdentity


def _require_system_admin(request: HttpRequest) -> None:
    if request.user.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以管理统一身份认证关联")


def provider_status(request: HttpRequest) -> HttpResponse:
    """The login page's note on providers that do not answer (loaded after the page, never delaying it)."""
    return render(request, "identity/status.html", {"providers": status.probed(),
                                                    "local_login": settings.SOEGOV_LOCAL_LOGIN == "all"})


def _target(provider: str) -> tuple[str, str]:
    """The issuer and claim a link typed in ahead of a login is recorded under, as logins will present them."""
    if provider == Provider.OIDC:
        if not oidc_enabled():
            raise SoegovError("not_configured", "未配置 OpenID Connect 登录", "provider")
        try:
            return oidc_issuer(), settings.SOEGOV_OIDC_LINK_CLAIM
        except ProviderUnavailable as exc:
            raise SoegovError("provider_unavailable", f"无法确定认证服务的签发者：{exc.message}", "provider") from None
    if not cas_enabled():
        raise SoegovError("not_configured", "未配置 CAS 登录", "provider")
    return cas_issuer(), settings.SOEGOV_CAS_LINK_ATTRIBUTE or "user"


@login_required
def admin_page(request: HttpRequest) -> HttpResponse:
    """Pending SSO logins to link or dismiss, the links in force, and the providers' state."""
    _require_system_admin(request)
    link_form = LinkForm(request.POST if request.POST.get("action") == "link" else None)
    pending_form = LinkPendingForm(request.POST if request.POST.get("action") == "link_pending" else None)
    status_code = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "link_pending" and pending_form.is_valid():
                pending = get_object_or_404(PendingLink, pk=pending_form.cleaned_data["pending"])
                identity = services.link_from_pending(actor=request.user, pending=pending,
                                                      username=pending_form.cleaned_data["username"])
                messages.success(request, f"已将 {pending} 关联到账号 {identity.user.username}。")
                return redirect("identity:admin")
            if action == "dismiss":
                raw = request.POST.get("pending", "")
                pending = get_object_or_404(PendingLink, pk=int(raw) if raw.isdigit() else 0)
                services.pending_dismiss(actor=request.user, pending=pending)
                messages.success(request, f"已驳回 {pending} 的登录申请。")
                return redirect("identity:admin")
            if action == "unlink":
                raw = request.POST.get("identity", "")
                identity = get_object_or_404(SsoIdentity, pk=int(raw) if raw.isdigit() else 0)
                services.link_remove(actor=request.user, identity=identity)
                messages.success(request, f"已解除 {identity} 与账号 {identity.user.username} 的关联。")
                return redirect("identity:admin")
            if action == "link" and link_form.is_valid():
                d = link_form.cleaned_data
                issuer, claim = _target(d["provider"])
                identity = services.link_create(actor=request.user, provider=d["provider"], issuer=issuer,
                                                claim=claim, value=d["value"], username=d["username"])
                messages.success(request, f"已将 {identity} 关联到账号 {identity.user.username}。")
                return redirect("identity:admin")
        except SoegovError as exc:
            messages.error(request, page_message(exc))
        status_code = 400
    pending_page = Paginator(selectors.pending_logins(), 50).get_page(request.GET.get("pending_page"))
    link_page = Paginator(selectors.links(), 50).get_page(request.GET.get("page"))
    return render(request, "identity/admin.html", {
        "pending_page": pending_page, "link_page": link_page, "link_form": link_form, "pending_form": pending_form,
        "providers": status.probed(), "oidc_claim": settings.SOEGOV_OIDC_LINK_CLAIM,
        "cas_claim": settings.SOEGOV_CAS_LINK_ATTRIBUTE or "user", "local_login": settings.SOEGOV_LOCAL_LOGIN,
        "pending_status": PendingStatus,
    }, status=status_code)


@post_or_back_to("identity:admin")
@login_required
def recheck(request: HttpRequest) -> HttpResponse:
    """Forget the cached provider answers and ask again (the administrator's 重新检测)."""
    _require_system_admin(request)
    status.forget()
    return redirect("identity:admin")
