"""The 0004/0005/0006 packages: names, XML against the XSDs, zip folders and encodings, JSON, refusals."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.error_codes import PackageError
from soegov.exchange.package_xml import from_xml, to_xml
from soegov.exchange.schema import check_schema, schema_errors
from tests.exchange import samples

DAY = dt.date(2026, 11, 20)
USCC = "91530129MA6K8JQ71E"


def _valid_uscc() -> str:
    from soegov.enterprises.uscc import make_uscc

    return make_uscc("91", "530129", "MA000001")


@pytest.mark.parametrize("record", [samples.item(), samples.regulation(), samples.meeting()],
                         ids=["0004", "0005", "0006"])
def test_every_written_package_matches_its_schema_and_reads_back(record):
    kind = rec.kind_of(record)
    data = p.build_zip(record, DAY)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert f"{kind}_1000_20261120.xml" in names
    xml = zipfile.ZipFile(io.BytesIO(data)).read(f"{kind}_1000_20261120.xml")
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert schema_errors(kind, xml) == []
    assert p.read_zip(data, kind).record == record


def test_meeting_zip_has_the_national_folders():
    names = set(zipfile.ZipFile(io.BytesIO(p.build_zip(samples.meeting(), DAY))).namelist())
    assert {"会议纪要/会议纪要.pdf", "会议通知/会议通知.pdf", "s1/议题材料/可行性报告.docx"} <= names
    reg = set(zipfile.ZipFile(io.BytesIO(p.build_zip(samples.regulation(), DAY))).namelist())
    assert {"正式文件/党委会议事规则.pdf", "佐证材料/合法性审查意见.pdf"} <= reg


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_chinese_entry_names_read_back_in_both_encodings(encoding):
    data = p.build_zip(samples.meeting(), DAY, entry_encoding=encoding)
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    flagged = [bool(i.flag_bits & 0x800) for i in infos if not i.filename.isascii()]
    assert flagged and all(f == (encoding == "utf-8") for f in flagged)
    if encoding == "gbk":
        # The raw name bytes are GBK: what the collector's unzip (GBK) expects.
        assert "会议纪要/会议纪要.pdf".encode("gbk") in data
    assert p.read_zip(data, rec.MEETING).record.minutes_files == {"会议纪要.pdf": b"%PDF-1.4 minutes"}


def test_files_in_a_folder_named_like_the_zip_are_read():
    inner = zipfile.ZipFile(io.BytesIO(p.build_zip(samples.item(), DAY)))
    buf = io.BytesIO()
    name = f"{_valid_uscc()}_0004_1000_20261120"
    with zipfile.ZipFile(buf, "w") as zf:
        for n in inner.namelist():
            zf.writestr(f"{name}/{n}", inner.read(n))
    assert p.read_zip(buf.getvalue(), rec.ITEM, name=name + ".zip").record == samples.item()


def test_zip_names_both_sides():
    assert rec.zip_name(rec.MEETING, DAY) == "0006_1000_20261120.zip"
    uscc = _valid_uscc()
    parsed = rec.parse_zip_name(rec.zip_name(rec.MEETING, DAY, uscc))
    assert (parsed.uscc, parsed.kind, parsed.day) == (uscc, "0006", DAY)


@pytest.mark.parametrize(("name", "says"), [
    ("0006_1000_20261120.zip", "格式"),
    ("91530129MA000001XX_0006_1000_20261120.zip", "统一社会信用代码"),
    ("{uscc}_0003_1000_20261120.zip", "业务编码“0003”"),
    ("{uscc}_0006_1000_20261120.rar", "格式"),
])
def test_bad_zip_names_are_refused(name, says):
    with pytest.raises(PackageError) as exc:
        rec.parse_zip_name(name.format(uscc=_valid_uscc()))
    assert says in exc.value.message and exc.value.path == "file_name"


def _zip_with(xml: bytes, extra: dict[str, bytes] | None = None, kind: str = rec.MEETING) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(f"{kind}_1000_20261120.xml", xml)
        for n, b in (extra or {}).items():
            zf.writestr(n, b)
    return buf.getvalue()


def test_missing_oper_type_is_refused_with_the_collectors_words():
    xml = to_xml(samples.item()).replace(b"<oper_type>add</oper_type>", b"")
    with pytest.raises(PackageError, match="操作类型oper_type为空"):
        p.read_zip(_zip_with(xml, kind=rec.ITEM), rec.ITEM)
    with pytest.raises(PackageError) as exc:
        p.read_zip(_zip_with(xml, kind=rec.ITEM), rec.ITEM, name="a.zip")
    # Both languages name the package, the XML file and the field.
    assert exc.value.code == "missing_oper_type" and exc.value.path == "oper_type"
    assert exc.value.text("zh") == "数据包“a.zip”的 0004_1000_20261120.xml：操作类型oper_type为空"
    assert exc.value.text("en") == "package “a.zip”, 0004_1000_20261120.xml: oper_type is empty"
    assert schema_errors(rec.ITEM, xml)


def test_audit_flag_must_be_yes_or_no():
    xml = to_xml(samples.regulation()).replace("<audit_flag>是".encode(), "<audit_flag>有".encode())
    with pytest.raises(PackageError, match="audit_flag 应为“是”或“否”"):
        p.read_zip(_zip_with(xml, {"正式文件/a.pdf": b"x"}, rec.REGULATION), rec.REGULATION)
    with pytest.raises(PackageError, match=r"regulation\.xsd"):
        check_schema(rec.REGULATION, xml)


@pytest.mark.parametrize("formal", [{}, {"正式文件/a.pdf": b"a", "正式文件/b.pdf": b"b"}])
def test_regulation_needs_exactly_one_formal_file(formal):
    with pytest.raises(PackageError, match="有且只有一个制度正式文件") as exc:
        p.read_zip(_zip_with(to_xml(samples.regulation()), formal, rec.REGULATION), rec.REGULATION)
    assert exc.value.path == "正式文件"


def test_a_deleted_regulation_needs_no_formal_file():
    reg = samples.regulation()
    reg.oper_type = "del"
    assert p.read_zip(_zip_with(to_xml(reg), {}, rec.REGULATION), rec.REGULATION).record.oper_type == "del"


@pytest.mark.parametrize(("type_name", "refused"), [("党委会", True), ("总经理办公会", True), ("董事会", False),
                                                    ("其他", False)])
def test_notice_file_required_except_board_and_other(type_name, refused):
    xml = to_xml(samples.meeting(type_name=type_name))
    if refused:
        with pytest.raises(PackageError, match="会议通知文件未找到"):
            p.read_zip(_zip_with(xml), rec.MEETING)
    else:
        assert p.read_zip(_zip_with(xml), rec.MEETING).record.meeting_type_name == type_name


@pytest.mark.parametrize("data", [b"not a zip", _zip_with(b"<tiol>"), _zip_with(b"<root/>")])
def test_broken_zip_or_xml_is_refused(data):
    with pytest.raises(PackageError):
        p.read_zip(data, rec.MEETING, name="x.zip")


def test_attendance_without_flag_reads_reason_as_absent():
    xml = ("<tiol><meeting_id>1</meeting_id><meeting_name>会</meeting_name><meeting_type_name>董事会</meeting_type_name>"
           "<meeting_time>2026-11-20</meeting_time><oper_type>add</oper_type><attendee_list>"
           "<attendee><attendee_name>甲</attendee_name><reason>病假</reason></attendee>"
           "<attendee><attendee_name>乙</attendee_name></attendee></attendee_list></tiol>").encode()
    record = from_xml(rec.MEETING, xml)
    assert [(a.attendee_name, a.attend_flag) for a in record.attendees] == [("甲", False), ("乙", True)]


def test_json_form_carries_the_same_fields():
    data = p.to_json(samples.meeting())
    assert data["business_type"] == "0006"
    assert data["attendees"][4] == {"attendee_name": "钱委员", "attend_flag": "是", "reason": ""}
    assert data["subjects"][0]["deliberations"][0] == ["张书记", "同意"]
    assert data["minutes_files"] == ["会议纪要.pdf"]


def test_a_zip_bomb_is_refused_before_inflating(monkeypatch):
    data = p.build_zip(samples.meeting(), DAY)
    monkeypatch.setattr(p, "MAX_UNZIPPED_BYTES", 100)
    with pytest.raises(PackageError, match="解压后超过"):
        p.read_zip(data, rec.MEETING)


def test_the_format_modules_import_no_django():
    import subprocess
    import sys

    code = ("import sys, soegov.exchange.packages, soegov.exchange.checks, soegov.exchange.schema;"
            "print('django' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
