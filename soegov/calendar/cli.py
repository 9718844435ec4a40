"""The calendar's sub-commands: `soegov deadline` and `soegov calendar import|show|years`.

Registering the parsers imports nothing but argparse; each handler imports the calendar when it
runs, because the dispatcher's start-up time is benchmarked. Every handler turns a SoegovError
into exit status 2 with the contract's error JSON (under --json) and one line on stderr.
"""

from __future__ import annotations

import argparse
import sys

# Not `from typing import TYPE_CHECKING`: importing typing would cost the start-up ~4 ms;
# mypy and ruff treat a module-level TYPE_CHECKING = False the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
    from typing import Any



def _add_output_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document (机器可读)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language (默认中文)")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `deadline` and `calendar` with the soegov dispatcher."""
    p = sub.add_parser(
        "deadline",
        help="期限计算：工作日（含法定节假日与调休）或自然小时",
        description=(
            "Compute a deadline: N working days (mainland China holidays and make-up workdays) "
            "counted from the next working day after --from, due 23:59:59 Asia/Shanghai; or N "
            "natural hours. Give the flags, or a JSON document FILE (or - for stdin) like "
            '{"from": "2026-09-30T16:00:00+08:00", "working_days": 5}.'
        ),
        epilog=(
            "A naive time is Asia/Shanghai; a date alone means 00:00 that day. 0 working days is "
            "due at the end of the starting day. Years without an official schedule count plain "
            "weekends and the result says calendar_complete: false. Exit 0 on valid input, 2 on "
            "invalid input."
        ),
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="JSON document, or - for standard input")
    p.add_argument("--from", dest="start", metavar="DATETIME", help="起算时间, e.g. 2026-09-30T16:00:00+08:00")
    # Counts are parsed by the handler, not argparse, so a bad number gets the contract's error JSON.
    p.add_argument("--working-days", metavar="N", help="工作日数")
    p.add_argument("--hours", metavar="N", help="自然小时数")
    _add_output_flags(p)
    p.set_defaults(handler=_run_deadline)

    cal = sub.add_parser("calendar", help="节假日安排：导入、查看", description="Holiday schedules held by soegov.")
    cal_sub = cal.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND")
    cal.set_defaults(handler=lambda args: _usage(cal))

    imp = cal_sub.add_parser(
        "import",
        help="导入一年的国务院节假日安排（YAML 或 JSON）",
        description=(
            "Validate and store a year's State Council holiday notice: "
            '{"year": 2027, "source": "国办发明电〔…〕…号", "holidays": {"2027-01-01": "元旦", …}, '
            '"workdays": {"2027-02-07": "春节调休", …}}. An imported year replaces the package data.'
        ),
    )
    imp.add_argument("file", metavar="FILE", help="YAML or JSON file, or - for standard input")
    _add_output_flags(imp)
    imp.set_defaults(handler=_run_import)

    show = cal_sub.add_parser("show", help="列出某年的节假日和调休工作日", description="List a year's schedule.")
    show.add_argument("year", metavar="YEAR")
    _add_output_flags(show)
    show.set_defaults(handler=_run_show)

    years = cal_sub.add_parser("years", help="列出已掌握安排的年份", description="List the years held.")
    _add_output_flags(years)
    years.set_defaults(handler=_run_years)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _count(text: str | None, path: str) -> int | None:
    """A count given on the command line, checked like the JSON document's."""
    if text is None:
        return None
    from soegov.core.errors import InputError

    stripped = text.strip()
    digits = stripped[1:] if stripped[:1] in "+-" else stripped
    if not digits.isascii() or not digits.isdigit():
        raise InputError("not_an_integer", f"{path} 必须是整数，收到“{text}”", path, f"{path} must be a whole number, got '{text}'")
    if len(digits) > 12:
        # int() refuses very long digit strings, and no period is that long anyway.
        raise InputError("out_of_range", f"{path} 过大", path, f"{path} is far too large")
    return int(stripped)


# ---------------------------------------------------------------- deadline


