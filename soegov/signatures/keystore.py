"""Private keys at rest: sealed with SM4-GCM, never stored or logged in clear.

- The key folder ($SOEGOV_KEY_DIR, else <data dir>/keys; 0700) holds the key-encryption key `kek.bin`
  (32 random bytes, 0600) and the trust anchor `ca.der` (the installation's root certificate). It is
  outside the database, so a copy of the database alone opens no key.
- An organisation's (and the root's) private key is sealed under a key derived from the KEK.
- A person's private key is sealed under a key derived from his signing PIN (scrypt) *and* the KEK, so
  neither the database nor the key folder alone opens it, and no administrator can sign for him
  without his PIN; five wrong PINs lock the key for a while (signing.unlock_own_key).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from soegov.paths import data_dir

KEK_FILE = "kek.bin"
TRUST_ANCHOR_FILE = "ca.der"
# scrypt cost: 32 MiB and about 0.1 s per try on this project's machine (RFC 7914 §2 interactive range).
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
PIN_MIN_LENGTH = 8


class KeyStoreError(Exception):
    """The key folder is missing, unreadable or too open, or a sealed key does not open."""


def key_dir() -> Path:
    """The key folder: $SOEGOV_KEY_DIR, else <data dir>/keys."""
    configured = os.environ.get("SOEGOV_KEY_DIR")
    return Path(configured).expanduser() if configured else data_dir() / "keys"


def _private_file(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def kek(*, create: bool = False) -> bytes:
    """The key-encryption key from the key folder (made on first use when `create`)."""
    folder = key_dir()
    path = folder / KEK_FILE
    if not path.exists():
        if not create:
            raise KeyStoreError(f"密钥文件夹 {folder} 中没有密钥加密密钥 {KEK_FILE}，请先由安全管理员签发证书（会自动生成）")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        # Another process may have made it first; then theirs is used.
        with contextlib.suppress(FileExistsError):
            _private_file(path, secrets.token_bytes(32))
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyStoreError(f"{path} 的权限为 {mode:o}，其他用户可读；请执行 chmod 600 {path}")
    data = path.read_bytes()
    if len(data) != 32:
        raise KeyStoreError(f"{path} 不是有效的密钥加密密钥（应为 32 字节）")
    return data


def trust_anchor() -> bytes | None:
    """The root certificate (DER) this installation trusts, from the key folder; None before the first issue."""
    path = key_dir() / TRUST_ANCHOR_FILE
    return path.read_bytes() if path.exists() else None


def save_trust_anchor(der: bytes) -> None:
    """Write the root certificate into the key folder (public data; written once)."""
    path = key_dir() / TRUST_ANCHOR_FILE
    if path.exists():
        if path.read_bytes() != der:
            raise KeyStoreError(f"{path} 已有另一张根证书，不能覆盖")
        return
    path.write_bytes(der)


def _derive(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    """A 128-bit SM4 key by HKDF with SM3 (RFC 5869)."""
    return HKDF(algorithm=hashes.SM3(), length=16, salt=salt, info=info).derive(ikm)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text).encode("ascii"), validate=True)


def _encrypt(key: bytes, plain: bytes, aad: bytes) -> dict[str, str]:
    nonce = secrets.token_bytes(12)
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    ct = enc.update(plain) + enc.finalize()
    return {"alg": "SM4-GCM", "nonce": _b64(nonce), "ct": _b64(ct), "tag": _b64(enc.tag)}


def _decrypt(key: bytes, sealed: dict[str, Any], aad: bytes) -> bytes:
    try:
        dec = Cipher(algorithms.SM4(key), modes.GCM(_unb64(sealed["nonce"]), _unb64(sealed["tag"]))).decryptor()
        dec.authenticate_additional_data(aad)
        return dec.update(_unb64(sealed["ct"])) + dec.finalize()
    except (InvalidTag, KeyError, ValueError) as exc:
        raise KeyStoreError("密钥无法解开") from exc


def seal_with_kek(private: bytes, aad: bytes) -> dict[str, str]:
    """An organisation's or the root's private key sealed under the KEK; `aad` binds it to its certificate."""
    salt = secrets.token_bytes(16)
    return {"kdf": "kek", "salt": _b64(salt)} | _encrypt(_derive(kek(create=True), salt, b"soegov org key"), private, aad)


def open_with_kek(sealed: dict[str, Any], aad: bytes) -> bytes:
    """The private key sealed by seal_with_kek."""
    if sealed.get("kdf") != "kek":
        raise KeyStoreError("该密钥不是机构密钥")
    return _decrypt(_derive(kek(), _unb64(sealed["salt"]), b"soegov org key"), sealed, aad)


def _pin_key(pin: str, salt: bytes, params: dict[str, int]) -> bytes:
    stretched = Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(pin.encode("utf-8"))
    return _derive(stretched, kek(create=True), b"soegov person key")


def seal_with_pin(private: bytes, pin: str, aad: bytes) -> dict[str, Any]:
    """A person's private key sealed under his PIN (scrypt) and the KEK."""
    salt = secrets.token_bytes(16)
    return {"kdf": "scrypt", **SCRYPT, "salt": _b64(salt)} | _encrypt(_pin_key(pin, salt, SCRYPT), private, aad)


