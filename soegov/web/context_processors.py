"""Template context every page gets: the menu of the logged-in user (soegov.web.navigation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from soegov.accounts.policy import second_factor_pending
from soegov.web.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu entries for the logged-in user's role."""
    user = getattr(request, "user", None)
    # Until the TOTP step is done the menu would only lead back to it.
    if user is None or not user.is_authenticated or second_factor_pending(request):
        return {"nav": []}
    return {"nav": menu_for(user)}
