"""One way for a page to run a form's action: a refusal becomes the page's message, never a traceback.

    with form_action(request, success="材料已上传"):
        services.attachment_upload(...)
    return redirect(...)

A SoegovError raised inside the block is stopped there: its message goes to the page (a flash message,
or `outcome.error` for a page that shows it beside the form) and nothing after the failing call runs.
A denial (PermissionDenied) stays a 403 unless the page asks to show it as a message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import get_language, gettext

from soegov.core.errors import SoegovError


@dataclass
class Outcome:
    """What happened to the action: ok, or the message to show and the field it is about."""

    error: str = ""
    path: str | None = None
    code: str = ""  # the refusal's code, for a page that answers one refusal with a question (e.g. date_unconfirmed)

    @property
    def ok(self) -> bool:
        """The action ran to its end."""
        return not self.error

    @property
    def field_errors(self) -> dict[str, str]:
        """The message under the field it is about, for a page that marks its fields ({} when it names none)."""
        return {self.path: self.error} if self.path else {}

    def show_on(self, form: Any, field: str | None = None) -> None:
        """Put the message on a Django form: beside `field`, else the field it is about, else above the form."""
        if self.error:
            target = field or self.path
            form.add_error(target if target in form.fields else None, self.error)


def page_message(exc: SoegovError | PermissionDenied) -> str:
    """The text a page shows for a refused action: a SoegovError's message in the page's language (each error
    code has a Chinese and an English one), a denial's reason."""
    if isinstance(exc, SoegovError):
        return exc.text("en" if get_language() == "en" else "zh")
    return str(exc) or gettext("您无权进行此操作")


@contextmanager
def form_action(request: HttpRequest, *, success: str = "", flash: bool = True,
                denied_as_message: bool = False) -> Iterator[Outcome]:
    """Run the block as the form's action; on a SoegovError record its message (flashed unless flash=False)."""
    outcome = Outcome()
    refusals: tuple[type[Exception], ...] = (SoegovError, PermissionDenied) if denied_as_message else (SoegovError,)
    try:
        yield outcome
    except refusals as exc:
        outcome.error = page_message(exc)
        outcome.path = getattr(exc, "path", None)
        outcome.code = str(getattr(exc, "code", ""))
        if flash:
            messages.error(request, outcome.error)
        return
    if flash and success:
        messages.success(request, success)
