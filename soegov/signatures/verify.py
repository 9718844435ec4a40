"""Checking a downloaded document: who signed what, when, with which certificate, and whether a byte changed.

Trust comes from outside the database: the root certificate in the key folder (keystore.trust_anchor).
The database is asked only whether a certificate was revoked, and when, and whether it holds the signature.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from soegov.signatures import certs, keystore, sm2
from soegov.signatures.container import ContainerError, kind_of, split

FORMAT_NAMES = {"pdf": "PDF", "zip": "ZIP 包（.docx / .ofd）"}


@dataclass
class SignatureCheck:
    """The verdict on one signature in the file."""

    signer: str = ""
    account: str = ""
    organisation: str = ""
    purpose: str = ""
    signed_at: str = ""
    signed_at_text: str = ""
    operator: str = ""
    serial: str = ""
    fingerprint: str = ""
    not_before: str = ""
    not_after: str = ""
    certificate: str = ""  # trusted / untrusted / unreadable
    status_at_signing: str = ""  # valid / revoked / expired / not_yet_valid
    revoked_at: str = ""
    revocation_reason: str = ""
    signature_valid: bool = False
    covers_this_file: bool = False
    recorded: bool = False
    ok: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The verification sheet of one file."""

    file_name: str
    size: int
    sm3: str
    file_format: str = ""
    signed: bool = False
    intact: bool = False
    title: str = ""
    kind: str = ""
    revision: int = 0
    rendition: str = ""
    root_subject: str = ""
    root_fingerprint: str = ""
    trusted_root: bool = False
    ok: bool = False
    problems: list[str] = field(default_factory=list)
    signatures: list[SignatureCheck] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON data."""
        return asdict(self)


def _when(text: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo else None


def _revocation(serial: str) -> tuple[dt.datetime | None, str, bool]:
    """(revoked_at, reason, recorded) from this installation's database."""
    from soegov.signatures.models import CertStatus, SigningCertificate

    row = SigningCertificate.objects.filter(serial=serial).values("status", "revoked_at", "revocation_reason").first()
    if row is None:
        return None, "", False
    return (row["revoked_at"] if row["status"] == CertStatus.REVOKED else None), row["revocation_reason"], True


def _recorded(serial: str, signature: bytes) -> bool:
    from soegov.signatures.models import SignatureRecord

    return any(bytes(s) == signature for s in SignatureRecord.objects.filter(certificate__serial=serial)
               .values_list("signature", flat=True))


