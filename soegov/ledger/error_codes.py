"""Why a ledger, or one row of it, cannot be checked: every code of the ledger check with its two messages."""

from __future__ import annotations

from soegov.core.error_codes import ErrorCode
from soegov.core.errors import InputError
from soegov.ledger.columns import FIRST_DATE, LAST_DATE, PURPOSE_LABELS, PURPOSES

_PURPOSES_ZH = "、".join(PURPOSE_LABELS.values())
_PURPOSES_EN = ", ".join(PURPOSES)


class LedgerError(ErrorCode):
    """The ledger check's refusals: the file and the command line first, then one bad field of one row."""

    UNREADABLE_FILE = ("unreadable_file", "无法读取{what}：{reason}", "cannot read {what_en}: {reason}", InputError)
    INVALID_LEDGER = ("invalid_ledger", "台账无法解析：{reason}", "the ledger cannot be parsed: {reason}", InputError)
    MISSING_COLUMN = ("missing_column", "台账缺少列：{missing}（需要 {required}，可选 合同编号）",
                      "the ledger lacks column(s) {missing_en}; expected {required_en} (contract_id optional)", InputError)
    DUPLICATE_COLUMN = ("duplicate_column", "台账的“{cell}”列重复（第 {n} 列）",
                        "the ledger has the column {cell!r} twice (column {n})", InputError)
    INVALID_WINDOW = ("invalid_window", "拆分支付的时间窗应为 1 到 366 天",
                      "window_days must be a whole number of days from 1 to 366", InputError)
    POLICY_NOT_IN_FORCE = ("policy_not_in_force", "{title}在 {day} 不在施行期内（施行期：{spans}），无法据此检查台账",
                           "{title_en} is not in force on {day} (in force {spans_en}); the ledger cannot be checked",
                           InputError)
    INVALID_ROWS = ("invalid_rows", "台账有 {rows} 行无法检查{listed}，改正后重新检查，或用 --skip-invalid 只检查其余各行",
                    "{rows} ledger row(s) cannot be checked{listed_en}; correct them, or use --skip-invalid to check the rest",
                    InputError)
    # One bad field of one row: `label` is the column's name, `value` the text the row holds.
    MISSING = "missing", "第{row}行：{label}为空", "row {row}: {label_en} is empty", InputError
    INVALID_DATE = ("invalid_date", "第{row}行：{label}“{value}”不是 YYYY-MM-DD 格式的日期",
                    "row {row}: {label_en} {value!r} is not a date in YYYY-MM-DD form", InputError)
    DATE_OUT_OF_RANGE = ("date_out_of_range", f"第{{row}}行：{{label}}“{{value}}”不在 {FIRST_DATE} 至 {LAST_DATE} 之间",
                         f"row {{row}}: {{label_en}} {{value!r}} is not between {FIRST_DATE} and {LAST_DATE}", InputError)
    INVALID_AMOUNT = ("invalid_amount", "第{row}行：{label}“{value}”不是数字（单位：元；逗号只能作千位分隔符，如 4,000,000）",
                      "row {row}: {label_en} {value!r} is not a number of yuan (commas only as thousands separators, "
                      "4,000,000)", InputError)
    NEGATIVE_AMOUNT = ("negative_amount", "第{row}行：{label}“{value}”不能为负数",
                       "row {row}: {label_en} {value!r} cannot be negative", InputError)
    AMOUNT_OUT_OF_RANGE = ("amount_out_of_range", "第{row}行：{label}“{value}”超出可处理的范围（须小于 10^15 元）",
                           "row {row}: {label_en} {value!r} is out of range (below 10^15)", InputError)
    AMOUNT_TOO_PRECISE = ("amount_too_precise", "第{row}行：{label}“{value}”最多精确到分（两位小数）",
                          "row {row}: {label_en} {value!r} has more than two decimal places", InputError)
    UNKNOWN_PURPOSE = ("unknown_purpose", f"第{{row}}行：{{label}}“{{value}}”无法识别（可填{_PURPOSES_ZH}，或其英文代码）",
                       f"row {{row}}: {{label_en}} {{value!r}} is unknown (one of {_PURPOSES_EN})", InputError)
    UNKNOWN_EXPENSE_CLASS = ("unknown_expense_class",
                             "第{row}行：{label}“{value}”无法识别（可填生产性、非生产性，或 production、non_production）",
                             "row {row}: {label_en} {value!r} is unknown (production or non_production)", InputError)
    # A line that cannot be read into fields at all.
    NOT_UTF8 = ("not_utf8", "第{row}行不是 UTF-8 编码的文字（请以 UTF-8 编码另存 CSV）",
                "row {row}: the line is not UTF-8 text (save the CSV as UTF-8)", InputError)
    UNTERMINATED_QUOTE = ("unterminated_quote", "第{row}行的引号没有闭合（其后各行无法分开读取）",
                          "row {row}: the line opens a quotation mark that is never closed (the lines after it cannot "
                          "be told apart)", InputError)
    TOO_MANY_FIELDS = ("too_many_fields", "第{row}行的字段多于表头（含逗号的金额或名称须加引号）",
                       "row {row}: the line has more fields than the header (quote values that contain commas)",
                       InputError)
    LINE_TOO_LONG = "line_too_long", "第{row}行过长，无法读取", "row {row}: the line is too long to read", InputError
    UNREADABLE_LINE = "unreadable_line", "第{row}行无法读取", "row {row}: the line cannot be read", InputError
