"""SM2 signatures (GB/T 32918.2) over the recommended curve (GB/T 32918.5), SM3 digests (GB/T 32905).

The curve arithmetic is gmalg's (pure Python, nonces from `secrets`); SM3 for document digests is
`cryptography`'s (OpenSSL). Keys travel as bytes: a private key is the 32-byte big-endian scalar, a
public key the 65-byte uncompressed point 04‖x‖y; a signature is the DER SEQUENCE {r, s} of GM/T 0009.
"""

from __future__ import annotations

from collections.abc import Callable

import gmalg
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

# GM/T 0009-2012 §10: the distinguishing identifier used when the parties agree on no other.
DEFAULT_UID = b"1234567812345678"
# The order n of the recommended curve's base point (GB/T 32918.5-2017 §5); private keys lie in [1, n-2].
ORDER = 0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_7203DF6B_21C6052B_53BBF409_39D54123
KEY_BYTES = 32


class SM2Error(ValueError):
    """A key or signature that is not a valid SM2 value."""


def sm3(data: bytes) -> bytes:
    """The SM3 digest of the bytes (32 bytes)."""
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def _fixed(value: bytes) -> bytes:
    """gmalg returns integers as minimal byte strings; keys are always 32 bytes."""
    return value.rjust(KEY_BYTES, b"\x00")


def generate_keypair() -> tuple[bytes, bytes]:
    """A new (private, public) key pair from the operating system's randomness."""
    private, public = gmalg.SM2().generate_keypair()
    return _fixed(private), public


def public_key_of(private: bytes) -> bytes:
    """The public key belonging to a private key."""
    check_private_key(private)
    return bytes(gmalg.SM2().generate_pk(private))


def check_private_key(private: bytes) -> None:
    """Refuse a private key outside [1, n-2] (GB/T 32918.1 §6.1)."""
    if len(private) != KEY_BYTES or not 1 <= int.from_bytes(private, "big") <= ORDER - 2:
        raise SM2Error("SM2 私钥无效")


def check_public_key(public: bytes) -> None:
    """Refuse a public key that is not an uncompressed point of order n on the curve (GB/T 32918.1 §6.2)."""
    try:
        ok = len(public) == 65 and public[0] == 4 and gmalg.SM2().verify_pk(public)
    except Exception:
        ok = False
    if not ok:
        raise SM2Error("SM2 公钥无效")


def sign(private: bytes, message: bytes, *, uid: bytes = DEFAULT_UID,
         rnd_fn: Callable[[int], int] | None = None) -> bytes:
    """The DER signature of the message: e = SM3(Z_A ‖ M), Z_A from the uid and the public key.

    `rnd_fn` (bits → integer) replaces the random nonce only to reproduce the standard's fixed-k example.
    """
    check_private_key(private)
    signer = gmalg.SM2(private, uid, public_key_of(private), rnd_fn=rnd_fn)
    r, s = signer.sign(message)
    return encode_dss_signature(int.from_bytes(r, "big"), int.from_bytes(s, "big"))


def verify(public: bytes, message: bytes, signature: bytes, *, uid: bytes = DEFAULT_UID) -> bool:
    """True when the DER signature is valid for the message under the public key."""
    try:
        check_public_key(public)
        r, s = decode_dss_signature(signature)
    except (SM2Error, ValueError):
        return False
    if not (0 < r < ORDER and 0 < s < ORDER):
        return False
    size = KEY_BYTES
    return bool(gmalg.SM2(None, uid, public).verify(message, r.to_bytes(size, "big"), s.to_bytes(size, "big")))
