"""Reads: the signature package a download carries, and the signed file itself."""

from __future__ import annotations

import base64
from typing import Any

from soegov.signatures import selectors, sm2
from soegov.signatures.container import FORMAT, embed
from soegov.signatures.models import SignedDocument


def package(document: SignedDocument, fmt: str) -> dict[str, Any]:
    """The signature package carried in a download of one rendition."""
    rendition = document.renditions.get(fmt=fmt)
    ca = selectors.active_root()
    signatures = [{"statement": s.statement, "signature": base64.b64encode(bytes(s.signature)).decode("ascii"),
                   "certificate": base64.b64encode(bytes(s.certificate.der or b"")).decode("ascii")}
                  for s in selectors.signatures_on(document)]
    return {
        "format": FORMAT,
        "document": {"id": document.pk, "kind": document.kind, "title": document.title, "revision": document.revision,
                     "rendition": fmt, "sm3": rendition.sm3, "size": rendition.size},
        "root": {"subject": ca.subject, "sm3": sm2.sm3(bytes(ca.der or b"")).hex()} if ca else {},
        "signatures": signatures,
        "how_to_verify": "命令行：soegov verify 文件名；或登录 soegov →“签名验证”上传本文件",
    }


def signed_file(document: SignedDocument, fmt: str) -> bytes:
    """The rendition's frozen bytes with every signature made on it so far (the bare bytes while unsigned)."""
    content = bytes(document.renditions.get(fmt=fmt).content)
    if not document.signatures.exists():
        return content
    return embed(content, package(document, fmt))
