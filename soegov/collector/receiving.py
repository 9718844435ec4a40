"""The supervisor's side: take a signed package from an enterprise, import it through the manual import's own
checks (`exchange.imports.import_packages`), and answer with a receipt.

Order of the refusals: headers, size, key, signature, clock, replay, ownership; a valid request with a
package id already answered gets that answer again (no second import); a new one is imported and its
receipt kept in the same transaction, so a crash never leaves an import without its receipt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from soegov.audit.services import audit_record
from soegov.collector import signing
from soegov.collector.audit_actions import CollectorAction
from soegov.collector.error_codes import CollectorError
from soegov.collector.models import CollectorKey, CollectorNonce, CollectorReceipt, ReceiptStatus
from soegov.core.errors import SoegovError
from soegov.exchange import imports
from soegov.exchange import records as rec
from soegov.exchange.models import SubjectAnomaly

# The batch's outcome (exchange.imports.batch_outcome) as the receipt's status, and its HTTP status.
STATUS_OF_OUTCOME = {"applied": "accepted", "partial": "partial", "refused": "rejected", "empty": "rejected"}
HTTP_OF_STATUS = {"accepted": 200, "partial": 207, "rejected": 400}


@dataclass(frozen=True)
class Answer:
    """The HTTP status and JSON body the collector answers with."""

    status: int
    body: dict[str, Any]


def receive(*, headers: Mapping[str, str], body: bytes, now: float | None = None) -> Answer:
    """Check the request's signature and import its package once; the receipt (or a SoegovError refusal)."""
    signed = signing.read_headers(dict(headers.items()))
    if isinstance(signed, str):
        raise CollectorError.MISSING_HEADER.error(path=signed, header=signed)
    if len(body) > imports.MAX_ZIP_BYTES:
        raise CollectorError.TOO_LARGE.error(path="body", mb=imports.MAX_ZIP_BYTES // 1048576)
    key = CollectorKey.objects.select_related("enterprise").filter(key_id=signed.key_id, revoked_at=None).first()
    if key is None:
        raise CollectorError.UNKNOWN_KEY.error(path=signing.HEADERS["key_id"], key_id=signed.key_id[:64])
    try:
        if not signing.verify(signed, bytes.fromhex(key.public_key), body):
            raise CollectorError.BAD_SIGNATURE.error(path=signing.HEADERS["signature"], key_id=key.key_id)
        if not signing.skew_ok(signed, now):
            raise CollectorError.CLOCK_SKEW.error(path=signing.HEADERS["timestamp"], seconds=signing.MAX_SKEW_SECONDS)
        return _receive_signed(key, signed, body)
    except SoegovError as exc:
        _audit_refusal(key, signed, exc)
        raise


def _audit_refusal(key: CollectorKey, signed: signing.Signed, exc: SoegovError) -> None:
    audit_record(actor=None, actor_name=_who(key), action=CollectorAction.REFUSE, obj=key,
                 after={"package_id": signed.package_id, "file": signed.file_name, "code": exc.code,
                        "message": exc.message})


def _who(key: CollectorKey) -> str:
    return f"报送密钥 {key.key_id}（{key.enterprise.name}）"


def _receive_signed(key: CollectorKey, signed: signing.Signed, body: bytes) -> Answer:
    sha = hashlib.sha256(body).hexdigest()
    with transaction.atomic():
        # One request of a key at a time: a package sent twice at once is imported once.
        CollectorKey.objects.select_for_update().filter(pk=key.pk).update(last_used_at=timezone.now())
        # A nonce matters only while its timestamp would pass the clock check; older ones are forgotten.
        forget = timezone.now() - dt.timedelta(seconds=2 * signing.MAX_SKEW_SECONDS)
        CollectorNonce.objects.filter(key=key, seen_at__lt=forget).delete()
        try:
            with transaction.atomic():
                CollectorNonce.objects.create(key=key, nonce=signed.nonce)
        except IntegrityError:
            raise CollectorError.REPLAY.error(path=signing.HEADERS["nonce"], nonce=signed.nonce) from None
        before = CollectorReceipt.objects.filter(enterprise=key.enterprise, package_id=signed.package_id).first()
        if before is not None:
            if before.sha256 != sha:
                raise CollectorError.ID_REUSED.error(path=signing.HEADERS["package_id"], package_id=signed.package_id,
                                                     file=before.file_name)
            return Answer(HTTP_OF_STATUS[before.status], {**before.receipt, "resent": True})
        _check_owner(key, signed.file_name, body)
        results = imports.import_packages(actor=None, files=[(signed.file_name, body)])
        receipt = _receipt(signed, sha, results)
        status = str(receipt["status"])
        kept = CollectorReceipt.objects.create(
            enterprise=key.enterprise, key=key, package_id=signed.package_id, file_name=signed.file_name[:255],
            sha256=sha, status=ReceiptStatus(status), receipt=receipt)
        audit_record(actor=None, actor_name=_who(key), action=CollectorAction.RECEIVE, obj=kept,
                     after={"package_id": signed.package_id, "file": signed.file_name, "sha256": sha,
                            "status": status, "message": receipt["message"]})
    return Answer(HTTP_OF_STATUS[status], receipt)


def _check_owner(key: CollectorKey, file_name: str, body: bytes) -> None:
    """Every package in the request (a bundle holds several) names the key's own enterprise."""
    for name in [file_name, *_inner_names(body)]:
        try:
            uscc = rec.parse_zip_name(name).uscc
        except SoegovError:
            continue  # a malformed name is the import's to refuse, with its own message
        if uscc != key.enterprise.uscc:
            raise CollectorError.NOT_OWN.error(path=signing.HEADERS["file_name"], file=name, uscc=uscc,
                                               own=f"{key.enterprise.name} {key.enterprise.uscc}")


def _inner_names(body: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            names = [i.filename.rsplit("/", 1)[-1] for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        return []
    return names if names and all(n.lower().endswith(".zip") for n in names) else []


def _receipt(signed: signing.Signed, sha: str, results: list[imports.ImportResult]) -> dict[str, Any]:
    outcome, said = imports.batch_outcome([r.ok for r in results])
    found = _anomalies([r.package.pk for r in results if r.package is not None])
    items: list[dict[str, Any]] = [{"file": r.file_name, "ok": r.ok, "message": r.message,
                                   "anomalies": found.get(r.package.pk, []) if r.package is not None else []}
                                  for r in results]
    return {"package_id": signed.package_id, "file_name": signed.file_name, "sha256": sha,
            "status": STATUS_OF_OUTCOME[outcome], "outcome": outcome, "message": said,
            "received_at": timezone.localtime().isoformat(timespec="seconds"),
            "anomaly_count": sum(len(i["anomalies"]) for i in items), "items": items}


def _anomalies(package_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The anomalies the import found, per received package: one query for a whole bundle."""
    found: dict[int, list[dict[str, Any]]] = {}
    for a in (SubjectAnomaly.objects.filter(subject__meeting__package_id__in=package_ids, subject__active=True)
              .select_related("subject__meeting").order_by("subject_id", "type")):
        found.setdefault(a.subject.meeting.package_id, []).append(
            {"type": a.type, "label": a.label, "subject": a.subject.name, "cause": a.cause})
    return found
