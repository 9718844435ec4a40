"""Property: whatever a database writer without the key folder does to a keyed, anchored chain — edit any field of
any row, re-hash from there, delete any range, renumber, append a forged row, reset the head — verify sees it."""

from __future__ import annotations

import tempfile
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soegov.audit.chain import GENESIS, entry_hash
from soegov.audit.models import AuditEntry, AuditHead
from soegov.audit.sealing import anchor_after_commit
from soegov.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db

N = 6
FIELDS = ["actor_name", "ip", "action", "object_repr", "after", "at"]


class Rollback(Exception):
    """Ends one example's transaction."""


def _rehash(start: int) -> None:
    prev = AuditEntry.objects.get(seq=start - 1).hash if start > 1 else GENESIS
    for e in AuditEntry.objects.filter(seq__gte=start).order_by("seq"):
        digest = entry_hash(seq=e.seq, at=e.at, actor_id=e.actor_id, actor_name=e.actor_name, ip=e.ip,
                            action=e.action, object_type=e.object_type, object_id=e.object_id,
                            object_repr=e.object_repr, before=e.before, after=e.after, prev_hash=prev)
        AuditEntry.objects.filter(pk=e.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    last = AuditEntry.objects.order_by("-seq").first()
    AuditHead.objects.update_or_create(id=1, defaults={"seq": last.seq if last else 0, "hash": prev})


def _attack(kind: str, a: int, b: int, field: str, rehash: bool) -> None:
    lo, hi = min(a, b), max(a, b)
    if kind == "edit":
        e = AuditEntry.objects.get(seq=lo)
        value: Any = {"n": -1} if field == "after" else (e.at.replace(year=2020) if field == "at" else "forged")
        AuditEntry.objects.filter(seq=lo).update(**{field: value})
    elif kind == "delete":
        AuditEntry.objects.filter(seq__gte=lo, seq__lte=hi)._raw_delete(AuditEntry.objects.db)
        if rehash:  # renumber the rest so no gap shows
            for e in AuditEntry.objects.filter(seq__gt=hi).order_by("seq"):
                AuditEntry.objects.filter(pk=e.pk).update(seq=e.seq - (hi - lo + 1))
    elif kind == "append":
        last = AuditEntry.objects.order_by("-seq").first()
        assert last is not None
        fields: dict[str, Any] = {"seq": last.seq + 1, "at": last.at, "actor_name": "x", "ip": "", "action": "forged",
                                  "object_type": "", "object_id": "", "object_repr": "", "before": None,
                                  "after": None, "prev_hash": last.hash}
        AuditEntry.objects.bulk_create([AuditEntry(hash=entry_hash(actor_id=None, **fields), mac=last.mac, **fields)])
    if rehash or kind != "edit":
        _rehash(lo if kind != "append" else N + 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["edit", "delete", "append"]), a=st.integers(1, N), b=st.integers(1, N),
       field=st.sampled_from(FIELDS), rehash=st.booleans())
def test_any_tampering_is_detected(monkeypatch: pytest.MonkeyPatch, kind: str, a: int, b: int, field: str,
                                   rehash: bool) -> None:
    with tempfile.TemporaryDirectory() as anchors:
        monkeypatch.setenv("SOEGOV_AUDIT_ANCHOR_DIR", anchors)
        try:
            with transaction.atomic():
                for i in range(N):
                    entry = audit_record(actor=None, action="test.event", object_repr=f"第{i}件", after={"n": i})
                    # As on_commit would, once each entry is committed.
                    anchor_after_commit(entry.seq, entry.hash)
                assert audit_verify().ok
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                _attack(kind, a, b, field, rehash)
                result = audit_verify()
                assert not result.ok, (kind, a, b, field, rehash)
                raise Rollback
        except Rollback:
            pass
