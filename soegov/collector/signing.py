"""The signature on a package sent to the collector: SM2 (GB/T 32918) over the package and its headers.

Plain Python, no Django: the sender and the collector both build the signed text here, so they cannot
disagree on it. The signed text names the purpose, the key id, the time, a nonce, the package id, the
file name and the SM3 digest of the zip, one per line; the collector refuses a time more than
`MAX_SKEW_SECONDS` away from its clock and a nonce it has seen (a replay).
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from soegov.signatures import sm2

PURPOSE = "SOEGOV-COLLECTOR-1"
MAX_SKEW_SECONDS = 300
HEADERS = {
    "key_id": "X-Soegov-Key-Id",
    "timestamp": "X-Soegov-Timestamp",
    "nonce": "X-Soegov-Nonce",
    "package_id": "X-Soegov-Package-Id",
    "file_name": "X-Soegov-File-Name",
    "signature": "X-Soegov-Signature",
}


@dataclass(frozen=True)
class Signed:
    """What a request says about its package, from its headers."""

    key_id: str
    timestamp: str
    nonce: str
    package_id: str
    file_name: str
    signature: bytes


def signed_text(*, key_id: str, timestamp: str, nonce: str, package_id: str, file_name: str, body: bytes) -> bytes:
    """The bytes the SM2 signature covers."""
    digest = sm2.sm3(body).hex()
    return "\n".join([PURPOSE, key_id, timestamp, nonce, package_id, file_name, digest]).encode("utf-8")


def sign_headers(*, key_id: str, private_key: bytes, package_id: str, file_name: str, body: bytes,
                 now: float | None = None) -> dict[str, str]:
    """The headers of a signed request carrying the zip `body` (a fresh nonce each call)."""
    timestamp = str(int(now if now is not None else time.time()))
    nonce = secrets.token_hex(16)
    text = signed_text(key_id=key_id, timestamp=timestamp, nonce=nonce, package_id=package_id,
                       file_name=file_name, body=body)
    return {HEADERS["key_id"]: key_id, HEADERS["timestamp"]: timestamp, HEADERS["nonce"]: nonce,
            HEADERS["package_id"]: package_id, HEADERS["file_name"]: quote(file_name, safe=""),
            HEADERS["signature"]: base64.b64encode(sm2.sign(private_key, text)).decode("ascii"),
            "Content-Type": "application/octet-stream"}


def read_headers(headers: dict[str, str]) -> Signed | str:
    """The signed fields of a request, or the name of the first header missing or malformed."""
    values = {field: (headers.get(name) or "").strip() for field, name in HEADERS.items()}
    for field, name in HEADERS.items():
        if not values[field]:
            return name
    if not values["timestamp"].isdigit():
        return HEADERS["timestamp"]
    if not (8 <= len(values["nonce"]) <= 64 and values["nonce"].isalnum()):
        return HEADERS["nonce"]
    if len(values["package_id"]) > 64 or len(values["key_id"]) > 64:
        return HEADERS["package_id"] if len(values["package_id"]) > 64 else HEADERS["key_id"]
    try:
        signature = base64.b64decode(values["signature"], validate=True)
    except (binascii.Error, ValueError):
        return HEADERS["signature"]
    try:
        file_name = unquote(values["file_name"], errors="strict")
    except UnicodeDecodeError:
        return HEADERS["file_name"]
    return Signed(values["key_id"], values["timestamp"], values["nonce"], values["package_id"],
                  file_name, signature)


def verify(signed: Signed, public_key: bytes, body: bytes) -> bool:
    """Whether the signature is the key's over these headers and this body."""
    text = signed_text(key_id=signed.key_id, timestamp=signed.timestamp, nonce=signed.nonce,
                       package_id=signed.package_id, file_name=signed.file_name, body=body)
    return sm2.verify(public_key, text, signed.signature)


def skew_ok(signed: Signed, now: float | None = None) -> bool:
    """Whether the request's time is within MAX_SKEW_SECONDS of ours."""
    return abs(int(signed.timestamp) - (now if now is not None else time.time())) <= MAX_SKEW_SECONDS


def key_file_text(key_id: str, private_key: bytes) -> str:
    """The key file handed to the enterprise: comment lines, then the private key in hex."""
    return (f"# soegov 数据报送私钥（SM2）。密钥编号：{key_id}\n"
            "# 仅企业端 soegov 读取（SOEGOV_COLLECTOR_KEY_FILE），权限 0600，勿外传、勿发邮件。\n"
            f"{private_key.hex()}\n")


def read_key_file(path: Path) -> bytes:
    """The private key from a key file; ValueError (in Chinese) when it cannot be read or is not a key."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"无法读取密钥文件 {path}（{type(exc).__name__}）") from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    try:
        private = bytes.fromhex(lines[0]) if len(lines) == 1 else b""
        sm2.check_private_key(private)
    except (ValueError, sm2.SM2Error):
        raise ValueError(f"密钥文件 {path} 中不是 SM2 私钥（应为一行 64 位十六进制，由国资委端 soegov collector key issue 生成）") from None
    return private
