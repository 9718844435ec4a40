"""CLI of the rules engine: classify, meeting-check and the `policy` tools (list, show, lint, explain, types).

Parsers only here; handlers import the engine when they run, so `soegov --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="输出一个 JSON 文档（机器接口约定的格式）/ print the contract's JSON")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="报告和提示的语言（默认中文）/ language")


def _classify(args: argparse.Namespace) -> int:
    from soegov.cli_support import in_words, read_document, respond
    from soegov.policy.engine import classify
    from soegov.policy.inputs import document_policy

    def compute() -> Any:
        doc, policy = document_policy(read_document(args.file), args.policy)
        return classify(doc, policy=policy, date=args.date, lang=args.lang, explain=args.explain)

    def report(result: Any, lang: str) -> str:
        # Imported only for a report: `classify --json` (the benchmarked start-up) never needs it.
        from soegov.policy.report import classify_text

        return classify_text(result, lang)

    return respond(args, compute, in_words(report))


def _meeting_check(args: argparse.Namespace) -> int:
    from soegov.cli_support import in_words, read_document, respond
    from soegov.policy.inputs import document_policy
    from soegov.policy.meetings import meeting_check
    from soegov.policy.report import meeting_text

    def compute() -> Any:
        doc, policy = document_policy(read_document(args.file), args.policy)
        return meeting_check(doc, policy=policy, lang=args.lang)

    return respond(args, compute, in_words(meeting_text))


def _policy_list(args: argparse.Namespace) -> int:
    from soegov.cli_support import emit_json, fail
    from soegov.core.errors import SoegovError
    from soegov.policy.loader import get_registry

    try:
        packs = [p.summary() for p in get_registry().packs]
    except SoegovError as exc:
        return fail(exc, args)
    if args.json:
        emit_json(packs)
        return 0
    for p in packs:
        spans = "; ".join(f"{v['version']}: {v['in_force_from']} ~ {v['in_force_until'] or ''}" for v in p["versions"])
        print(f"{p['id']:<16} {p['title']}  [{spans}]")
    return 0


def _policy_show(args: argparse.Namespace) -> int:
    from soegov.cli_support import emit_json, fail
    from soegov.core.errors import SoegovError
    from soegov.policy.show import show

    try:
        out = show(args.id, args.article, lang=args.lang)
    except SoegovError as exc:
        return fail(exc, args)
    if args.json:
        emit_json(out["data"])
    else:
        print(out["text"])
    return 0


def _policy_lint(args: argparse.Namespace) -> int:
    from soegov.cli_support import emit_json
    from soegov.policy.lint import lint_paths

    findings, text = lint_paths(args.paths, lang=args.lang)
    if args.json:
        emit_json({"ok": not any(f["level"] == "error" for f in findings), "findings": findings})
    else:
        print(text)
    return 1 if any(f["level"] == "error" for f in findings) else 0


def _policy_types(args: argparse.Namespace) -> int:
    from soegov.cli_support import emit_json
    from soegov.policy.catalogue import MATTER_TYPES

    rows = [{"code": t.code, "label": t.label, "label_en": t.label_en,
             "attributes": {a.name: {"kind": a.kind, "choices": list(a.choices), "label": a.label}
                            for a in t.attributes.values()}} for t in MATTER_TYPES.values()]
    if args.json:
        emit_json(rows)
        return 0
    for row in rows:
        extra = ", ".join(n for n in row["attributes"] if n not in ("urgent", "major_emergency", "work_safety"))
        print(f"{row['code']:<28} {row['label'] if args.lang == 'zh' else row['label_en']}" + (f"  [{extra}]" if extra else ""))
    return 0


def _policy_decision_list(args: argparse.Namespace) -> int:
    from soegov.cli_support import in_words, respond
    from soegov.core.names import pack_title, plain
    from soegov.policy.catalogue import BODIES, VOTING_METHODS
    from soegov.policy.decision_list import decision_list

    def render(result: dict[str, Any], lang: str) -> str:
        zh = lang == "zh"
        lines = [f"《{pack_title(result['policy'])}》事项清单（{len(result['entries'])} 项）" if zh
                 else f"{result['policy']} decision list ({len(result['entries'])} entries)"]
        for n, e in enumerate(result["entries"], 1):
            types = "、".join(t["label"] for t in e["types"]) if zh else ", ".join(t["label"] for t in e["types"])
            c = e["citation"]
            ref = (f"第{c['article']}条" + (f"第{c['item']}项" if c.get("item") else "")) if zh else \
                f"{c['document']} {c['article']}" + (f".{c['item']}" if c.get("item") else "")
            # Each condition in words on its own: in the whole line a value would run on into the next column.
            lines.append(f"{n}. {types}｜{plain(e['condition']) if zh else e['condition']}｜{e['decision_label']}"
                         + (f"：{' → '.join(BODIES[b].label if zh else BODIES[b].label_en for b in e['bodies'])}"
                            if e["bodies"] else "")
                         + (f"（{VOTING_METHODS[e['voting_method']].label}）" if e["voting_method"] and zh
                            else f" ({e['voting_method']})" if e["voting_method"] else "") + f"｜{ref}")
            lines.extend(f"     → {t['label']}" + (f"（{plain(t['condition']) if zh else t['condition']}）" if t.get("condition") else "") for t in e["then"])
        return "\n".join(lines)

    return respond(args, lambda: decision_list(args.id, on=args.date, lang=args.lang), in_words(render))


def add_commands(sub: Any) -> None:
    """Register classify, meeting-check and policy."""
    for name in ADDERS:
        add_command(sub, name)


def add_command(sub: Any, name: str) -> None:
    """Register one of this module's commands (the dispatcher builds only the one being run)."""
    ADDERS[name](sub)


