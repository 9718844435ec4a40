"""What an uploaded file is, judged from its bytes and proved by opening it as what it claims to be.

A file name says nothing; `filetype` reads the magic bytes, and then the claimed format is parsed: a PDF must
open with at least one page, a .docx or .xlsx must be a complete OOXML package whose main part opens, a
.doc or .xls must be an OLE2 compound file with its main stream, an image must decode. So 10 MB of random
bytes behind "%PDF" is refused, and the message names the form field it came from.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable, Mapping

from soegov.core.errors import InputError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
JPEG = "image/jpeg"
PNG = "image/png"
# The documents accepted as attachments, materials and evidence: content type -> extension.
DOCUMENTS: Mapping[str, str] = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", DOC: "doc", XLS: "xls", JPEG: "jpg", PNG: "png"}
EXECUTABLES = frozenset({"application/x-msdownload", "application/x-executable", "application/x-elf",
                         "application/x-mach-binary", "application/x-sharedlib",
                         "application/vnd.microsoft.portable-executable"})
# An OOXML package may not unpack to more than this (a zip bomb is refused before it is opened).
OOXML_MAX_UNPACKED = 512 * 1024 * 1024
OOXML_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
OLE_MAIN_STREAM = {DOC: (("WordDocument",),), XLS: (("Workbook",), ("Book",))}


def _names(accept: Mapping[str, str]) -> str:
    labels = {PDF: "PDF", DOCX: "Word", DOC: "Word", XLSX: "Excel", XLS: "Excel", JPEG: "JPEG", PNG: "PNG"}
    return "、".join(dict.fromkeys(labels.get(m, ext) for m, ext in accept.items()))


def content_type(data: bytes, *, accept: Mapping[str, str] = DOCUMENTS, field: str = "file",
                 label: str = "文件") -> tuple[str, str]:
    """(content type, extension) of the bytes, refused unless accepted and it opens as what it claims."""
    import filetype

    kind = filetype.guess(data)
    if kind is None:
        raise InputError("unknown_type", f"{label}：无法从文件内容识别类型，只接受 {_names(accept)} 文件", field,
                         f"{field}: the file's content is not a recognised document type")
    if kind.mime in EXECUTABLES or kind.extension in {"exe", "elf", "dll", "msi"}:
        raise InputError("executable", f"{label}：文件内容是可执行程序，不能上传（与文件名无关，按内容判定）", field,
                         f"{field}: the file is an executable (judged by content)")
    if kind.mime not in accept:
        raise InputError("type_not_allowed", f"{label}：文件内容的类型为 {kind.mime}，不在允许范围内，只接受 {_names(accept)}",
                         field, f"{field}: content type {kind.mime} is not accepted")
    opened = OPENERS.get(kind.mime)
    if opened is not None:
        problem = opened(data, kind.mime)
        if problem:
            ext = accept[kind.mime].upper()
            raise InputError("damaged", f"{label}：文件开头标明为 {ext}，但无法作为 {ext} 打开（{problem}），"
                             "请上传完整、未损坏的文件", field,
                             f"{field}: the file claims to be {ext} but does not open as one ({problem})")
    return kind.mime, accept[kind.mime]


def _pdf_problem(data: bytes, mime: str) -> str:
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                return ""  # a password-protected PDF is a real PDF; its pages open for those with the password
            pages = len(reader.pages)
            if pages == 0:
                return "没有任何页面"
            reader.pages[0].get("/MediaBox") or reader.pages[0].mediabox
    except Exception:  # whatever the parser trips on, the file does not open as what it claims
        return "PDF 结构无法读取"
    return ""


def _ooxml_problem(data: bytes, mime: str) -> str:
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > OOXML_MAX_UNPACKED:
                return "解压后过大"
            names = {i.filename for i in infos}
            main = OOXML_MAIN_PART[mime]
            if "[Content_Types].xml" not in names or main not in names:
                return f"缺少 {'[Content_Types].xml' if '[Content_Types].xml' not in names else main}"
            if z.testzip() is not None:
                return "压缩包内容校验失败"
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            types = etree.fromstring(z.read("[Content_Types].xml"), parser)
            overrides = {e.get("PartName", "").lstrip("/"): e.get("ContentType", "") for e in types}
            if not overrides.get(main, "").startswith(("application/vnd.openxmlformats-officedocument",
                                                       "application/vnd.ms-excel")):
                return f"[Content_Types].xml 未声明 {main}"
            etree.fromstring(z.read(main), parser)
    except Exception:  # whatever the parser trips on, the file does not open as what it claims
        return "文件包结构无法读取"
    return ""


def _ole_problem(data: bytes, mime: str) -> str:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not any(ole.exists("/".join(path)) for path in OLE_MAIN_STREAM[mime]):
                return "缺少文档主体"
    except Exception:  # whatever the parser trips on, the file does not open as what it claims
        return "复合文档结构无法读取"
    return ""


def _image_problem(data: bytes, mime: str) -> str:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                img.load()
    except Exception:  # whatever the parser trips on, the file does not open as what it claims
        return "图像无法解码"
    return ""


OPENERS: dict[str, Callable[[bytes, str], str]] = {
    PDF: _pdf_problem, DOCX: _ooxml_problem, XLSX: _ooxml_problem, DOC: _ole_problem, XLS: _ole_problem,
    JPEG: _image_problem, PNG: _image_problem,
}
