"""Where to send the browser after a step (login, TOTP): only ever a page of this site."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

# A `next` may carry a `next` of its own (the login page's next is the TOTP page, whose next is...); each is checked.
NEXT_PARAMETER = "next"
# Deeper nesting than this is not a link a person followed.
MAX_DEPTH = 4


def is_local(request: HttpRequest, candidate: Any, *, depth: int = 0) -> bool:
    """Whether the address stays on this site, and so does every `next` nested in its query."""
    if not isinstance(candidate, str) or not candidate or depth > MAX_DEPTH:
        return False
    # Browsers read a backslash as a slash ("/\\evil.example" is "//evil.example") and drop tabs and newlines.
    if "\\" in candidate or any(c in candidate for c in "\t\r\n"):
        return False
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return False
    parts = urlsplit(candidate)
    # Only a path on this host: a scheme or host of our own name is still spelled out by nobody who means well.
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return False
    return all(is_local(request, value, depth=depth + 1)
               for key, value in parse_qsl(parts.query, keep_blank_values=True) if key == NEXT_PARAMETER)


def safe_next(request: HttpRequest, candidate: Any, default: str | None = None) -> str:
    """The page to go to: `candidate` when it is local (nested `next`s included), else `default` or the home page."""
    if is_local(request, candidate):
        return str(candidate)
    return str(resolve_url(default or settings.LOGIN_REDIRECT_URL))


def post_or_back_to(viewname: str, *, back_with_pk: bool = True) -> Any:
    """Like require_POST, but a GET of an action's address (Enter pressed in the address bar after a form error
    left the browser there) goes back to the object's page instead of a bare "405". back_with_pk=False when the
    address's pk is not the page's (an attachment's address going back to the list)."""
    from functools import wraps

    from django.http import HttpResponseNotAllowed
    from django.shortcuts import redirect

    def decorate(view: Any) -> Any:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method in ("GET", "HEAD"):
                # An action on a list (新建…) goes back to the list; an action on an object to its page.
                return redirect(viewname, pk=kwargs["pk"]) if "pk" in kwargs and back_with_pk else redirect(viewname)
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
