"""Start-up checks of the SSO settings (`soegov serve`, `soegov check`, `soegov manage check`).

Configuration mistakes are errors that stop the start with the variable named; a provider that does not
answer is a warning (tag `sso_reachability`, run by `soegov serve` and `soegov check`): soegov starts, the login
page says the provider is down and the local login still works.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from soegov.identity.config import ProviderUnavailable, fetch_discovery, url_problem

SIGN_ALGORITHMS = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"}
LOCAL_LOGIN = {"all", "admins"}


def _error(n: int, msg: str, hint: str = "") -> checks.Error:
    return checks.Error(msg, hint=hint or None, id=f"soegov.identity.E{n:03d}")


def _url(n: int, name: str, value: str) -> list[checks.CheckMessage]:
    problem = url_problem(value) if value else ""
    return [_error(n, f"{name}={value!r} {problem}", "例如 https://sso.example.gov.cn/...")] if problem else []


@checks.register("sso")
def check_oidc_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The OpenID Connect settings are complete and well formed."""
    out: list[checks.CheckMessage] = []
    discovery = settings.SOEGOV_OIDC_DISCOVERY_URL
    endpoints = {
        "SOEGOV_OIDC_AUTHORIZATION_ENDPOINT": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "SOEGOV_OIDC_TOKEN_ENDPOINT": settings.OIDC_OP_TOKEN_ENDPOINT,
        "SOEGOV_OIDC_USERINFO_ENDPOINT": settings.OIDC_OP_USER_ENDPOINT,
        "SOEGOV_OIDC_JWKS_ENDPOINT": settings.OIDC_OP_JWKS_ENDPOINT,
    }
    client_id = settings.OIDC_RP_CLIENT_ID
    anything = bool(discovery or client_id or any(endpoints.values()) or settings.SOEGOV_OIDC_ISSUER)
    if not anything:
        return out
    out += _url(1, "SOEGOV_OIDC_ISSUER", settings.SOEGOV_OIDC_ISSUER)
    out += _url(1, "SOEGOV_OIDC_DISCOVERY_URL", discovery)
    for name, value in endpoints.items():
        out += _url(1, name, value)
    if not client_id:
        out.append(_error(2, "已配置 OpenID Connect 认证服务，但未设置 SOEGOV_OIDC_CLIENT_ID（在认证服务登记本系统时得到的客户端标识）"))
    if not settings.OIDC_RP_CLIENT_SECRET:
        secret_file = settings.SOEGOV_OIDC_CLIENT_SECRET_FILE
        where = f"文件 {secret_file} 无法读取或为空" if secret_file else "未设置 SOEGOV_OIDC_CLIENT_SECRET 或 SOEGOV_OIDC_CLIENT_SECRET_FILE"
        out.append(_error(3, f"OpenID Connect 客户端密钥缺失：{where}"))
    if not discovery:
        missing = [n for n in ("SOEGOV_OIDC_AUTHORIZATION_ENDPOINT", "SOEGOV_OIDC_TOKEN_ENDPOINT",
                               "SOEGOV_OIDC_JWKS_ENDPOINT") if not endpoints[n]]
        if missing:
            out.append(_error(4, "未设置 SOEGOV_OIDC_ISSUER 或 SOEGOV_OIDC_DISCOVERY_URL，也未设置 " + "、".join(missing),
                              "设置 SOEGOV_OIDC_ISSUER（自动读取 .well-known/openid-configuration），或逐项设置各端点"))
        if not settings.SOEGOV_OIDC_ISSUER:
            out.append(_error(4, "不使用发现文档时须设置 SOEGOV_OIDC_ISSUER（用于核对 ID 令牌的签发者）"))
    if settings.OIDC_RP_SIGN_ALGO not in SIGN_ALGORITHMS:
        out.append(_error(5, f"SOEGOV_OIDC_SIGN_ALGO={settings.OIDC_RP_SIGN_ALGO!r} 不受支持，应为 "
                             + "、".join(sorted(SIGN_ALGORITHMS))))
    if "openid" not in settings.OIDC_RP_SCOPES.split():
        out.append(_error(6, f"SOEGOV_OIDC_SCOPES={settings.OIDC_RP_SCOPES!r} 须包含 openid"))
    return out


