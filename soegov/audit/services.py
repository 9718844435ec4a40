"""Writing to the audit trail and verifying its chain."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from soegov.audit.chain import GENESIS, entry_hash
from soegov.audit.context import current_ip
from soegov.audit.models import AuditEntry, AuditHead


def _jsonable(value: Any) -> Any:
    """Plain JSON data for before/after snapshots (Decimal and dates as strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=_default))


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The values of a model instance's concrete fields, as JSON data for before/after."""
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"password"}:
            continue
        data[f.attname] = f.value_from_object(instance)
    result: dict[str, Any] = _jsonable(data)
    return result


def acting_user(actor: Any) -> Any:
    """The actor as the user to store on a row ("recorded by", "uploaded by"): None for the system or demo."""
    return actor if getattr(actor, "pk", None) else None


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    actor_name: str | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain; call it inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    name = actor_name if actor_name is not None else (actor_obj.get_username() if actor_obj else "")
    address = ip if ip is not None else (current_ip.get() or "")
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1, defaults={"hash": GENESIS})
        seq = head.seq + 1
        at = timezone.now()
        # The same fields are hashed and stored, so a stored row can always be re-hashed to check it.
        fields: dict[str, Any] = {
            "seq": seq, "at": at, "actor_name": name, "ip": address, "action": action, "object_type": object_type,
            "object_id": object_id, "object_repr": object_repr, "before": _jsonable(before), "after": _jsonable(after),
            "prev_hash": head.hash,
        }
        digest = entry_hash(actor_id=actor_obj.pk if actor_obj else None, **fields)
        entry = AuditEntry.objects.create(actor=actor_obj, hash=digest, **fields)
        AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)
    return entry


@dataclass
class VerifyResult:
    """What `soegov audit verify` found: how many entries were checked and every break in the chain."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify() -> VerifyResult:
    """Recompute every hash and link; report edited, inserted and deleted entries."""
    result = VerifyResult()
    expected_prev = GENESIS
    expected_seq = 1
    for e in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        result.checked += 1
        if e.seq != expected_seq:
            result.problems.append(f"第 {expected_seq}–{e.seq - 1} 号记录缺失（被删除）")
        if e.prev_hash != expected_prev:
            result.problems.append(f"第 {e.seq} 号记录的前序哈希与链不符")
        actual = entry_hash(
            seq=e.seq,
            at=e.at,
            actor_id=e.actor_id,
            actor_name=e.actor_name,
            ip=e.ip,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            object_repr=e.object_repr,
            before=e.before,
            after=e.after,
            prev_hash=e.prev_hash,
        )
        if actual != e.hash:
            result.problems.append(f"第 {e.seq} 号记录的内容已被改动（哈希不符）")
        expected_prev = e.hash
        expected_seq = e.seq + 1
    head = AuditHead.objects.filter(id=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        result.problems.append(f"链尾应为第 {head.seq} 号记录，实际为第 {last_seq} 号：末尾记录被删除或改动")
    if head is None and result.checked:
        result.problems.append("链头记录缺失")
    return result