def _add_classify(sub: Any) -> None:
    p = sub.add_parser("classify", help="列出一个事项须履行的全部义务 / every obligation on one matter")
    p.add_argument("--policy", help="制度编号，如 yining-2024；不写则取输入文件的 policy 字段 / pack id")
    p.add_argument("--date", help="YYYY-MM-DD：按这一天施行的制度版本判断，代替文件中的 date / overrides date")
    p.add_argument("--explain", action="store_true", help="逐条列出检查过的规则及理由 / show each rule tried")
    p.add_argument("file", metavar="FILE", help="事项的 JSON 文件，- 表示标准输入 / JSON file or -")
    _add_common(p)
    p.set_defaults(handler=_classify)


def _add_meeting_check(sub: Any) -> None:
    p = sub.add_parser("meeting-check", help="检查一次决策会议 / check one decision meeting")
    p.add_argument("--policy", help="有会议规则的制度编号，如 xundian-2020；不写则取文件的 policy 字段 / pack id")
    p.add_argument("file", metavar="FILE", help="会议的 JSON 文件，- 表示标准输入 / JSON file or -")
    _add_common(p)
    p.set_defaults(handler=_meeting_check)


def _add_policy(sub: Any) -> None:
    pol = sub.add_parser("policy", help="政策包工具 / policy pack tools")
    psub = pol.add_subparsers(dest="policy_command", metavar="ACTION")
    pol.set_defaults(handler=lambda a: (pol.print_help(sys.stderr), 2)[1])

    p = psub.add_parser("list", help="列出已有的制度 / list the policy packs")
    _add_common(p)
    p.set_defaults(handler=_policy_list)

    p = psub.add_parser("show", help="显示制度概要或某一条的原文 / show a pack or an article")
    p.add_argument("id", help="制度编号，如 yining-2024 / pack id")
    p.add_argument("article", nargs="?", help="条号，如 12 或 12.6（第12条第6项）/ article")
    _add_common(p)
    p.set_defaults(handler=_policy_show)

    p = psub.add_parser("lint", help="检查制度包：引用、代码、日期、金额区间 / lint pack folders")
    p.add_argument("paths", nargs="+", metavar="PATH", help="制度包目录或制度编号 / pack folder or id")
    _add_common(p)
    p.set_defaults(handler=_policy_lint)

    p = psub.add_parser("explain", help="判断事项并逐条说明（同 classify --explain）/ classify --explain")
    p.add_argument("--policy", help="制度编号，如 yining-2024；不写则取文件的 policy 字段 / pack id")
    p.add_argument("--date", help="YYYY-MM-DD：代替文件中的 date / overrides date")
    p.add_argument("file", metavar="FILE", help="事项的 JSON 文件，- 表示标准输入 / JSON file or -")
    _add_common(p)
    p.set_defaults(handler=_classify, explain=True)

    p = psub.add_parser("decision-list", help="制度规定的事项清单 / the pack's decision list")
    p.add_argument("id", help="制度编号，如 xundian-2020 / pack id")
    p.add_argument("--date", help="YYYY-MM-DD：这一天施行的版本（默认今天）/ version date")
    _add_common(p)
    p.set_defaults(handler=_policy_decision_list, command="policy decision-list")

    p = psub.add_parser("types", help="事项类型及其要素一览 / matter types and attributes")
    _add_common(p)
    p.set_defaults(handler=_policy_types)


ADDERS = {"classify": _add_classify, "meeting-check": _add_meeting_check, "policy": _add_policy}
