"""Administration commands: demo, serve, worker, scheduler, check, migrate, createadmin, manage (audit: soegov.audit.cli).

Registration stays cheap: Django is imported only inside the handlers.
"""

from __future__ import annotations

import argparse
import os
import sys

# Not `from typing import ...`: this module is imported on every `soegov` start, which is benchmarked.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def setup_django() -> None:
    """Configure and start Django with soegov's settings (once)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soegov.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        # A setting with a wrong value is the operator's to fix: say which, without a traceback.
        print(f"soegov: 配置错误 / configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _migrate(verbosity: int = 1) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    # The cache table, when the cache lives in the database (SOEGOV_CACHE_URL=db); nothing otherwise.
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def cmd_migrate(args: argparse.Namespace) -> int:
    """Create or update the database schema and collect static files."""
    from django.core.management.base import CommandError

    setup_django()
    try:
        _migrate(verbosity=1)
    except CommandError as exc:
        # A migration that refuses data it cannot convert says which rows and what to do (no traceback).
        print(f"soegov migrate: {exc}", file=sys.stderr)
        return 2
    return 0


def system_checks(*, deploy: bool = False, full: bool = True) -> bool:
    """Django's system checks (full) or the deployment settings' own (sso), plus whether the services answer
    (task queue, cache, object store, replica, identity providers); prints what they found.

    Errors (a setting missing or malformed, Redis or the bucket unreachable) stop the start; warnings (an
    identity provider that does not answer now) are printed and the start goes on.
    """
    from django.core import checks

    from soegov.web.deploy_checks import TAG

    # Every Django check takes seconds (URLs, models, templates); `soegov serve` runs the ones about settings.
    settings_tags = ["sso", "notices", "collector", "soegov_security"]
    found = list(checks.run_checks(include_deployment_checks=deploy, tags=None if full else settings_tags))
    if not deploy:
        found += checks.run_checks(tags=["sso_reachability", TAG], include_deployment_checks=True)
    shown = [m for m in found if not m.is_silenced()]
    errors = [m for m in shown if m.is_serious()]
    for m in shown:
        hint = f"\n    提示：{m.hint}" if m.hint else ""
        print(f"{'错误' if m.is_serious() else '警告'} [{m.id}] {m.msg}{hint}", file=sys.stderr)
    if errors:
        print(f"soegov: 配置有 {len(errors)} 处错误，未启动；请按上面的提示修改环境变量（见 docs/web.md）。", file=sys.stderr)
    return not errors


def cmd_check(args: argparse.Namespace) -> int:
    """Every system check (settings, models, URLs, SSO providers) without starting; exit 2 on errors."""
    setup_django()
    ok = system_checks(deploy=args.deploy)
    if ok:
        print("配置检查通过（警告不妨碍启动）。")
    return 0 if ok else 2


def serve(host: str, port: int, threads: int = 8, *, worker: bool = True) -> int:
    """Run the production WSGI server (waitress) in the foreground, after the configuration checks, with the
    embedded task-queue worker when no broker is configured."""
    import logging
    import signal

    from django.conf import settings
    from waitress.server import create_server

    if not system_checks(full=False):
        return 2
    from soegov.web.wsgi import application

    if host not in settings.ALLOWED_HOSTS and host not in {"0.0.0.0", "::"}:
        print(f"提示：{host} 不在 SOEGOV_ALLOWED_HOSTS 中，按此地址访问会被拒绝（400）。", file=sys.stderr)
    child = None
    if worker and not settings.SOEGOV_BROKER_URL and not settings.SOEGOV_JOBS_EAGER:
        # The embedded mode: no broker configured, so this server starts the one worker (and scheduler)
        # itself. With SOEGOV_BROKER_URL, workers and the scheduler are started on their own (docs/deploy.md).
        from soegov.jobs.worker import start_embedded

        log_path = settings.DATA_DIR / "worker.log"
        child = start_embedded(log_path)
        print(f"内嵌任务执行进程已启动（pid {child.pid}，日志 {log_path}）；"
              "多台服务器部署请设置 SOEGOV_BROKER_URL 并单独运行 soegov worker / soegov scheduler", flush=True)
    # SIGTERM (systemd, a container stop) ends waitress like Ctrl+C, and tells the embedded worker to stop at
    # the same moment, so the two shut down together.
    def _exit_on_signal(signum: int, frame: Any) -> None:
        if child is not None:
            from soegov.jobs.worker import ask_embedded_to_stop

            ask_embedded_to_stop(child)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _exit_on_signal)
    status = 0
    try:
        logging.basicConfig()  # as waitress.serve does, so that waitress's own warnings are printed
        server = create_server(application, host=host, port=port, threads=threads, ident="soegov")
        # The address is printed once the socket listens (create_server binds it): whoever opens it at once,
        # a person or a script waiting for this line, is answered instead of refused.
        print(f"soegov 服务地址：http://{host}:{port}/  （Ctrl+C 停止）", flush=True)
        server.run()
    except OSError as exc:
        print(f"soegov: 无法在 {host}:{port} 上监听（{exc.strerror or exc}）；请用 --port 换一个端口。", file=sys.stderr)
        status = 1
    finally:
        if child is not None:
            from soegov.jobs.worker import stop_embedded

            stop_embedded(child)
    return status


def refuse_demo_accounts() -> bool:
    """True (after saying why and how to fix it) when the database holds demo accounts open with the demo password."""
    from django.conf import settings

    from soegov.demo.accounts import DEMO_PASSWORD, live_demo_accounts
    from soegov.paths import demo_dir

    try:
        found = live_demo_accounts()
    except Exception:  # no schema yet: `serve` says so itself a moment later
        return False
    if not found:
        return False
    db = settings.DATABASES["default"]["NAME"]
    shown = "、".join(found[:5]) + (f" 等 {len(found)} 个" if len(found) > 5 else "")
    print(f"soegov: 拒绝启动：数据库 {db} 中有演示账号（{shown}）仍使用公开的演示密码 {DEMO_PASSWORD}，任何人都能用它们登录。\n"
          f"这是演示数据；`soegov demo` 的数据放在单独的目录 {demo_dir()}（SOEGOV_DEMO_DIR），不应由 soegov serve 提供服务。\n"
          "正式部署请任选其一：\n"
          "  1) 使用新的数据目录（SOEGOV_DATA_DIR）或数据库（DATABASE_URL），执行 soegov migrate 和 soegov createadmin；\n"
          "  2) 在这个数据库中停用这些账号或修改其密码（系统管理员 → 用户管理）。\n"
          "仅在本机试用演示数据时，可加 --allow-demo-accounts 明确允许。", file=sys.stderr)
    return True


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve a real deployment (refused on a database that still holds the demo accounts)."""
    setup_django()
    if not args.allow_demo_accounts and refuse_demo_accounts():
        return 2
    return serve(args.host, args.port, args.threads, worker=not args.no_worker)


