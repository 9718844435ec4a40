"""Account pages: login, TOTP, password, API tokens, and the admin pages of the system and security admins."""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from soegov.accounts import services
from soegov.accounts.forms import (
    FirstPasswordForm,
    LoginForm,
    OtpForm,
    PasswordChangeForm,
    TokenForm,
    UnlockForm,
    UserCreateForm,
)
from soegov.accounts.models import AdminApproval, ApiToken, User
from soegov.accounts.policy import has_totp_device, token_refusal
from soegov.accounts.roles import Role
from soegov.audit.services import audit_record
from soegov.core.forms import form_action
from soegov.core.paging import list_page
from soegov.core.redirects import is_local, post_or_back_to, safe_next


class LoginView(auth_views.LoginView):
    """Password step; the TOTP step follows through the security middleware."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        """The page asked for, when it (and any next nested in it) is a page of this site; else ""."""
        name = self.redirect_field_name
        candidate = self.request.POST.get(name, self.request.GET.get(name, ""))
        return candidate if is_local(self.request, candidate) else ""


@post_or_back_to("home")
def logout_view(request: HttpRequest) -> HttpResponse:
    """End the session."""
    logout(request)
    return redirect("accounts:login")


def _qr_svg(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue().decode("utf-8")


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator: show the secret and QR code, confirm with a first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = services.totp_device_start(actor=request.user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_action(request, flash=False) as outcome:
            services.totp_device_confirm(actor=request.user, device=device, token=form.cleaned_data["token"])
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(request, "动态口令已启用。")
            return redirect(safe_next(request, request.GET.get("next")))
        outcome.show_on(form, field="token")
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(request, "accounts/otp_setup.html", {
        "form": form, "secret": secret, "qr": _qr_svg(device.config_url), "uri": device.config_url,
    })


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of login: a code from the enrolled authenticator."""
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            allowed, _ = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                otp_login(request, device)
                # A new session id once the login is complete, as after the password step.
                request.session.cycle_key()
                audit_record(actor=request.user, action="auth.otp_verified", obj=request.user)
                return redirect(safe_next(request, request.GET.get("next")))
        audit_record(actor=request.user, action="auth.otp_failed", obj=request.user)
        form.add_error("token", "动态口令不正确或已过期；多次错误后将暂时禁止尝试。")
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (also where an expired password leads)."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_action(request, flash=False) as outcome:
            services.password_change(actor=request.user, old_password=form.cleaned_data["old_password"],
                                     new_password=form.cleaned_data["new_password"])
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
        outcome.show_on(form)
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def language(request: HttpRequest) -> HttpResponse:
    """The person's interface language, kept on his account and followed on every device after login."""
    status = 200
    if request.method == "POST":
        with form_action(request):
            services.user_set_language(actor=request.user, language=request.POST.get("language", ""))
            # The page answers in the language just chosen (the middleware activated the old one).
            translation.activate(request.user.language)
            messages.success(request, gettext("界面语言已保存。"))
            return redirect("accounts:language")
        status = 400  # form_action flashed the refusal
    return render(request, "accounts/language.html", {"languages": settings.LANGUAGES}, status=status)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke one's API tokens."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token = get_object_or_404(ApiToken, pk=request.POST.get("revoke"), user=request.user)
            services.token_revoke(actor=request.user, token=token)
            messages.success(request, "令牌已吊销。")
            return redirect("accounts:tokens")
        if form.is_valid():
            d = form.cleaned_data
            with form_action(request, flash=False) as outcome:
                _, new_key = services.token_create(actor=request.user, name=d["name"], scope=d["scope"] or "read",
                                                   days=d["days"] or 90, apis=d["apis"],
                                                   otp_verified=request.user.is_verified())
                form = TokenForm()
            outcome.show_on(form)
    items = list(ApiToken.objects.filter(user=request.user).select_related("user").order_by("-created_at"))
    for t in items:
        # Why a token that is neither revoked nor expired would still be refused (account state).
        t.refusal = None if t.revoked or t.expired else token_refusal(t)
    return render(request, "accounts/tokens.html", {
        "form": form, "tokens": items, "new_key": new_key,
        "need_otp": bool(settings.SOEGOV_TOTP_REQUIRED) and not request.user.is_verified(),
        "has_device": has_totp_device(request.user), "max_days": settings.SOEGOV_TOKEN_MAX_DAYS,
        "failure_limit": settings.SOEGOV_TOKEN_FAILURES_PER_MINUTE})


