"""CAS 2/3 login through django-cas-ng: its redirect to the CAS server, service URLs and single logout, with
the ticket validated here (a time limit, the server's failures told apart) and the outcome decided by login.py.
"""

from __future__ import annotations

from xml.etree.ElementTree import ParseError

import requests
from cas import CASError
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_cas_ng.models import SessionTicket
from django_cas_ng.utils import get_cas_client, get_service_url
from django_cas_ng.views import LoginView

from soegov.identity.config import ProviderUnavailable, cas_enabled, cas_issuer
from soegov.identity.login import Assertion, asserts_second_factor, complete_login, refuse
from soegov.identity.models import Provider
from soegov.identity.status import probe_cas

PROVIDER = str(Provider.CAS)


def validate_ticket(request: HttpRequest, ticket: str) -> Assertion:
    """Ask the CAS server whether the ticket is good (serviceValidate or p3/serviceValidate)."""
    client = get_cas_client(service_url=get_service_url(request), request=request)
    try:
        username, attributes, _pgtiou = client.verify_ticket(ticket)
    except requests.Timeout:
        raise ProviderUnavailable("CAS 服务器校验票据超时") from None
    except requests.RequestException as exc:
        raise ProviderUnavailable(f"无法连接 CAS 服务器（{type(exc).__name__}）") from None
    except (ParseError, IndexError, AttributeError, CASError):
        raise ProviderUnavailable("CAS 服务器的答复不是 CAS 协议的格式") from None
    if not username:
        raise ValueError("CAS 服务器未认可该票据（票据无效、已使用或已过期）")
    attributes = attributes if isinstance(attributes, dict) else {}
    claim = settings.SOEGOV_CAS_LINK_ATTRIBUTE or "user"
    value = username if claim == "user" else attributes.get(claim)
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else None
    if value in (None, ""):
        raise ValueError(f"CAS 服务器未提供用于关联账号的属性 {claim}")
    mfa_attribute = settings.SOEGOV_CAS_MFA_ATTRIBUTE
    mfa = bool(mfa_attribute) and asserts_second_factor(
        attributes.get(mfa_attribute) if isinstance(attributes.get(mfa_attribute), list)
        else [attributes.get(mfa_attribute)])
    return Assertion(provider=PROVIDER, issuer=cas_issuer(), claim=claim, value=str(value)[:255], mfa=mfa,
                     claims={"uid": username, **{k: v for k, v in attributes.items() if isinstance(v, str)}})


class CasLoginView(LoginView):
    """GET without a ticket: off to the CAS server; with one: validate it and log the linked account in."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not cas_enabled():
            raise Http404("未配置 CAS 登录")
        ticket = request.GET.get("ticket")
        if not ticket:
            if not request.user.is_authenticated:
                problem = probe_cas()
                if problem:
                    messages.error(request, f"CAS 统一认证服务暂时无法连接（{problem}），请稍后再试。"
                                   + ("也可使用本地账号登录。" if settings.SOEGOV_LOCAL_LOGIN == "all" else ""))
                    return redirect("accounts:login")
            response: HttpResponse = super().get(request)
            return response
        next_url = request.session.pop("CASNEXT", None)
        try:
            assertion = validate_ticket(request, ticket[:1024])
        except ProviderUnavailable as exc:
            return refuse(request, "unavailable", provider=PROVIDER, detail=exc.message, next_url=next_url or "")
        except ValueError as exc:
            return refuse(request, "invalid", provider=PROVIDER, detail=str(exc), next_url=next_url or "")
        response = complete_login(request, assertion, next_url)
        if request.user.is_authenticated and request.session.session_key:
            # Lets the CAS server's single logout (a POST naming the ticket) end this session.
            SessionTicket.objects.update_or_create(session_key=request.session.session_key,
                                                   defaults={"ticket": ticket[:255]})
        return response

    def post(self, request: HttpRequest) -> HttpResponse:
        if not cas_enabled():
            raise Http404("未配置 CAS 登录")
        result: HttpResponse = super().post(request)
        return result