@checks.register("sso")
def check_cas_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The CAS settings are well formed."""
    out: list[checks.CheckMessage] = []
    if not settings.CAS_SERVER_URL:
        if settings.SOEGOV_CAS_LINK_ATTRIBUTE or settings.SOEGOV_CAS_MFA_ATTRIBUTE:
            out.append(_error(10, "设置了 SOEGOV_CAS_* 属性，但未设置 SOEGOV_CAS_SERVER_URL"))
        return out
    out += _url(11, "SOEGOV_CAS_SERVER_URL", settings.CAS_SERVER_URL)
    if str(settings.CAS_VERSION) not in {"2", "3"}:
        out.append(_error(12, f"SOEGOV_CAS_VERSION={settings.CAS_VERSION!r} 应为 2 或 3"))
    return out


@checks.register("sso")
def check_login_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Local login and the shared SSO settings make sense together."""
    from soegov.identity.config import cas_enabled, oidc_enabled

    out: list[checks.CheckMessage] = []
    if settings.SOEGOV_LOCAL_LOGIN not in LOCAL_LOGIN:
        out.append(_error(20, f"SOEGOV_LOCAL_LOGIN={settings.SOEGOV_LOCAL_LOGIN!r} 应为 all（所有账号可用密码登录）"
                              "或 admins（只有三员管理员可用密码登录）"))
    elif settings.SOEGOV_LOCAL_LOGIN == "admins" and not (oidc_enabled() or cas_enabled()):
        out.append(_error(21, "SOEGOV_LOCAL_LOGIN=admins 但未配置任何统一身份认证：除三员管理员外无人能登录"))
    raw = str(settings.SOEGOV_SSO_TIMEOUT_RAW)
    try:
        ok = 0 < float(raw) <= 120
    except ValueError:
        ok = False
    if not ok:
        out.append(_error(22, f"SOEGOV_SSO_TIMEOUT_SECONDS={raw!r} 应为 0 到 120 之间的秒数"))
    if not settings.SOEGOV_SSO_MFA_VALUES:
        out.append(checks.Warning("SOEGOV_SSO_MFA_VALUES 为空：统一身份认证登录后一律还须输入本系统的动态口令",
                                  id="soegov.identity.W023"))
    return out


@checks.register("sso_reachability", deploy=True)
def check_providers_answer(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The configured providers answer now (a warning: soegov still starts, the login page shows it)."""
    from soegov.identity.config import cas_enabled, oidc_enabled
    from soegov.identity.status import probe_cas

    out: list[checks.CheckMessage] = []
    if oidc_enabled() and settings.SOEGOV_OIDC_DISCOVERY_URL and not url_problem(settings.SOEGOV_OIDC_DISCOVERY_URL):
        try:
            fetch_discovery()
        except ProviderUnavailable as exc:
            out.append(checks.Warning(
                f"OpenID Connect 发现文档无法读取：{exc.message}",
                hint="检查 SOEGOV_OIDC_ISSUER / SOEGOV_OIDC_DISCOVERY_URL 与网络；服务照常启动，登录页会提示统一身份认证不可用，"
                     "本地账号仍可登录",
                id="soegov.identity.W101"))
    if cas_enabled() and not url_problem(settings.CAS_SERVER_URL):
        problem = probe_cas()
        if problem:
            out.append(checks.Warning(f"CAS 服务器无法访问：{problem}",
                                      hint="检查 SOEGOV_CAS_SERVER_URL 与网络；服务照常启动，登录页会提示",
                                      id="soegov.identity.W102"))
    return out
