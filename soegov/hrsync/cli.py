"""`soegov hrsync run` / `soegov hrsync history`: the HR sync from the command line (and cron, until the queue)."""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _print_report(run: Any, as_json: bool) -> None:
    from soegov.hrsync.services import SECTIONS

    if as_json:
        import json

        print(json.dumps({"run": run.pk, "status": run.status, "source": run.source, "digest": run.digest,
                          "as_of": run.as_of.isoformat() if run.as_of else None, "report": run.report},
                         ensure_ascii=False))
        return
    verb = "预览（未修改任何数据）" if run.status == "previewed" else "已应用"
    print(f"人事同步 #{run.pk} {verb}：{run.source}（截至 {run.as_of}，SHA-256 {run.digest[:12]}…）")
    items = run.report.get("items", {})
    for key, title in SECTIONS.items():
        rows = items.get(key) or []
        if rows:
            print(f"{title}：{len(rows)}")
            for row in rows:
                print(f"  - {row}")
    if not any(items.get(k) for k in SECTIONS):
        print("与人事系统一致，没有变化。")


def cmd_run(args: argparse.Namespace) -> int:
    """Read a file or the HR interface, then preview (--dry-run) or apply."""
    from soegov.web.cli import setup_django

    setup_django()
    from django.conf import settings

    from soegov.cli_support import fail
    from soegov.core.errors import SoegovError
    from soegov.hrsync import services, sources, tables
    from soegov.user_input import clean_date

    try:
        as_of = clean_date(args.as_of, "as_of", "截至日期", required=False)
        if args.file:
            try:
                with open(args.file, "rb") as fh:
                    data = fh.read(tables.MAX_BYTES + 1)
            except OSError as exc:
                raise SoegovError("file_unreadable", f"无法读取 {args.file}（{exc.strerror}）", "file") from None
            source = args.file
            dataset = sources.dataset_from_bytes(data, args.file, as_of=as_of)
        else:
            source = args.url or settings.SOEGOV_HRSYNC_URL
            if not source:
                raise SoegovError("no_source", "请给出文件，或 --url，或设置 SOEGOV_HRSYNC_URL", "url")
            dataset = sources.dataset_from_url(source, token=settings.SOEGOV_HRSYNC_TOKEN, as_of=as_of)
    except SoegovError as exc:
        if not args.dry_run:
            services.sync_failed(actor=None, source=args.file or args.url or "", trigger="cli", error=exc)
        _errors(exc)
        return fail(exc, args)
    try:
        run = services.sync_run(actor=None, dataset=dataset, source=source, trigger="cli", dry_run=args.dry_run)
    except SoegovError as exc:
        return fail(exc, args)
    _print_report(run, args.json)
    return 0


def _errors(exc: Any) -> None:
    for e in getattr(exc, "errors", [])[1:]:
        print(f"  第 {e.row} 行“{e.column}”：{e.message}", file=sys.stderr)


def cmd_history(args: argparse.Namespace) -> int:
    """The last sync runs."""
    from soegov.web.cli import setup_django

    setup_django()
    from soegov.hrsync.models import SyncRun

    for run in SyncRun.objects.order_by("-id")[: args.limit]:
        counts = run.report.get("counts", {}) if run.report else {}
        changed = sum(v for k, v in counts.items() if k != "notes")
        print(f"#{run.pk} {run.started_at:%Y-%m-%d %H:%M} {run.get_status_display()} {run.trigger} {run.source} "
              f"变化 {changed} 项{('：' + run.error) if run.error else ''}")
    return 0


def add_commands(sub: Any) -> None:
    """Register `soegov hrsync`."""
    p = sub.add_parser("hrsync", help="与集团人事系统同步人员、领导职务和决策机构成员")
    hs = p.add_subparsers(dest="hrsync_command", metavar="ACTION")
    r = hs.add_parser("run", help="读取文件（CSV/xlsx/JSON）或人事系统接口，预览或应用")
    r.add_argument("file", nargs="?", help="CSV、.xlsx 或 .json 文件")
    r.add_argument("--url", help="人事系统接口地址（默认 SOEGOV_HRSYNC_URL）")
    r.add_argument("--dry-run", action="store_true", help="只预览变化，不修改数据")
    r.add_argument("--as-of", help="截至日期 YYYY-MM-DD（默认今天）")
    r.add_argument("--json", action="store_true")
    r.set_defaults(handler=cmd_run)
    h = hs.add_parser("history", help="最近的同步记录")
    h.add_argument("--limit", type=int, default=20)
    h.set_defaults(handler=cmd_history)
