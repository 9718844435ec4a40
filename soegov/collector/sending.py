"""Sending the outbox to the collector: sign, POST over HTTPS, keep the receipt; back off while the other side
is down or busy (no answer, 5xx, 429), never retry a refusal (another 4xx): it would be refused again.

Every state change is audited. A package is claimed by a conditional UPDATE, so two workers never send it
at once; one left 发送中 by a worker that died is taken again after the time limit (the collector answers a
package id it has seen with the same receipt, so sending twice imports once).
"""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from soegov.audit.services import audit_record
from soegov.collector import signing
from soegov.collector.audit_actions import CollectorAction
from soegov.collector.env import number
from soegov.collector.models import OutboxPackage, OutboxState
from soegov.core.files import file_read

SENDER = "soegov 报送任务"
RECEIPT_STATES = {"accepted": OutboxState.ACCEPTED, "partial": OutboxState.PARTIAL, "rejected": OutboxState.REJECTED}


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: the new state, the receipt (final states) or the reason to try again."""

    state: Any  # an OutboxState
    receipt: dict[str, Any] | None = None
    error: str = ""
    wait: float = 0.0


def timeout() -> float:
    """SOEGOV_COLLECTOR_TIMEOUT_SECONDS (checked at start-up)."""
    return number(settings.SOEGOV_COLLECTOR_TIMEOUT_RAW, 1, 600) or 60.0


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: doubling from RETRY, at most RETRY_MAX."""
    base = number(settings.SOEGOV_COLLECTOR_RETRY_RAW, 1, 86400) or 60.0
    cap = number(settings.SOEGOV_COLLECTOR_RETRY_MAX_RAW, 1, 7 * 86400) or 21600.0
    return float(min(cap, base * 2 ** min(max(attempts - 1, 0), 30)))


def due(now: dt.datetime | None = None) -> Any:
    """Packages to send now: new ones, those whose next try has come, those a dead worker left 发送中."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=timeout() + 60)
    return OutboxPackage.objects.filter(
        Q(state=OutboxState.PENDING) | Q(state=OutboxState.RETRYING, next_attempt_at__lte=now)
        | Q(state=OutboxState.SENDING, sending_since__lt=stale)).order_by("created_at", "id")


def send_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every package due; how many ended in each state."""
    counts: dict[str, int] = {}
    for pk in list(due(now).values_list("pk", flat=True)):
        state = send_one(pk, now=now)
        if state:
            counts[state] = counts.get(state, 0) + 1
    return counts


def counts_said(counts: dict[str, int]) -> str:
    """What a send came to, in words (the job's message and `soegov collector send`)."""
    said = "，".join(f"{label} {counts[value]} 个" for value, label in OutboxState.choices if value in counts)
    return f"已尝试报送：{said}" if said else "没有待发送的数据包"


def _set_state(pkg: OutboxPackage, before: Any, fields: dict[str, Any]) -> None:
    OutboxPackage.objects.filter(pk=pkg.pk).update(**fields)
    audit_record(actor=None, actor_name=SENDER, action=CollectorAction.OUTBOX_STATE, obj=pkg,
                 before={"state": before}, after={k: (v.isoformat() if isinstance(v, dt.datetime) else v)
                                                  for k, v in fields.items() if not hasattr(v, "resolve_expression")})


def send_one(pk: int, *, now: dt.datetime | None = None) -> str:
    """One attempt at one package (if it is still due); its new state, or "" when another worker has it."""
    now = now or timezone.now()
    with transaction.atomic():
        pkg = due(now).select_for_update().filter(pk=pk).first()
        if pkg is None:
            return ""
        _set_state(pkg, pkg.state, {"state": OutboxState.SENDING, "sending_since": now, "attempts": F("attempts") + 1})
    pkg.refresh_from_db()
    outcome = attempt(pkg)
    fields: dict[str, Any] = {"state": outcome.state, "sending_since": None}
    if outcome.state == OutboxState.RETRYING:
        wait = max(backoff(pkg.attempts), outcome.wait)
        fields.update(next_attempt_at=timezone.now() + dt.timedelta(seconds=wait), last_error=outcome.error[:500])
    else:
        fields.update(receipt=outcome.receipt, finished_at=timezone.now(), next_attempt_at=None,
                      last_error=outcome.error[:500])
    with transaction.atomic():
        _set_state(pkg, OutboxState.SENDING, fields)
    return str(outcome.state)


def attempt(pkg: OutboxPackage) -> Outcome:
    """POST the package to the collector once and read the answer."""
    body = file_read(pkg.sha256)
    headers = signing.sign_headers(key_id=settings.SOEGOV_COLLECTOR_KEY_ID,
                                   private_key=signing.read_key_file(Path(settings.SOEGOV_COLLECTOR_KEY_FILE)),
                                   package_id=str(pkg.package_id), file_name=pkg.file_name, body=body)
    try:
        response = requests.post(settings.SOEGOV_COLLECTOR_URL, data=body, headers=headers, timeout=timeout(),
                                 verify=settings.SOEGOV_COLLECTOR_CA_BUNDLE or True, allow_redirects=False)
    except requests.exceptions.SSLError as exc:
        return Outcome(OutboxState.RETRYING, error=f"采集端的 HTTPS 证书无法验证（{str(exc)[:200]}）；"
                                                   "请检查 SOEGOV_COLLECTOR_CA_BUNDLE")
    except requests.RequestException as exc:
        return Outcome(OutboxState.RETRYING, error=f"无法连接国资委采集端（{type(exc).__name__}）")
    return read_answer(pkg, response)


def _retry_after(response: requests.Response) -> float:
    value = (response.headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return float(value)
    when = email.utils.parsedate_to_datetime(value) if value else None
    return max(0.0, (when - timezone.now()).total_seconds()) if when and when.tzinfo else 0.0


def read_answer(pkg: OutboxPackage, response: requests.Response) -> Outcome:
    """The outcome of the collector's answer: a receipt, a refusal, or a reason to try later."""
    code = response.status_code
    if code == 429 or code >= 500:
        return Outcome(OutboxState.RETRYING, error=f"采集端暂时无法接收（HTTP {code}）", wait=_retry_after(response))
    try:
        doc = response.json()
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        doc = None
    if doc is None:
        if 200 <= code < 300 or code in (301, 302, 303, 307, 308):
            return Outcome(OutboxState.RETRYING, error=f"采集端的应答不是回执（HTTP {code}）；请检查 SOEGOV_COLLECTOR_URL")
        return Outcome(OutboxState.REJECTED, receipt={"status": "rejected", "http_status": code,
                                                      "message": f"采集端拒绝（HTTP {code}）"})
    if doc.get("status") in RECEIPT_STATES and doc.get("package_id") == str(pkg.package_id):
        return Outcome(RECEIPT_STATES[doc["status"]], receipt={**doc, "http_status": code})
    error = doc.get("error") if isinstance(doc.get("error"), dict) else {}
    message = str(error.get("message") or f"HTTP {code}")[:500]
    if 200 <= code < 300:
        return Outcome(OutboxState.RETRYING, error=f"采集端的应答不是本数据包的回执（HTTP {code}）")
    return Outcome(OutboxState.REJECTED, error=message,
                   receipt={"status": "rejected", "http_status": code, "code": error.get("code", ""), "message": message})
