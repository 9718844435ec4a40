"""Puts the client's address where the audit services can read it without a request argument."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from soegov.audit.context import client_ip, current_ip


class RequestContextMiddleware:
    """Sets the audit context (client address) for the duration of one request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