def _run_deadline(args: argparse.Namespace) -> int:
    from soegov.cli_support import emit_json, guarded

    def body() -> int:
        from soegov.calendar.counting import deadline, deadline_from_doc
        from soegov.calendar.parse import parse_json, read_text
        from soegov.core.errors import InputError

        flags = [f for f, v in (("--from", args.start), ("--working-days", args.working_days), ("--hours", args.hours)) if v is not None]
        if args.file is not None:
            if flags:
                raise InputError(
                    "conflicting_input",
                    f"请只用一种输入方式：JSON 文件 {args.file}，或 {'、'.join(flags)} 参数",
                    None,
                    f"give either the JSON document {args.file} or the flags {', '.join(flags)}, not both",
                )
            name = "标准输入" if args.file == "-" else args.file
            result = deadline_from_doc(parse_json(read_text(args.file), name), lang=args.lang)
        else:
            if args.start is None:
                raise InputError(
                    "missing_field",
                    "缺少 --from（起算时间），或给出 JSON 文件",
                    "from",
                    "--from (the starting time) is missing; or give a JSON document",
                )
            result = deadline(
                args.start,
                working_days=_count(args.working_days, "working_days"),
                hours=_count(args.hours, "hours"),
                lang=args.lang,
            )
        if args.json:
            emit_json(result)
        else:
            print(_deadline_report(result, args.lang))
        return 0

    return guarded(args, body)


def _stamp(iso: str, lang: str) -> str:
    """'2026-10-13T23:59:59+08:00' as '2026-10-13 23:59:59 星期二'."""
    from datetime import datetime

    from soegov.calendar.model import weekday_name

    moment = datetime.fromisoformat(iso)
    return f"{moment:%Y-%m-%d %H:%M:%S} {weekday_name(moment.date(), lang)}"


def _day_label(d: date, lang: str, view: Any) -> str:
    """A rest day's name: the holiday it belongs to, else the weekend."""
    from soegov.calendar.model import display_name

    name = view.name(d)
    if name:
        return display_name(name, lang)
    return "weekend" if lang == "en" else "周末"


