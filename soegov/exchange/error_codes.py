"""The exchange's refusals, each code once with its Chinese and English message (soegov.core.errors).

Plain Python, no Django: the package readers and the collector's checks raise from here. A package problem is
a `PackageError` naming the file and the field; where in the package it lies is a `Where`, written in both
languages, that the messages begin with.
"""

from __future__ import annotations

from dataclasses import dataclass

from soegov.core.error_codes import ErrorCode
from soegov.core.errors import InputError, SoegovError


class PackageError(InputError):
    """A package that cannot be read or breaks a collection rule; names the file and the field."""


@dataclass(frozen=True)
class Where:
    """Where in a package a problem lies, as the message's opening words: "数据包“a.zip”的 0006.xml：" / "package …"."""

    zh: str = ""
    en: str = ""

    def then(self, zh: str, en: str) -> Where:
        """A place inside this one."""
        return Where(self.zh + zh, self.en + en)

    def fields(self) -> dict[str, str]:
        """The template fields of a message that begins with this place."""
        return {"where": self.zh, "where_en": self.en}


NOWHERE = Where()


def package_label(name: str) -> Where:
    """How the messages name a zip: 数据包“<name>” (or just 数据包 when it has no name)."""
    return Where(f"数据包“{name}”", f"package “{name}”") if name else Where("数据包", "the package")


def in_package(exc: SoegovError, file_name: str) -> PackageError:
    """The same refusal (same code and field) said of one received zip, so an import names the file it is about."""
    return PackageError(exc.code, f"数据包“{file_name}”：{exc.message}", exc.path or "xml",
                        f"package “{file_name}”: {exc.message_en}")