def _require_role(request: HttpRequest, role: str) -> None:
    if request.user.role != role:
        raise PermissionDenied("您的角色无权访问此页面")


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """The system administrator's account list and account creation."""
    _require_role(request, Role.SYSTEM_ADMIN)
    from soegov.enterprises.models import Enterprise, Jurisdiction

    if request.method == "POST" and "toggle" in request.POST:
        raw = request.POST.get("toggle", "")
        target = get_object_or_404(User, pk=int(raw) if raw.isdigit() else 0)
        with form_action(request):
            services.user_set_active(actor=request.user, user=target, active=not target.is_active)
            if target.is_admin_role and not target.is_active:
                messages.success(request, f"已申请重新启用管理员账号 {target.username}，待安全管理员确认后生效。")
            else:
                messages.success(request, f"账号 {target.username} 已{'启用' if target.is_active else '停用'}。")
        return redirect("accounts:users")
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with form_action(request, flash=False) as outcome:
            ent = Enterprise.objects.filter(pk=d["enterprise"]).first() if d["enterprise"] else None
            jur = Jurisdiction.objects.filter(pk=d["jurisdiction"]).first() if d["jurisdiction"] else None
            made = services.user_create(actor=request.user, username=d["username"], password=d["password"],
                                        role=d["role"], enterprise=ent, jurisdiction=jur, full_name=d["full_name"])
            if made.is_active:
                messages.success(request, f"账号 {d['username']} 已创建。")
            else:
                messages.success(request, f"管理员账号 {d['username']} 已创建，待安全管理员确认；确认后由本人通过一次性链接设置密码。")
            return redirect("accounts:users")
        outcome.show_on(form)
    # Paged and searched like every list: a province has thousands of accounts.
    listing = list_page(User.objects.select_related("enterprise", "jurisdiction").order_by("role", "username"),
                        request.GET, search_fields=("username", "full_name"))
    pending = set(AdminApproval.objects.filter(decided_at__isnull=True).values_list("user_id", flat=True))
    return render(request, "accounts/users.html", {"form": form, "listing": listing, "pending": pending,
                                                   "enterprises": Enterprise.objects.order_by("path"),
                                                   "jurisdictions": Jurisdiction.objects.all()})


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The security administrator's page: unlock accounts and reset TOTP enrolments."""
    _require_role(request, Role.SECURITY_ADMIN)
    from axes.models import AccessAttempt

    form = UnlockForm(request.POST or None)
    if request.method == "POST":
        decision = request.POST.get("approve") or request.POST.get("refuse") or ""
        if decision:
            approval = get_object_or_404(AdminApproval, pk=int(decision) if decision.isdigit() else 0)
            with form_action(request):
                services.admin_approval_decide(actor=request.user, approval=approval, approve="approve" in request.POST)
                target = approval.user
                target.refresh_from_db()
                if "approve" not in request.POST:
                    messages.success(request, f"已拒绝 {target.username} 的申请。")
                elif target.has_usable_password():
                    messages.success(request, f"已确认，账号 {target.username} 已启用。")
                else:
                    link = request.build_absolute_uri(services.first_password_link(target))
                    messages.success(request, f"已确认，账号 {target.username} 已启用。请将一次性链接当面或经可靠渠道交给本人，"
                                              f"由本人设置密码（链接只能使用一次，{settings.PASSWORD_RESET_TIMEOUT // 3600} 小时内有效）：{link}")
            return redirect("accounts:security")
        if "totp_reset" in request.POST:
            target = get_object_or_404(User, pk=request.POST.get("totp_reset"))
            services.totp_reset(actor=request.user, user=target)
            messages.success(request, f"已重置 {target.username} 的动态口令。")
            return redirect("accounts:security")
        if form.is_valid():
            n = services.account_unlock(actor=request.user, username=form.cleaned_data["username"])
            messages.success(request, f"已解锁（清除 {n} 条失败记录）。")
            return redirect("accounts:security")
    # Locked accounts first: they are what the security administrator comes here for.
    attempts = AccessAttempt.objects.order_by("-failures_since_start", "-attempt_time")[:50]
    enrolled = User.objects.filter(totpdevice__confirmed=True).distinct().order_by("username")
    approvals = AdminApproval.objects.filter(decided_at__isnull=True).select_related("user", "requested_by")
    return render(request, "accounts/security.html", {"form": form, "attempts": attempts, "enrolled": enrolled,
                                                      "approvals": approvals.order_by("requested_at"),
                                                      "limit": settings.AXES_FAILURE_LIMIT})


def first_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The one-time page where the holder of an approved administrator account sets its first password."""
    user = services.first_password_user(uidb64, token)
    if user is None:
        return render(request, "accounts/first_password.html", {"invalid": True}, status=404)
    form = FirstPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_action(request, flash=False) as outcome:
            services.first_password_set(user=user, password=form.cleaned_data["password"])
            messages.success(request, "密码已设置。请登录，并按提示绑定动态口令。")
            return redirect("accounts:login")
        outcome.show_on(form, field="password")
    return render(request, "accounts/first_password.html", {"form": form, "account": user})
