"""The interface language: zh-Hans unless the person chose English. A logged-in person's choice is kept on his
account (`User.language`, set by the footer's 中文/English switch or on the 界面语言 page) and followed on every
device; before login the language cookie decides. The browser's Accept-Language is not consulted, so an
English-configured browser in a Chinese office still gets Chinese pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views import i18n

from soegov.accounts import services as account_services
from soegov.core.redirects import post_or_back_to

ALLOWED = frozenset(code for code, _name in settings.LANGUAGES)


def account_language(request: HttpRequest) -> str:
    """The language saved on the logged-in person's account, or "" (anonymous, or never chosen)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    chosen = getattr(user, "language", "")
    return chosen if chosen in ALLOWED else ""


class ChosenLanguageMiddleware:
    """Activate the account's language, else the cookie's, else LANGUAGE_CODE (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = account_language(request) or (cookie if cookie in ALLOWED else settings.LANGUAGE_CODE)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The account's choice goes into this browser's cookie too, so that the pages shown after logout (the
        # login page) stay in the language the person reads on a device he has not switched on himself.
        stored = account_language(request)
        if stored and response.cookies.get(settings.LANGUAGE_COOKIE_NAME) is None and cookie != stored:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, stored, max_age=settings.LANGUAGE_COOKIE_AGE,
                                path=settings.LANGUAGE_COOKIE_PATH, secure=settings.LANGUAGE_COOKIE_SECURE,
                                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        translation.deactivate()
        return response


@post_or_back_to("home")
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's 中文/English switch: Django's set_language (cookie, safe redirect), and for a logged-in person
    the choice saved on his account (audited), so his other devices follow it."""
    language = request.POST.get("language", "")
    if language in ALLOWED and request.user.is_authenticated:
        account_services.user_set_language(actor=request.user, language=language)
    return i18n.set_language(request)
