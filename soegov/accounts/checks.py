"""Start-up check of the accounts settings: the administrators' networks must be networks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from soegov.accounts.networks import parse_networks

TAG = "soegov_security"


@checks.register(TAG)
def check_admin_networks(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Each SOEGOV_ADMIN_NETWORKS entry is a network in CIDR notation (else soegov.E161, and no start)."""
    _networks, problems = parse_networks(list(getattr(settings, "SOEGOV_ADMIN_NETWORKS", [])))
    return [checks.Error(f"SOEGOV_ADMIN_NETWORKS 中的{p}", id="soegov.E161",
                         hint="应为逗号分隔的网段，如 10.20.0.0/16,192.168.8.5/32,fd00::/8；留空则不限制管理员的访问地址")
            for p in problems]