def _check(entry: Any, content_sm3: str, rendition: str, root: certs.CertInfo | None) -> SignatureCheck:
    check = SignatureCheck()
    try:
        statement_bytes = str(entry["statement"]).encode("utf-8")
        statement = json.loads(statement_bytes)
        signature = base64.b64decode(entry["signature"], validate=True)
        der = base64.b64decode(entry["certificate"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        check.problems.append("签名条目无法读取")
        return check
    signer = statement.get("signer") or {}
    check.signer, check.account = str(signer.get("name", "")), str(signer.get("account", ""))
    check.organisation, check.purpose = str(signer.get("organisation", "")), str(statement.get("purpose_label", ""))
    check.signed_at, check.operator = str(statement.get("signed_at", "")), str(statement.get("operator", ""))
    try:
        cert = certs.read(der)
    except certs.CertificateError:
        check.certificate = "unreadable"
        check.problems.append("签名所附证书无法读取")
        return check
    check.serial, check.fingerprint = cert.serial, cert.fingerprint
    check.not_before, check.not_after = cert.not_before.isoformat(), cert.not_after.isoformat()
    if statement.get("certificate") != cert.serial:
        check.problems.append("签名内容所写的证书序列号与所附证书不符")
    trusted = root is not None and certs.issued_by(cert, root)
    check.certificate = "trusted" if trusted else "untrusted"
    if not trusted:
        check.problems.append("证书不是由本系统的根证书签发的（或根证书不可用），不能确认签名人身份")
    if cert.subject_uid and check.account and cert.subject_uid != check.account:
        check.problems.append("签名内容所写的签名人与证书持有人不符")
    check.signature_valid = sm2.verify(cert.public_key, statement_bytes, signature)
    if not check.signature_valid:
        check.problems.append("SM2 签名值验证失败：签名内容或签名值被改动")
    digest = (((statement.get("what") or {}).get("renditions") or {}).get(rendition) or {}).get("sm3")
    check.covers_this_file = digest == content_sm3
    if not check.covers_this_file:
        check.problems.append("文件内容的 SM3 摘要与签名时不一致：文件内容已被改动（或不是所签的那一稿）")
    known = _check_times(check, cert)
    check.recorded = known and _recorded(cert.serial, signature)
    check.ok = not check.problems
    return check


def _check_times(check: SignatureCheck, cert: certs.CertInfo) -> bool:
    """Judge the certificate at the signing time (validity, revocation); False when this system has no record of it."""
    signed_at = _when(check.signed_at)
    check.signed_at_text = f"{signed_at:%Y-%m-%d %H:%M:%S}（UTC{signed_at:%z}）".replace("+0800）", "+8 北京时间）") \
        if signed_at else check.signed_at
    if signed_at is None:
        check.problems.append("签名时间无法读取")
        check.status_at_signing = "unknown"
    elif signed_at < cert.not_before:
        check.status_at_signing = "not_yet_valid"
        check.problems.append("签名时证书尚未生效")
    elif signed_at > cert.not_after:
        check.status_at_signing = "expired"
        check.problems.append("签名时证书已过期")
    else:
        check.status_at_signing = "valid"
    revoked_at, reason, known = _revocation(cert.serial)
    if revoked_at is not None:
        check.revoked_at, check.revocation_reason = revoked_at.isoformat(), reason
        if signed_at is not None and revoked_at <= signed_at:
            check.status_at_signing = "revoked"
            check.problems.append(f"签名时证书已被吊销（{reason}）")
    if not known:
        check.problems.append("本系统没有该证书的记录，无法查询吊销状态")
    return known


def verify_bytes(data: bytes, file_name: str = "") -> Report:
    """Check a file: its bytes, the signatures it carries, their certificates and their status."""
    report = Report(file_name=file_name, size=len(data), sm3=sm2.sm3(data).hex(),
                    file_format=FORMAT_NAMES.get(kind_of(data), "未知"))
    try:
        content, package = split(data)
    except ContainerError as exc:
        report.problems.append(str(exc))
        return report
    if package is None:
        report.problems.append("文件未携带 soegov 电子签名")
        return report
    report.signed = True
    try:
        _read_package(report, content, package)
    except (AttributeError, KeyError, TypeError, ValueError):
        # Canonical JSON of an unexpected shape: written by hand, not by soegov.
        report.problems.append("签名数据区内容无法识别（不是本系统写入的签名数据）")
        report.ok = False
    return report


def _read_package(report: Report, content: bytes, package: dict[str, Any]) -> None:
    doc = package.get("document") or {}
    report.title, report.kind = str(doc.get("title", "")), str(doc.get("kind", ""))
    report.revision, report.rendition = int(doc.get("revision") or 0), str(doc.get("rendition", ""))
    content_sm3 = sm2.sm3(content).hex()
    report.intact = content_sm3 == doc.get("sm3") and len(content) == doc.get("size")
    anchor = keystore.trust_anchor()
    root = certs.read(anchor) if anchor else None
    if root is not None:
        report.root_subject, report.root_fingerprint = root.subject, root.fingerprint
        report.trusted_root = (package.get("root") or {}).get("sm3") == root.fingerprint
    if root is None:
        report.problems.append("本系统尚无根证书（密钥文件夹中没有 ca.der），无法确认签名人身份")
    elif not report.trusted_root:
        report.problems.append("文件所记的根证书与本系统的根证书不同：该文件不是本系统签署的")
    entries = package.get("signatures") or []
    if not entries:
        report.problems.append("文件中没有签名")
    report.signatures = [_check(e, content_sm3, report.rendition, root) for e in entries]
    if not report.intact:
        report.problems.insert(0, "文件内容已被改动：与签名时记录的 SM3 摘要不一致")
    report.ok = report.intact and not report.problems and all(s.ok for s in report.signatures)


STATUS_LABELS = {"valid": "签名时有效", "revoked": "签名时已吊销", "expired": "签名时已过期",
                 "not_yet_valid": "签名时尚未生效", "unknown": "无法判断"}


def as_text(report: Report) -> str:
    """The verification sheet as plain Chinese text (the CLI's output)."""
    lines = [f"文件：{report.file_name or '（未命名）'}（{report.size} 字节，{report.file_format}）",
             f"文件 SM3：{report.sm3}"]
    if report.signed:
        lines += [f"文书：{report.title}（第{report.revision}稿，{report.rendition}）",
                  "内容完整性：" + ("未被改动（与签名时的 SM3 摘要一致）" if report.intact else "已被改动！")]
        if report.root_fingerprint:
            lines.append(f"根证书：{report.root_subject}（SM3 指纹 {report.root_fingerprint}）")
    for i, s in enumerate(report.signatures, 1):
        lines.append(f"签名 {i}：{s.signer}" + (f"（账号 {s.account}）" if s.account else "")
                     + (f"，{s.organisation}" if s.organisation and s.organisation != s.signer else ""))
        lines.append(f"  用途：{s.purpose}；签名时间：{s.signed_at_text}；操作人：{s.operator}")
        lines.append(f"  证书：序列号 {s.serial}，有效期 {s.not_before[:10]} 至 {s.not_after[:10]}，"
                     f"{'本系统根证书签发' if s.certificate == 'trusted' else '不可信'}，"
                     f"{STATUS_LABELS.get(s.status_at_signing, s.status_at_signing)}"
                     + (f"（已于 {s.revoked_at[:19]} 吊销：{s.revocation_reason}）" if s.revoked_at else ""))
        lines.append("  结论：" + ("有效" if s.ok else "无效 —— " + "；".join(s.problems)))
    if report.problems:
        lines.append("问题：" + "；".join(report.problems))
    lines.append("核验结论：" + ("通过，文件未被改动，全部签名有效" if report.ok else "未通过"))
    return "\n".join(lines)


def record_valid(record: Any) -> bool:
    """A stored signature still proves its statement: trusted certificate, valid SM2 value, not revoked before."""
    anchor = keystore.trust_anchor()
    der = bytes(record.certificate.der or b"")
    if not anchor or not der:
        return False
    try:
        cert, root = certs.read(der), certs.read(anchor)
    except certs.CertificateError:
        return False
    revoked_at = record.certificate.revoked_at
    return (certs.issued_by(cert, root) and cert.not_before <= record.signed_at <= cert.not_after
            and (revoked_at is None or revoked_at > record.signed_at)
            and sm2.verify(cert.public_key, record.statement.encode("utf-8"), bytes(record.signature)))
