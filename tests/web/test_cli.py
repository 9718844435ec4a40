"""The administration commands: cheap registration, manage pass-through, createadmin."""

import json
import subprocess
import sys

import pytest

from soegov.accounts.models import User
from soegov.cli import main


def test_registering_web_commands_imports_nothing_heavy() -> None:
    code = (
        "import argparse, sys; before = set(sys.modules); "
        "import soegov.web.cli as c; c.add_commands(argparse.ArgumentParser().add_subparsers()); "
        "print(sorted(set(sys.modules) - before))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(json.loads(proc.stdout.replace("'", '"')))
    assert {m for m in loaded if m.startswith("soegov")} == {"soegov", "soegov.web", "soegov.web.cli"}
    assert not {m for m in loaded if m.startswith(("django", "typing", "json"))}


@pytest.mark.django_db
def test_createadmin_from_stdin(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("青山绿水-Ledger-7Qz!\n"))
    assert main(["createadmin", "root", "--role", "audit_admin", "--password-stdin"]) == 0
    assert User.objects.get(username="root").role == "audit_admin"
    monkeypatch.setattr(sys, "stdin", io.StringIO("weak\n"))
    assert main(["createadmin", "root2", "--password-stdin"]) == 2
    assert "密码长度不能少于 12 位" in capsys.readouterr().err


def test_manage_passes_through(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["manage", "check"]) == 0
    assert "System check identified no issues" in capsys.readouterr().out


@pytest.mark.own_database
def test_serve_runs_the_production_server(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SOEGOV_DATA_DIR"] = str(tmp_path)
    subprocess.run([sys.executable, "-m", "soegov", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    server = subprocess.Popen([sys.executable, "-m", "soegov", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # The address is printed once the server listens: opened at that moment, with no retry, it answers.
        import select

        assert server.stdout is not None
        said = b""
        deadline = time.monotonic() + 120
        while "服务地址".encode() not in said and time.monotonic() < deadline and server.poll() is None:
            if select.select([server.stdout], [], [], 1)[0]:
                said += server.stdout.readline()
        assert "服务地址".encode() in said, said
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as resp:
            body = resp.read()
        assert json.loads(body) == {"status": "ok", "database": "ok", "vendor": "sqlite"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/soegov/htmx.min.js", timeout=5) as resp:
            assert resp.status == 200 and b"htmx" in resp.read(2000)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as resp:
            assert "登录" in resp.read().decode()
        # Concurrent writes through the threaded server on SQLite: no "database is locked", chain intact.
        import concurrent.futures

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda i: _failed_login(port, f"load{i}"), range(12)))
        assert codes == [200] * 12
        verify = subprocess.run([sys.executable, "-m", "soegov", "audit", "verify"], env=env, capture_output=True,
                                text=True, timeout=120)
        assert verify.returncode == 0, verify.stderr
        assert "共 12 条记录" in verify.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)


def _failed_login(port: int, username: str) -> int:
    """One wrong-password login through a real HTTP session (CSRF cookie and token)."""
    import http.cookiejar
    import urllib.error
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"http://127.0.0.1:{port}/accounts/login/"
    opener.open(url, timeout=30).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = f"csrfmiddlewaretoken={token}&username={username}&password=wrong".encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    try:
        with opener.open(request, timeout=30) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.own_database
def test_a_database_not_migrated_is_a_message_not_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SOEGOV_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="soegov.web.settings")
    proc = subprocess.run([sys.executable, "-m", "soegov", "followup", "remind"], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "数据库尚未建立" in proc.stderr and "soegov migrate" in proc.stderr and "database_not_ready" not in proc.stderr
