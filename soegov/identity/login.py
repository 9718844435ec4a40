"""The end of every SSO login, whatever the protocol: find the linked account, apply the login rules, log in.

The same rules as a password login: a disabled account is refused, a locked account (django-axes) stays locked,
the login is audited, and the TOTP step follows where the role requires it unless the provider asserted a
second factor. SSO attempts never count as failed password guesses: they would lock an account by a name
the person never typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from soegov.accounts.policy import SSO_SESSION_KEY as SESSION_KEY
from soegov.audit.context import client_ip
from soegov.audit.services import audit_record
from soegov.core.redirects import safe_next
from soegov.identity import services
from soegov.identity.models import SsoIdentity

# The session is held by Django's ModelBackend: it drops the session of an account disabled meanwhile.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

FAILURES = {
    "unknown": (403, "尚未关联系统账号",
                "您的统一身份认证账号{who}尚未与本系统的账号关联。已通知系统管理员：关联后即可用统一身份认证登录。"
                "系统不会自动创建账号，账号与角色由系统管理员决定。"),
    "inactive": (403, "账号已停用", "与您的统一身份认证账号关联的系统账号已停用，不能登录。如有疑问请联系系统管理员。"),
    "locked": (403, "账号已被暂时锁定", "该账号因连续登录失败已被暂时锁定，统一身份认证登录同样被拒绝。请稍后再试，或联系安全管理员解锁。"),
    "unavailable": (503, "统一身份认证服务暂时无法连接",
                    "{detail}。请稍后再试；已填写的内容不会丢失，系统中的数据未受影响。{local}"),
    "invalid": (400, "统一身份认证未通过", "{detail}。请返回登录页重新登录。"),
}


@dataclass
class Assertion:
    """What the provider asserted about the person logging in."""

    provider: str
    issuer: str
    claim: str
    value: str
    mfa: bool = False
    claims: dict[str, Any] = field(default_factory=dict)


def asserts_second_factor(methods: Any) -> bool:
    """Whether the provider's authentication methods (amr, or a configured CAS attribute) include a second factor."""
    if isinstance(methods, str):
        methods = methods.replace(",", " ").split()
    if not isinstance(methods, list | tuple):
        return False
    accepted = {v.lower() for v in settings.SOEGOV_SSO_MFA_VALUES}
    return any(isinstance(m, str) and m.lower() in accepted for m in methods)


def failure(request: HttpRequest, reason: str, *, provider: str, detail: str = "", who: str = "",
            next_url: str = "") -> HttpResponse:
    """The page that says why the SSO login did not go through, with the way back to the login page."""
    status, title, text = FAILURES[reason]
    local = "本地账号仍可在登录页用密码登录。" if settings.SOEGOV_LOCAL_LOGIN == "all" else ""
    message = text.format(who=f"（{who}）" if who else "", detail=detail.rstrip("。"), local=local)
    login_url = reverse("accounts:login")
    if next_url and next_url != "/":
        from urllib.parse import urlencode

        login_url += "?" + urlencode({"next": next_url})
    return render(request, "identity/sso_failed.html",
                  {"title": title, "message": message, "login_url": login_url, "provider": provider}, status=status)


def refuse(request: HttpRequest, reason: str, *, provider: str, detail: str = "", actor_name: str = "",
           next_url: str = "") -> HttpResponse:
    """Audit a refused or failed SSO login and show why."""
    audit_record(actor=None, action="auth.sso_failed", actor_name=actor_name[:150], object_type="accounts.user",
                 object_repr=actor_name[:255], ip=client_ip(request) or "",
                 after={"provider": provider, "reason": reason, "detail": detail[:500]})
    return failure(request, reason, provider=provider, detail=detail, next_url=next_url)


def _locked(request: HttpRequest, username: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return bool(AxesProxyHandler.is_locked(request, credentials={"username": username}))


def complete_login(request: HttpRequest, assertion: Assertion, next_url: Any) -> HttpResponse:
    """Log the linked account in, or refuse with the reason; every outcome is audited."""
    target = safe_next(request, next_url)
    identity = (SsoIdentity.objects.select_related("user")
                .filter(provider=assertion.provider, issuer=assertion.issuer, claim=assertion.claim,
                        value=assertion.value).first())
    if identity is None:
        pending = services.record_unknown(provider=assertion.provider, issuer=assertion.issuer,
                                          claim=assertion.claim, value=assertion.value, claims=assertion.claims,
                                          ip=client_ip(request) or "")
        return failure(request, "unknown", provider=assertion.provider, who=pending.display_name or assertion.value)
    user = identity.user
    if not user.is_active:
        return refuse(request, "inactive", provider=assertion.provider, actor_name=user.username)
    if _locked(request, user.username):
        return refuse(request, "locked", provider=assertion.provider, actor_name=user.username)
    auth.login(request, user, backend=SESSION_BACKEND)
    request.session[SESSION_KEY] = {"provider": assertion.provider, "mfa": assertion.mfa}
    audit_record(actor=user, action="auth.sso_login", obj=user, ip=client_ip(request) or "",
                 after={"provider": assertion.provider, "claim": assertion.claim, "value": assertion.value,
                        "second_factor_by_provider": assertion.mfa})
    from django.shortcuts import redirect

    return redirect(target)