def open_with_pin(sealed: dict[str, Any], pin: str, aad: bytes) -> bytes:
    """The private key sealed by seal_with_pin; KeyStoreError for a wrong PIN."""
    if sealed.get("kdf") != "scrypt":
        raise KeyStoreError("该密钥不是个人密钥")
    params = {"n": int(sealed["n"]), "r": int(sealed["r"]), "p": int(sealed["p"])}
    return _decrypt(_pin_key(pin, _unb64(sealed["salt"]), params), sealed, aad)


def pin_problem(pin: str) -> str | None:
    """Why a PIN is too weak to protect a signing key, or None."""
    if len(pin) < PIN_MIN_LENGTH:
        return f"签名密码至少 {PIN_MIN_LENGTH} 位"
    classes = sum(any(test(c) for c in pin) for test in (str.isdigit, str.isalpha, lambda c: not c.isalnum()))
    if classes < 2:
        return "签名密码须包含字母、数字、符号中的至少两类"
    return None


# Personal data at rest (pay, scores): one SM4 key derived from the KEK, so the database alone opens none of it.
# The version in the stored text names the derivation; a rotation (docs/security.md) writes a new one.
FIELD_PREFIX = "sm4gcm:1:"


@functools.lru_cache(maxsize=4)
def _field_key(master: bytes) -> bytes:
    return _derive(master, b"soegov personal data", b"field v1")


def seal_value(plain: bytes, aad: bytes) -> str:
    """A value sealed with SM4-GCM under the KEK's personal-data key, as text for a database column.

    `aad` binds it to its table and column, so a sealed value copied into another column does not open.
    """
    nonce = secrets.token_bytes(12)
    enc = Cipher(algorithms.SM4(_field_key(kek(create=True))), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    ct = enc.update(plain) + enc.finalize()
    return FIELD_PREFIX + _b64(nonce + ct + enc.tag)


def open_value(text: str, aad: bytes) -> bytes:
    """The value sealed by seal_value; KeyStoreError when it is not sealed, was altered, or the KEK differs."""
    if not text.startswith(FIELD_PREFIX):
        raise KeyStoreError("该字段值未加密或加密格式未知")
    try:
        raw = _unb64(text[len(FIELD_PREFIX):])
    except ValueError as exc:
        raise KeyStoreError("加密字段已损坏") from exc
    if len(raw) < 28:
        raise KeyStoreError("加密字段已损坏")
    try:
        dec = Cipher(algorithms.SM4(_field_key(kek())), modes.GCM(raw[:12], raw[-16:])).decryptor()
        dec.authenticate_additional_data(aad)
        return dec.update(raw[12:-16]) + dec.finalize()
    except InvalidTag as exc:
        raise KeyStoreError("加密字段无法解开：数据被改动，或密钥文件夹不是加密时的那一个") from exc
