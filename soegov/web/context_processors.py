"""Template context every page gets: the menu of the logged-in user (soegov.web.navigation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from soegov.accounts.policy import second_factor_pending
from soegov.web.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Menu entries for the logged-in user's role, and whether the header offers the search (any kind to find)."""
    user = getattr(request, "user", None)
    # Until the TOTP step is done the menu would only lead back to it.
    if user is None or not user.is_authenticated or second_factor_pending(request):
        return {"nav": [], "search_box": False}
    from soegov.search.selectors import kinds_for

    return {"nav": menu_for(user), "search_box": bool(kinds_for(user))}
