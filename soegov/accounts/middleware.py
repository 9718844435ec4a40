"""Idle timeout, the TOTP step and password expiry, enforced on every request of a logged-in user."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from soegov.accounts.policy import has_totp_device, password_expired, second_factor_pending, sso_login

# Pages a user may reach while a step (TOTP, new password) is still owed.
OPEN_PREFIXES = ("/static/", "/healthz", "/accounts/logout/")


class SecurityPolicyMiddleware:
    """Ends idle sessions and holds users at the TOTP and password-change steps until done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "_auth_user_id" in request.session:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        last = request.session.get("last_seen")
        idle = int(settings.SOEGOV_IDLE_TIMEOUT_MINUTES) * 60
        if last is not None and idle > 0 and now - int(last) > idle:
            logout(request)
            messages.info(request, f"您已超过 {settings.SOEGOV_IDLE_TIMEOUT_MINUTES} 分钟未操作，请重新登录。")
            return self._deny(request, reverse("accounts:login"))
        request.session["last_seen"] = now
        path = request.path
        if path.startswith(OPEN_PREFIXES):
            return None
        if second_factor_pending(request):
            target = reverse("accounts:otp_verify") if has_totp_device(request.user) else reverse("accounts:otp_setup")
            if path != target:
                return self._deny(request, target, come_back=True)
            return None
        # After an SSO login the local password played no part: its age is the provider's business.
        if password_expired(request.user) and not sso_login(request):
            target = reverse("accounts:password_change")
            if path != target:
                messages.warning(request, "您的密码已过期，请先修改密码。")
                return self._deny(request, target)
        return None

    @staticmethod
    def _deny(request: HttpRequest, target: str, *, come_back: bool = False) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"error": {"code": "login_incomplete", "message": "登录未完成（需动态口令、修改密码或重新登录）",
                           "path": None}},
                status=401,
            )
        if request.headers.get("HX-Request"):
            # An htmx request would swap the login page into a fragment; make the browser go there instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        if come_back and request.method == "GET" and request.get_full_path() != "/":
            # Back to the page asked for once the step is done (the step checks it is a page of this site).
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
