"""The national "三重一大" exchange packages as zips (and soegov's JSON form of the same): build and read.

Plain Python, no Django. Zip entry names are written in UTF-8 with the zip "language encoding" flag (bit 11)
set, which Python, Info-ZIP and java.util.zip (the collector's unzip, even when opened with GBK) all honour;
`entry_encoding="gbk"` writes GBK names without the flag for tools that ignore it. On reading, a name
without the flag is tried as UTF-8 and then as GBK, so packages from the vendor tools read correctly.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import Any

from soegov.exchange.error_codes import ExchangeError, Where, package_label
from soegov.exchange.package_xml import from_xml, to_xml, yes_no
from soegov.exchange.records import (
    EVIDENCE,
    FORMAL,
    MATERIALS,
    MINUTES,
    NOTICE,
    OPINIONS,
    Meeting,
    Record,
    Regulation,
    file_stem,
    kind_of,
)

_EFS_FLAG = 0x800
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024



class _GbkInfo(zipfile.ZipInfo):
    """A zip entry whose name is stored in GBK without the UTF-8 flag (what the vendor tools write)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits & ~_EFS_FLAG


def _files(record: Record) -> dict[str, bytes]:
    """The package's files by path inside the zip (without the XML)."""
    out: dict[str, bytes] = {}
    if isinstance(record, Regulation):
        out.update({f"{FORMAL}/{n}": b for n, b in record.formal_files.items()})
        out.update({f"{EVIDENCE}/{n}": b for n, b in record.evidence_files.items()})
    elif isinstance(record, Meeting):
        out.update({f"{MINUTES}/{n}": b for n, b in record.minutes_files.items()})
        out.update({f"{NOTICE}/{n}": b for n, b in record.notice_files.items()})
        for s in record.subjects:
            out.update({f"{s.subject_id}/{OPINIONS}/{n}": b for n, b in s.opinion_files.items()})
            out.update({f"{s.subject_id}/{MATERIALS}/{n}": b for n, b in s.material_files.items()})
    return out


def build_zip(record: Record, day: dt.date, *, entry_encoding: str = "utf-8") -> bytes:
    """The zip of one package: `<stem>.xml` at the root plus the folders of its kind."""
    if entry_encoding not in ("utf-8", "gbk"):
        raise ValueError(entry_encoding)
    buf = io.BytesIO()
    entries = {f"{file_stem(kind_of(record), day)}.xml": to_xml(record), **_files(record)}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = _GbkInfo(name) if entry_encoding == "gbk" else zipfile.ZipInfo(name)
            info.date_time = (day.year, day.month, day.day, 0, 0, 0)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _entry_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _EFS_FLAG:
        return info.filename
    raw = info.filename.encode("cp437")  # how zipfile decoded a name without the flag
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


@dataclass
class Package:
    """One read package: its kind, the record and its files."""

    kind: str
    record: Record
    xml: bytes


def read_zip(data: bytes, kind: str, *, name: str = "") -> Package:
    """The package inside a zip: one XML at the root (or in a folder named like the zip) and its folders."""
    label = package_label(name)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
        # A zip bomb is refused before anything is inflated.
        if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
            raise ExchangeError.TOO_LARGE.error(path="file", measure="解压后", measure_en="unzipped, ",
                                                mb=MAX_UNZIPPED_BYTES // 1048576, advice="，请拆分报送",
                                                advice_en="; send it in parts", **label.fields())
        entries = {_entry_name(i): zf.read(i) for i in infos}
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile, RuntimeError) as exc:
        raise ExchangeError.BAD_ZIP.error(path="file", problem=f"不是有效的 zip 文件：{exc}",
                                          problem_en=f"is not a valid zip file: {exc}", **label.fields()) from exc
    stem = PurePosixPath(name).stem if name else ""
    # §1.3: if the zip holds a folder named like the zip, the files are read from there.
    if stem and entries and all(n.startswith(stem + "/") for n in entries):
        entries = {n[len(stem) + 1:]: b for n, b in entries.items()}
    xmls = [n for n in entries if "/" not in n and n.lower().endswith(".xml")]
    if len(xmls) != 1:
        raise ExchangeError.BAD_ZIP.error(path="xml", problem=f"根目录应有且只有一个 XML 文件，实有 {len(xmls)} 个",
                                          problem_en=f"must hold exactly one XML file at its root, it holds {len(xmls)}",
                                          **label.fields())
    record = from_xml(kind, entries[xmls[0]], label.then(f"的 {xmls[0]}：", f", {xmls[0]}: "))
    _attach_files(record, {n: b for n, b in entries.items() if n != xmls[0]}, label)
    return Package(kind=kind, record=record, xml=entries[xmls[0]])


def _attach_files(record: Record, files: dict[str, bytes], label: Where) -> None:
    """Put the zip's files in the record's folders; refuse a regulation or a meeting missing a required file."""

    def folder(prefix: str) -> dict[str, bytes]:
        return {n[len(prefix):]: b for n, b in files.items() if n.startswith(prefix) and "/" not in n[len(prefix):]}

    if isinstance(record, Regulation):
        record.formal_files = folder(f"{FORMAL}/")
        record.evidence_files = folder(f"{EVIDENCE}/")
        # §2.2: exactly one formal file, except on del.
        if record.oper_type != "del" and len(record.formal_files) != 1:
            raise ExchangeError.FORMAL_FILE.error(path=FORMAL, folder=FORMAL, count=len(record.formal_files),
                                                  **label.fields())
    elif isinstance(record, Meeting):
        record.minutes_files = folder(f"{MINUTES}/")
        record.notice_files = folder(f"{NOTICE}/")
        for s in record.subjects:
            s.opinion_files = folder(f"{s.subject_id}/{OPINIONS}/")
            s.material_files = folder(f"{s.subject_id}/{MATERIALS}/")
        # §2.3: the notice is required unless the type is a board (董事) or "其他" meeting.
        if (record.oper_type != "del" and not record.notice_files
                and "董事" not in record.meeting_type_name and "其他" not in record.meeting_type_name):
            raise ExchangeError.NOTICE_MISSING.error(path=NOTICE, folder=NOTICE, **label.fields())


# --- JSON (soegov's API form of the same package) -------------------------------------------------


def to_json(record: Record) -> dict[str, Any]:
    """The same package as JSON data: the XML field names, flags as 是/否, files listed by name only."""
    data = asdict(record)
    data["business_type"] = kind_of(record)

    def strip(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {k: (sorted(v) if k.endswith("_files") else strip(v)) for k, v in obj.items()}
        if isinstance(obj, list):
            return [strip(v) for v in obj]
        if isinstance(obj, tuple):
            return list(obj)
        if isinstance(obj, bool):
            return yes_no(obj)
        return obj

    result: dict[str, Any] = strip(data)
    return result


def json_dumps(record: Record) -> str:
    """The JSON form as text."""
    return json.dumps(to_json(record), ensure_ascii=False, indent=2)