def _deadline_report(result: dict[str, Any], lang: str) -> str:
    from datetime import date

    from soegov.calendar.model import weekday_name
    from soegov.calendar.store import CalendarView

    en = lang == "en"
    lines = []
    if "working_days" in result:
        n = result["working_days"]
        period = f"{n} working day{'s' if n != 1 else ''}, counted from the next working day" if en else f"{n} 个工作日（自起算后的下一个工作日起计）"
    else:
        n = result["hours"]
        period = f"{n} natural hour{'s' if n != 1 else ''}" if en else f"{n} 个自然小时"
    if en:
        lines.append(f"Due:   {_stamp(result['due'], lang)} (China Standard Time, UTC+8)")
        lines.append(f"From:  {_stamp(result['from'], lang)}")
        lines.append(f"Term:  {period}")
    else:
        lines.append(f"截止时间：{_stamp(result['due'], lang)}（北京时间）")
        lines.append(f"起算时间：{_stamp(result['from'], lang)}")
        lines.append(f"期限：{period}")
    skipped = [date.fromisoformat(s) for s in result["skipped"]]
    if skipped:
        view = CalendarView()
        lines.append(f"Rest days skipped ({len(skipped)}):" if en else f"跳过的休息日（{len(skipped)} 天）：")
        for d in skipped:
            lines.append(f"  {d.isoformat()} {weekday_name(d, lang)}  {_day_label(d, lang, view)}")
    elif "working_days" in result:
        lines.append("Rest days skipped: none" if en else "跳过的休息日：无")
    for note in result["notes"]:
        prefix = "WARNING" if note["code"] == "calendar_incomplete" else "Note"
        if not en:
            prefix = "警告" if note["code"] == "calendar_incomplete" else "说明"
        lines.append(f"{prefix}: {note['message']}" if en else f"{prefix}：{note['message']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- calendar import | show | years


def _run_import(args: argparse.Namespace) -> int:
    from soegov.cli_support import emit_json, guarded

    def body() -> int:
        from soegov.calendar.store import import_year, show_year

        schedule = import_year(args.file)
        warnings = [note.as_dict(args.lang) for note in schedule.warnings]
        if args.json:
            shown = show_year(schedule.year, args.lang)
            shown["path"] = str(schedule.path)
            shown["warnings"] = warnings
            emit_json(shown)
            return 0
        if args.lang == "en":
            print(
                f"Imported the {schedule.year} holiday schedule ({schedule.document}): "
                f"{len(schedule.holidays)} holidays, {len(schedule.workdays)} make-up workdays."
            )
            print(f"Stored in: {schedule.path}")
        else:
            print(
                f"已导入 {schedule.year} 年节假日安排（{schedule.document}）："
                f"放假 {len(schedule.holidays)} 天，调休上班 {len(schedule.workdays)} 天。"
            )
            print(f"保存于：{schedule.path}")
        for note in warnings:
            print(f"Warning: {note['message']}" if args.lang == "en" else f"提示：{note['message']}")
        return 0

    return guarded(args, body)


def _source_label(row: dict[str, Any], lang: str) -> str:
    if row["source"] == "library":
        return f"package {row['document']}" if lang == "en" else f"{row['document']} 库"
    if row["source"] == "imported":
        return f"imported ({row['document']})" if lang == "en" else f"导入（{row['document']}）"
    return "none (weekends only)" if lang == "en" else "无（只按周末计算）"


def _run_show(args: argparse.Namespace) -> int:
    from soegov.cli_support import emit_json, guarded

    def body() -> int:
        from datetime import date

        from soegov.calendar.model import weekday_name
        from soegov.calendar.store import show_year
        from soegov.core.errors import InputError

        try:
            year = int(args.year)
        except ValueError:
            raise InputError(
                "invalid_year", f"year 必须是整数年份，收到“{args.year}”", "year", f"year must be an integer, got '{args.year}'"
            ) from None
        shown = show_year(year, args.lang)
        if args.json:
            emit_json(shown)
            return 0
        en = args.lang == "en"
        label = _source_label(shown, args.lang)
        print(f"{year} holiday schedule, source: {label}" if en else f"{year} 年节假日安排，来源：{label}")
        if shown.get("imported_at"):
            print(f"Imported at: {shown['imported_at']}" if en else f"导入时间：{shown['imported_at']}")
        sections = (("holidays", "Holidays", "放假"), ("workdays", "Make-up workdays", "调休上班"))
        for key, title_en, title_zh in sections:
            days = shown[key]
            if shown["source"] == "none":
                continue
            print(f"{title_en} ({len(days)}):" if en else f"{title_zh}（{len(days)} 天）：")
            for iso, name in days.items():
                print(f"  {iso} {weekday_name(date.fromisoformat(iso), args.lang)}  {name}")
        for note in shown["notes"]:
            print(f"Note: {note['message']}" if en else f"说明：{note['message']}")
        return 0

    return guarded(args, body)


def _run_years(args: argparse.Namespace) -> int:
    from soegov.cli_support import emit_json, guarded

    def body() -> int:
        from soegov.calendar.store import list_years

        rows = list_years()
        if args.json:
            emit_json({"years": rows})
            return 0
        # Runs of consecutive years from the same source print as one line (2004–2026).
        runs: list[tuple[int, int, dict[str, Any]]] = []
        for row in rows:
            last = runs[-1] if runs else None
            if (
                last
                and row["year"] == last[1] + 1
                and row["source"] == last[2]["source"] == "library"
                and row["document"] == last[2]["document"]
            ):
                runs[-1] = (last[0], row["year"], last[2])
            else:
                runs.append((row["year"], row["year"], row))
        if not runs:
            print("No holiday schedule is held." if args.lang == "en" else "未掌握任何年份的节假日安排。")
        for first, last_year, row in runs:
            span = f"{first}–{last_year}" if first != last_year else str(first)
            print(f"{span:<10} {_source_label(row, args.lang)}")
        return 0

    return guarded(args, body)