class ExchangeError(ErrorCode):
    """Why a package, a regulation or an import is refused."""

    # --- reading a package (names, XML, zip) ---
    BAD_FILE_NAME = ("bad_file_name", "文件名“{name}”{problem}", "the file name “{name}” {problem_en}", PackageError)
    MISSING_FIELD = ("missing_field", "{where}缺少 {tag}", "{where_en}{tag} is missing", PackageError)
    BAD_FLAG = ("bad_flag", "{where}{tag} 应为“是”或“否”，实为“{value}”", "{where_en}{tag} must be 是 or 否, not “{value}”",
                PackageError)
    MISSING_OPER_TYPE = ("missing_oper_type", "{where}操作类型oper_type为空", "{where_en}oper_type is empty", PackageError)
    BAD_OPER_TYPE = ("bad_oper_type", "{where}操作类型oper_type“{value}”应为 add、edit 或 del",
                     "{where_en}oper_type “{value}” must be add, edit or del", PackageError)
    BAD_XML = ("bad_xml", "{where}XML {problem}", "{where_en}the XML {problem_en}", PackageError)
    BAD_ZIP = ("bad_zip", "{where}{problem}", "{where_en} {problem_en}", PackageError)
    TOO_LARGE = ("too_large", "{where}过大（{measure}超过 {mb} MB）{advice}",
                 "{where_en} is too large ({measure_en}over {mb} MB){advice_en}", PackageError)
    FORMAL_FILE = ("formal_file", "{where}的“{folder}/”文件夹应有且只有一个制度正式文件，实有 {count} 个",
                   "{where_en}: the “{folder}/” folder must hold exactly one formal file of the regulation, it holds {count}",
                   PackageError)
    NOTICE_MISSING = ("notice_missing", "{where}：会议通知文件未找到（“{folder}/”文件夹为空）",
                      "{where_en}: no meeting notice (the “{folder}/” folder is empty)", PackageError)
    SCHEMA = ("schema", "{where}不符合 {schema}：{problem}", "{where_en}does not match {schema}: {problem}", PackageError)
    # --- the collector's validation (§4.1) ---
    BAD_ITEM_CODE = ("bad_item_code", "事项“{name}”编码格式异常：{code}（应为“目录编码-序号”，如 D12-001）",
                     "item “{name}”: malformed code {code} (expected “catalogue-number”, e.g. D12-001)", PackageError)
    UNKNOWN_CATALOG = ("unknown_catalog", "无法通过事项编码找到事项目录：{code}（目录编码应以 D、H、P、F 开头）",
                       "no catalogue found for item code {code} (a catalogue code starts with D, H, P or F)", PackageError)
    NO_MEETING = ("no_meeting", "事项“{name}”至少应有一个决策会议", "item “{name}” needs at least one decision meeting",
                  PackageError)
    UNKNOWN_MEETING_TYPE = ("unknown_meeting_type", "会议类型[{name}]未定义", "meeting type [{name}] is not defined",
                            PackageError)
    UNKNOWN_REGULATION_TYPE = ("unknown_regulation_type", "制度类型“{name}”未定义（可选：{allowed}）",
                               "regulation type “{name}” is not defined (one of: {allowed})", PackageError)
    UNKNOWN_ITEM = ("unknown_item", "{holder}事项编码“{code}”不是本企业有效的事项",
                    "{holder_en}item code “{code}” is not an active item of the enterprise", PackageError)
    UNKNOWN_VOTE_MODE = ("unknown_vote_mode", "表决方式“{mode}”未定义", "vote mode “{mode}” is not defined", PackageError)
    UNKNOWN_RELATION = ("unknown_relation", "{subject}关联的{target}未找到", "{subject_en} refers to {target_en}, not found",
                        PackageError)
    UNKNOWN_SOURCE_NAME = ("unknown_source_name", "{subject}的source_name“{value}”不在字典中",
                           "{subject_en}: source_name “{value}” is not in the dictionary", PackageError)
    UNKNOWN_SPECIAL_NAME = ("unknown_special_name", "{subject}的special_name“{value}”不在字典中",
                            "{subject_en}: special_name “{value}” is not in the dictionary", PackageError)
    BAD_PASS_FLAG = ("bad_pass_flag", "{subject}的pass_flag“{value}”不在字典中（可选：{allowed}）",
                     "{subject_en}: pass_flag “{value}” is not in the dictionary (one of: {allowed})", PackageError)
    BAD_APPROVAL_FLAG = ("bad_approval_flag", "{subject}的approval_flag“{value}”不在字典中（可选：{allowed}）",
                         "{subject_en}: approval_flag “{value}” is not in the dictionary (one of: {allowed})", PackageError)
    BAD_ADOPT_FLAG = ("bad_adopt_flag", "{subject}的adopt_flag“{value}”不在字典中（可选：{allowed}）",
                      "{subject_en}: adopt_flag “{value}” is not in the dictionary (one of: {allowed})", PackageError)
    # --- the supervisor's import ---
    UNKNOWN_ENTERPRISE = ("unknown_enterprise", "数据包“{file}”：统一社会信用代码 {uscc} 不是本辖区登记的企业",
                          "package “{file}”: {uscc} is not an enterprise registered in this jurisdiction", PackageError)
    DUPLICATE = ("duplicate", "数据包“{file}”：{record}已存在（{rule}）", "package “{file}”: {record_en} already exists ({rule_en})",
                 PackageError)
    NOT_FOUND = ("not_found", "数据包“{file}”：要{change}的{record} {sid} 未入库",
                 "package “{file}”: the {record_en} {sid} to {change_en} is not on file", PackageError)
    # --- the enterprise's regulations and requests ---
    REQUIRED = ("required", "请{what}", "please {what_en}", InputError)
    INVALID_TYPE = ("invalid_type", "制度类型应为：{allowed}", "the regulation type must be one of: {allowed}", InputError)
    INVALID_RATE = ("invalid_rate", "人数占比应为“1/2”“2/3”这样的分数或“1”", "the share must be a fraction such as 1/2 or 2/3, or 1",
                    InputError)
    INVALID_VOTE_MODE = ("invalid_vote_mode", "请选择表决方式", "choose a vote mode", InputError)
    INVALID_DATE = ("invalid_date", "生效日期不能早于审批日期", "the effective date cannot be before the approval date",
                    InputError)
