"""The login page's SSO buttons."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings

from soegov.identity import status

register = template.Library()


@register.inclusion_tag("identity/login_buttons.html")
def sso_buttons(next_url: str = "") -> dict[str, Any]:
    """One button per configured provider (keeping the page asked for), and a slot for their status."""
    query = "?" + urlencode({"next": next_url}) if next_url else ""
    return {"providers": [(p.label, p.login_url + query, p.code) for p in status.configured()],
            "local_login": settings.SOEGOV_LOCAL_LOGIN}
