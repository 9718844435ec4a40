"""The words of a payment ledger: its columns, the Chinese headers and values accepted for them, their names."""

from __future__ import annotations

COLUMNS = ("date", "payee", "amount", "purpose", "expense_class", "contract_id")
REQUIRED = COLUMNS[:5]
HEADER_ALIASES = {
    "日期": "date", "付款日期": "date", "收款方": "payee", "收款单位": "payee", "金额": "amount", "用途": "purpose",
    "支出类别": "expense_class", "费用类别": "expense_class", "合同编号": "contract_id", "合同号": "contract_id",
}
PURPOSE_ALIASES = {
    "捐赠": "donation", "赞助": "donation", "担保": "guarantee", "借款": "loan", "拆借": "loan", "融资": "loan",
    "工程款": "construction_payment", "货款": "goods_payment", "偿还贷款": "loan_repayment", "还贷": "loan_repayment",
    "工资": "payroll", "薪酬": "payroll", "税金": "tax", "税费": "tax", "其他": "other",
}
CLASS_ALIASES = {"生产性": "production", "非生产性": "non_production", "管理费用": "non_production"}
PURPOSES = ("loan_repayment", "construction_payment", "goods_payment", "payroll", "tax", "other", "donation",
            "guarantee", "loan")
EXPENSE_CLASSES = ("production", "non_production")
PURPOSE_LABELS = {"loan_repayment": "偿还贷款", "construction_payment": "工程款", "goods_payment": "货款", "payroll": "工资",
                  "tax": "税金", "other": "其他", "donation": "捐赠", "guarantee": "担保", "loan": "借款"}
CLASS_LABELS = {"production": "生产性", "non_production": "非生产性"}

# What a person reads for each column (messages, reports); the machine keeps the codes above.
LABELS = {"date": "日期", "payee": "收款方", "amount": "金额", "purpose": "用途", "expense_class": "支出类别",
          "contract_id": "合同编号"}
LABELS_EN = {"date": "date", "payee": "payee", "amount": "amount", "purpose": "purpose",
             "expense_class": "expense class", "contract_id": "contract number"}
FINDING_NAMES = {"unrecorded_payment": "未见决策或备案记录的支付", "split_payment": "疑似化整为零（拆分支付）",
                 "prohibited_counterparty": "向无股权关系企业提供担保或借款"}
FINDING_NAMES_EN = {"unrecorded_payment": "payment with no decision on record", "split_payment": "split payment",
                    "prohibited_counterparty": "guarantee or loan to an unrelated company"}

# Ledger dates outside these years are typing errors (26-03-01 is year 26), not payments.
FIRST_DATE = "1900-01-01"
LAST_DATE = "2100-12-31"
# Above any real payment of a state-owned enterprise, as everywhere else in soegov (10^15 yuan).
MAX_YUAN = 10**15


def sql_text(value: str) -> str:
    """A SQL string literal (the user's own purpose words are among the values quoted)."""
    return "'" + value.replace("'", "''") + "'"


def purpose_aliases(words: dict[str, str] | None = None) -> dict[str, str]:
    """The purpose words accepted: the built-in Chinese words, then an enterprise's own (never replacing one)."""
    extra = {w: c for w, c in (words or {}).items() if w not in PURPOSE_ALIASES and w not in PURPOSES and c in PURPOSES}
    return {**PURPOSE_ALIASES, **extra}


def code_sql(value: str, otherwise: str, aliases: dict[str, str]) -> str:
    """SQL giving the code of a purpose or class: the Chinese word's code, else `otherwise`."""
    return (f"CASE {value} " + " ".join(f"WHEN {sql_text(k)} THEN {sql_text(v)}" for k, v in aliases.items())
            + f" ELSE {otherwise} END")


def canonical_header(name: str) -> str:
    """A header cell as a column code: the Chinese aliases, or the name lower-cased with underscores."""
    return HEADER_ALIASES.get(name.strip(), name.strip().lower().replace(" ", "_"))
