"""Logins, logouts, failed logins, lockouts and out-of-scope reads (soegov.core.signals) go to the audit trail."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from soegov.audit.context import client_ip
from soegov.audit.services import audit_record
from soegov.core.audit_actions import CoreAction
from soegov.core.signals import access_denied, file_corrupt


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="auth.login", obj=user, ip=client_ip(request) or "")


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user, ip=client_ip(request) or "")


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        action="auth.login_failed",
        actor_name=username,
        object_type="accounts.user",
        object_repr=username,
        ip=client_ip(request) or "",
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None = None, ip_address: str | None = None, **kwargs: Any) -> None:
    audit_record(
        actor=None,
        action="auth.locked_out",
        actor_name=username or "",
        object_type="accounts.user",
        object_repr=username or "",
        ip=ip_address or client_ip(request) or "",
    )


@receiver(access_denied)
def _access_denied(sender: Any, user: Any, object_type: str, object_id: str, **kwargs: Any) -> None:
    audit_record(actor=user, action="access.denied", object_type=object_type, object_id=object_id)


@receiver(file_corrupt)
def _file_corrupt(sender: Any, user: Any, sha256: str, found: str, what: str, **kwargs: Any) -> None:
    audit_record(actor=user, action=CoreAction.FILE_CORRUPT, object_type="core.file", object_id=sha256,
                 object_repr=what[:255], before={"sha256": sha256}, after={"sha256": found})