def cmd_worker(args: argparse.Namespace) -> int:
    """Run a task-queue worker (the embedded one also runs the scheduler)."""
    setup_django()
    from soegov.jobs.worker import run_worker

    if not system_checks(full=False):
        return 2
    if args.embedded:
        return run_worker(concurrency=2, pool="threads", beat=True, loglevel=args.loglevel, parent_pid=args.parent_pid)
    return run_worker(concurrency=args.concurrency, pool=args.pool, beat=args.beat, loglevel=args.loglevel)


def cmd_scheduler(args: argparse.Namespace) -> int:
    """Run the queue's scheduler (celery beat): periodic reminders and the sweep of lost jobs."""
    setup_django()
    from soegov.jobs.worker import run_scheduler

    if not system_checks(full=False):
        return 2
    return run_scheduler(loglevel=args.loglevel)


def _demo_banner() -> str:
    """The demo's jurisdictions as a person names them: the place, its supervisor, the regulations it applies."""
    from soegov.core.names import pack_title
    from soegov.enterprises.models import Jurisdiction

    lines = ["soegov 演示数据已就绪："]
    for j in Jurisdiction.objects.order_by("pk"):
        texts = "、".join(f"《{pack_title(p)}》" for p in j.policy_packs)
        lines.append(f"  {j.name}　{j.supervisor}" + (f"　适用{texts}" if texts else ""))
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    """Migrate, load the demo data, print the accounts, then serve."""
    # The demo runs without the TOTP step so the printed accounts work at once, and always on its own
    # SQLite file in its own data directory, never on a database or folder `soegov serve` uses.
    from soegov.paths import demo_dir

    os.environ["SOEGOV_TOTP_REQUIRED"] = "0"
    os.environ.pop("DATABASE_URL", None)
    os.environ["SOEGOV_DATA_DIR"] = str(demo_dir())
    os.environ.pop("SOEGOV_KEY_DIR", None)
    setup_django()
    _migrate(verbosity=0)
    from django.conf import settings

    from soegov.demo.accounts import DEMO_PASSWORD
    from soegov.demo.load import load_demo

    accounts = load_demo()
    url = f"http://127.0.0.1:{args.port}/"
    print(_demo_banner())
    print(f"数据库：{settings.DATABASES['default']['NAME']}")
    print(f"地址：{url}")
    print(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, role_label, scope in accounts:
        print(f"  {username:<22} {role_label:<12} {scope}")
    print("演示模式下未启用动态口令（TOTP）第二重验证；正式部署 (soegov serve) 对监管与管理员角色默认强制启用。")
    from soegov.demo.signatures import DEMO_PIN

    print(f"电子签名：xd_member 投票和在会议记录上签字时输入签名密码 {DEMO_PIN}（演示用；正式使用时由本人设置）。")
    if args.no_serve:
        return 0
    return serve("127.0.0.1", args.port)


def cmd_createadmin(args: argparse.Namespace) -> int:
    """Create one of the three administrator accounts."""
    setup_django()
    import getpass

    from soegov.accounts.services import user_create
    from soegov.core.errors import SoegovError

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("密码：")
    try:
        user = user_create(actor=None, username=args.username, password=password, role=args.role,
                           full_name=args.full_name or "")
    except SoegovError as exc:
        from soegov.cli_support import fail

        return fail(exc, args)
    print(f"已创建 {user.username}（{user.role_label}）")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    """Pass the arguments through to Django's management commands."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["soegov manage", *args.args])
    return 0


def add_commands(sub: Any) -> None:
    """Register the web and administration sub-commands."""
    p = sub.add_parser("demo", help="载入演示数据并启动（http://127.0.0.1:8000）")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="只载入数据，不启动服务")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("serve", help="以生产服务器 (waitress) 运行")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--no-worker", action="store_true",
                   help="不启动内嵌任务执行进程（未设置 SOEGOV_BROKER_URL 时默认启动）")
    p.add_argument("--allow-demo-accounts", action="store_true",
                   help="数据库中有使用演示密码的演示账号时仍启动（仅限本机试用）")
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("worker", help="运行任务队列执行进程（Celery worker）")
    p.add_argument("--concurrency", type=int, default=None, help="并行任务数（默认为 CPU 核数）")
    p.add_argument("--pool", choices=["prefork", "threads", "solo"], default="prefork")
    p.add_argument("--beat", action="store_true", help="同时运行定时调度（整个部署只能有一个）")
    p.add_argument("--loglevel", default="INFO")
    p.add_argument("--embedded", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_worker)

    p = sub.add_parser("scheduler", help="运行定时调度（celery beat：期限提醒、失联任务重派；整个部署只运行一个）")
    p.add_argument("--loglevel", default="INFO")
    p.set_defaults(handler=cmd_scheduler)

    p = sub.add_parser("check", help="检查配置（含统一身份认证）而不启动服务")
    p.add_argument("--deploy", action="store_true", help="同时做 Django 的部署检查（HTTPS、Cookie 等）")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("migrate", help="创建或升级数据库并收集静态文件")
    p.set_defaults(handler=cmd_migrate)

    p = sub.add_parser("createadmin", help="创建系统/安全/审计管理员账号")
    p.add_argument("username")
    p.add_argument("--role", choices=["system_admin", "security_admin", "audit_admin"], default="system_admin")
    p.add_argument("--full-name")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    p.set_defaults(handler=cmd_createadmin)

    p = sub.add_parser("manage", help="Django 管理命令（透传）", add_help=False)
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(handler=cmd_manage)
