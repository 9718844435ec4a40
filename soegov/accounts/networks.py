"""The administrators' address allow-list: the three administrators (and their pages, sessions and tokens) only
from the networks in SOEGOV_ADMIN_NETWORKS (CIDR list; empty: from anywhere)."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from soegov.accounts.audit_actions import AccountAction
from soegov.accounts.roles import ADMIN_ROLES
from soegov.audit.context import client_ip
from soegov.audit.services import audit_record

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: list[str]) -> tuple[list[Network], list[str]]:
    """The networks, and a Chinese message for each entry that is not a network in CIDR notation."""
    networks, problems = [], []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=True))
        except ValueError:
            loose = _loose_network(entry)
            problems.append(f"“{entry}”不是网段（CIDR）：" + (f"主机位不为零，应写作 {loose}" if loose
                                                          else "应形如 10.20.0.0/16、192.168.8.5/32 或 fd00::/8"))
    return networks, problems


def _loose_network(entry: str) -> str | None:
    try:
        return str(ipaddress.ip_network(entry, strict=False))
    except ValueError:
        return None


def admin_address_allowed(request: HttpRequest) -> bool:
    """Whether the request comes from an administrators' network (always, when none is configured)."""
    entries = list(getattr(settings, "SOEGOV_ADMIN_NETWORKS", []))
    if not entries:
        return True
    networks, _problems = parse_networks(entries)
    try:
        address = ipaddress.ip_address((client_ip(request) or "").split("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in n for n in networks)


def refuse_admin_address(request: HttpRequest, user: Any, where: str) -> None:
    """Record a refused administrator access (once a minute per account and address: the trail records the
    attempt, not every request of it)."""
    ip = client_ip(request) or "-"
    if cache.add(f"adminnet:{user.pk}:{ip}:{int(time.time() // 60)}", 1, timeout=70):
        audit_record(actor=user, action=AccountAction.ADMIN_NETWORK_REFUSED, obj=user,
                     after={"address": ip, "where": where, "path": request.path[:200]})


def refusal_message(request: HttpRequest) -> str:
    """Why, in Chinese, naming the address and the setting."""
    return (f"管理员账号只能从指定的管理网段访问：本次访问地址 {client_ip(request) or '未知'} 不在允许范围内"
            "（SOEGOV_ADMIN_NETWORKS）。请在管理终端上操作，或请运维人员调整该设置。")


class AdminNetworkMiddleware:
    """Every request of a logged-in administrator from outside the allowed networks is refused (403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "role", None) in ADMIN_ROLES
                and not request.path.startswith(("/static/", "/accounts/logout/"))
                and not admin_address_allowed(request)):
            refuse_admin_address(request, user, "page")
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {"code": "admin_network", "message": refusal_message(request),
                                               "path": None}}, status=403)
            return render(request, "web/403.html", {"reason": refusal_message(request)}, status=403)
        return self.get_response(request)
