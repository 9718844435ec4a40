"""Carrying signatures inside a downloaded document, so the file alone can be checked.

The signed bytes are the frozen document exactly as stored; the signature package (canonical JSON) is
added without touching them, and can be taken off again to give those bytes back:

- PDF: an incremental update (ISO 32000-1 §7.5.6) appended after the document's %%EOF, holding one
  unreferenced stream object with the package; readers show the document as before.
- .docx and .ofd (both ZIP packages): the ZIP archive comment (APPNOTE §4.3.16), up to 65,535 bytes.

Every byte of the file is covered: the document's bytes by their SM3 digest in each signed statement,
and the added bytes because `embed(content, package)` must reproduce the file exactly (verify.py).
"""

from __future__ import annotations

import json
import re
from typing import Any

FORMAT = "soegov-signatures/1"
PDF_MARKER = b"\n%soegov-signatures 1 "
ZIP_MARKER = b"soegov-signatures 1\n"
EOCD = b"PK\x05\x06"


class ContainerError(ValueError):
    """A file soegov cannot carry signatures in, or whose signature area is damaged."""


def canonical(data: Any) -> bytes:
    """The one serialisation of JSON data that is signed and embedded (sorted keys, no spaces, UTF-8)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def kind_of(data: bytes) -> str:
    """'pdf', 'zip' (docx, ofd) or '' for a file that cannot carry signatures."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    return ""


# --- PDF --------------------------------------------------------------------------------------------


def _pdf_trailer(content: bytes) -> dict[str, bytes]:
    tail = content[-4096:]
    start = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
    trailer = list(re.finditer(rb"trailer\s*<<(.*?)>>\s*startxref", content[-8192:], re.S))
    if not start or not trailer:
        raise ContainerError("PDF 文件结构无法识别（缺少 trailer/startxref）")
    body = trailer[-1].group(1)
    fields = {"prev": start.group(1)}
    for key, pattern in (("size", rb"/Size\s+(\d+)"), ("root", rb"/Root\s+(\d+\s+\d+\s+R)"),
                         ("info", rb"/Info\s+(\d+\s+\d+\s+R)"), ("id", rb"/ID\s*(\[[^\]]*\])")):
        m = re.search(pattern, body)
        if m:
            fields[key] = m.group(1)
    if "size" not in fields or "root" not in fields:
        raise ContainerError("PDF 文件结构无法识别（trailer 不完整）")
    return fields


def _pdf_embed(content: bytes, package: bytes) -> bytes:
    t = _pdf_trailer(content)
    number = int(t["size"])
    head = PDF_MARKER + str(len(content)).encode() + b"\n"
    offset = len(content) + len(head)
    obj = (f"{number} 0 obj\n<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length {len(package)} >>\nstream\n"
           .encode() + package + b"\nendstream\nendobj\n")
    xref_at = offset + len(obj)
    # ID lines from reportlab carry a comment; keep only the array's hex strings.
    ident = b" /ID [" + b"".join(re.findall(rb"<[0-9A-Fa-f]*>", t["id"])) + b"]" if "id" in t else b""
    info = b" /Info " + t["info"] if "info" in t else b""
    xref = (f"xref\n0 1\n0000000000 65535 f \n{number} 1\n{offset:010d} 00000 n \n".encode()
            + f"trailer\n<< /Size {number + 1} /Root ".encode() + t["root"] + info + ident
            + f" /Prev {int(t['prev'])} >>\nstartxref\n{xref_at}\n%%EOF\n".encode())
    return content + head + obj + xref


def _pdf_split(data: bytes) -> tuple[bytes, bytes] | None:
    at = data.rfind(PDF_MARKER)
    if at < 0:
        return None
    line_end = data.find(b"\n", at + len(PDF_MARKER))
    try:
        length = int(data[at + len(PDF_MARKER):line_end])
    except ValueError:
        raise ContainerError("签名数据区标记被改动") from None
    if length != at:
        raise ContainerError("签名数据区标记与文件长度不符（文件被截断或拼接）")
    m = re.match(rb"\d+ 0 obj\n<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length (\d+) >>\nstream\n",
                 data[line_end + 1:])
    if not m:
        raise ContainerError("签名数据区被改动")
    start = line_end + 1 + m.end()
    return data[:length], data[start:start + int(m.group(1))]


# --- ZIP (docx, ofd) ---------------------------------------------------------------------------------


def _eocd(data: bytes) -> int:
    """Where the ZIP end-of-central-directory record starts whose comment runs to the end of the file."""
    at = data.rfind(EOCD)
    while at >= 0:
        if at + 22 <= len(data) and int.from_bytes(data[at + 20:at + 22], "little") == len(data) - at - 22:
            return at
        at = data.rfind(EOCD, 0, at)
    raise ContainerError("ZIP 文件结构无法识别（缺少目录结束记录）")


def _zip_embed(content: bytes, package: bytes) -> bytes:
    at = _eocd(content)
    if at + 22 != len(content):
        raise ContainerError("文书已带有 ZIP 注释，不能再加入签名")
    comment = ZIP_MARKER + package
    if len(comment) > 0xFFFF:
        raise ContainerError("签名过多，超出 ZIP 注释的容量")
    return content[:at + 20] + len(comment).to_bytes(2, "little") + comment


def _zip_split(data: bytes) -> tuple[bytes, bytes] | None:
    at = _eocd(data)
    comment = data[at + 22:]
    if not comment.startswith(ZIP_MARKER):
        return None
    return data[:at + 20] + b"\x00\x00", comment[len(ZIP_MARKER):]


# --- both -------------------------------------------------------------------------------------------


def embed(content: bytes, package: dict[str, Any]) -> bytes:
    """The document's bytes with the signature package carried inside."""
    kind = kind_of(content)
    data = canonical(package)
    if kind == "pdf":
        return _pdf_embed(content, data)
    if kind == "zip":
        return _zip_embed(content, data)
    raise ContainerError("只有 PDF、.docx 和 .ofd 文件可以携带签名")


def split(data: bytes) -> tuple[bytes, dict[str, Any] | None]:
    """(the signed bytes, the package) of a downloaded file; (data, None) when it carries no signatures.

    ContainerError when the signature area is damaged, including any byte that `embed` would not write.
    """
    kind = kind_of(data)
    if kind == "pdf":
        parts = _pdf_split(data)
    elif kind == "zip":
        parts = _zip_split(data)
    else:
        raise ContainerError("无法识别的文件类型：只能核验 PDF、.docx 和 .ofd 文件")
    if parts is None:
        return data, None
    content, raw = parts
    try:
        package = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ContainerError("签名数据区被改动（无法读取）") from None
    if not isinstance(package, dict) or package.get("format") != FORMAT:
        raise ContainerError("签名数据区被改动（格式不符）")
    if embed(content, package) != data:
        raise ContainerError("签名数据区被改动（与签名内容重建的结果逐字节不一致）")
    return content, package
