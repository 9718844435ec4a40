"""`soegov ledger check`: scan a payment ledger (CSV, .xlsx or Parquet) for breaches of the rules."""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any, TextIO

# Refused rows a readable report lists before saying how many more there are (--json lists them all).
REFUSED_SHOWN = 20


def _check(args: argparse.Namespace) -> int:
    from soegov.cli_support import guarded

    def body() -> int:
        from soegov.ledger.scan import read_decisions_csv, scan_ledger

        result = scan_ledger(
            args.file, policy=args.policy, level=args.level, ownership=args.ownership,
            decisions=read_decisions_csv(args.decisions) if args.decisions else [], related=args.related or [],
            window_days=args.window_days, as_of=args.as_of, skip_invalid=args.skip_invalid,
            progress=sys.stderr.isatty() and not args.json, encoded=args.json,
            purpose_words=purpose_words(args.purpose or []))
        if args.json:
            write_json(result, sys.stdout)
        else:
            print(report(result, args.lang))
        return 0

    return guarded(args, body)


def purpose_words(given: list[str]) -> dict[str, str]:
    """--purpose WORD=CODE options as a mapping; a code that is not a purpose is refused, naming the option."""
    from soegov.core.errors import InputError
    from soegov.ledger.columns import PURPOSE_LABELS, PURPOSES

    words: dict[str, str] = {}
    for item in given:
        word, _, code = item.partition("=")
        if not word.strip() or code.strip() not in PURPOSES:
            accepted = "、".join(f"{c}（{PURPOSE_LABELS[c]}）" for c in PURPOSES)
            raise InputError("invalid_purpose_mapping", f"--purpose 应写作 词=用途代码，用途代码可为：{accepted}；收到“{item}”",
                             "purpose", f"--purpose is WORD=CODE with CODE one of {', '.join(PURPOSES)}; got {item!r}")
        words[word.strip()] = code.strip()
    return words


def write_json(result: dict[str, Any], out: TextIO) -> None:
    """The result as one compact JSON document, its findings (already JSON texts) written as they are."""
    import json

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = {k: v for k, v in result.items() if k not in ("findings", "refused")}
    out.write(dump(head)[:-1] + ',"findings":[')
    findings = result["findings"]
    for start in range(0, len(findings), 10_000):
        out.write(("," if start else "") + ",".join(findings[start:start + 10_000]))
    out.write('],"refused":' + dump(result["refused"]) + "}\n")


def report(result: dict[str, Any], lang: str) -> str:
    """The findings as a readable list, each under its Chinese (or English) name; refused rows after them."""
    from soegov.core.names import plain
    from soegov.ledger.columns import FINDING_NAMES, FINDING_NAMES_EN

    zh = lang == "zh"
    names = FINDING_NAMES if zh else FINDING_NAMES_EN
    s = result["stats"]
    lines = [f"台账 {s['rows']} 行已检查（另有 {s['invalid_rows']} 行无法检查，见文末），决策记录 {s['decisions']} 条，发现 {s['findings']} 项："
             if zh and s["invalid_rows"] else
             f"台账 {s['rows']} 行已检查，决策记录 {s['decisions']} 条，发现 {s['findings']} 项：" if zh
             else f"{s['rows']} rows checked ({s['invalid_rows']} could not be checked, listed at the end), "
                  f"{s['decisions']} decisions on record, {s['findings']} finding(s):"]
    for n, f in enumerate(result["findings"], 1):
        rows = "、".join(str(r) for r in f["rows"]) if zh else ", ".join(str(r) for r in f["rows"])
        more = len(f["rows"]) < f.get("parts", 0)
        # The message cites the pack by its id (the --json contract keeps it); a reader gets the regulation's title.
        lines.append(f"{n}. 【{names.get(f['code'], f['code'])}】{plain(f['message'])}" if zh
                     else f"{n}. [{names.get(f['code'], f['code'])}] {f['message_en']}")
        lines.append(f"   台账行：{rows}{'……' if more else ''}" if zh else f"   rows: {rows}{'…' if more else ''}")
    refused = result["refused"]
    if refused:
        lines.append(f"无法检查的行（{len(refused)} 行）：" if zh else f"Rows that could not be checked ({len(refused)}):")
        for r in refused[:REFUSED_SHOWN]:
            lines.extend(f"   {p['message' if zh else 'message_en']}" for p in r["problems"])
        if len(refused) > REFUSED_SHOWN:
            lines.append(f"   ……另有 {len(refused) - REFUSED_SHOWN} 行，全部列于 --json 输出的 refused 中" if zh
                         else f"   … {len(refused) - REFUSED_SHOWN} more, all listed under refused in the --json output")
    return "\n".join(lines)


def add_commands(sub: Any) -> None:
    """Register `ledger check`."""
    led = sub.add_parser("ledger", help="支付台账检查 / payment ledger analytics",
                         description="支付台账检查：对照规则与决策记录检查支付台账")
    lsub = led.add_subparsers(dest="ledger_command", metavar="ACTION")
    led.set_defaults(handler=lambda a: (led.print_help(sys.stderr), 2)[1])
    p = lsub.add_parser("check", help="检查一份台账（CSV、.xlsx 或 Parquet）/ scan a ledger",
                        description="检查一份支付台账（CSV、.xlsx 或 Parquet；列：日期 date、收款方 payee、金额 amount、"
                                    "用途 purpose、支出类别 expense_class、合同编号 contract_id）")
    p.add_argument("file", metavar="FILE", help="台账文件 / the ledger file")
    p.add_argument("--policy", required=True, help="政策包，如 xundian-2020 / policy pack id")
    p.add_argument("--level", type=int, default=1, help="付款企业的层级（默认 1）/ the paying enterprise's level")
    p.add_argument("--ownership", default="sole", help="付款企业的所有制代码（默认 sole）/ ownership code")
    p.add_argument("--decisions", help="已有决策和备案记录的 CSV：ref, payee, contract_id, amount, date")
    p.add_argument("--related", action="append", metavar="NAME", help="有股权关系的企业（可重复）/ a related company")
    p.add_argument("--window-days", type=int, default=30, help="拆分支付的时间窗天数（默认 30）/ split-payment window")
    p.add_argument("--as-of", help="YYYY-MM-DD：适用哪一天施行的政策版本（默认今天）/ the policy version's date")
    p.add_argument("--skip-invalid", action="store_true",
                   help="有无法检查的行时仍检查其余各行（无法检查的行逐行列出）/ check the valid rows anyway")
    p.add_argument("--purpose", action="append", metavar="WORD=CODE",
                   help="把台账中的用途词对应到用途代码（可重复），如 办公楼装修=other / map a purpose word to a code")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 文档 / print one JSON document")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="报告语言 / report language")
    p.set_defaults(handler=_check, command="ledger check")
