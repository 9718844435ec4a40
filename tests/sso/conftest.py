"""Real identity providers for the SSO tests: an OIDC provider (django-oauth-toolkit) and a CAS server
(django-mama-cas), each a process of its own on 127.0.0.1 with a free port, started once per test session and
stopped at its end."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "soegov-test", "s3cret-for-tests-only"
# A fixed base32 TOTP key (hex for django-otp) of the provider user who logs in with a second factor.
TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
PROVIDER_USERS = [
    {"username": "zhangwei", "password": "Prov#der-pass1", "name": "张伟", "employee_number": "E1001"},
    {"username": "lina", "password": "Prov#der-pass2", "name": "李娜", "employee_number": "E1002",
     "totp_key": TOTP_KEY_HEX},
    {"username": "wangfang", "password": "Prov#der-pass3", "name": "王芳", "employee_number": "E1003"},
    {"username": "stranger", "password": "Prov#der-pass4", "name": "陌生人", "employee_number": "E9999"},
]
PASSWORDS = {u["username"]: u["password"] for u in PROVIDER_USERS}


@dataclass
class RunningProvider:
    kind: str
    url: str
    process: subprocess.Popen[str]


def _launch(kind: str, tmp: Path) -> subprocess.Popen[str]:
    seed = tmp / f"{kind}-seed.json"
    seed.write_text(json.dumps({"users": PROVIDER_USERS, "clients": [{
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "redirect_uris": ["http://testserver/accounts/sso/oidc/callback/",
                          "http://127.0.0.1/accounts/sso/oidc/callback/",
                          "http://localhost/accounts/sso/oidc/callback/"]}]}))
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    log = (tmp / f"{kind}.log").open("w")
    return subprocess.Popen([sys.executable, "-m", "tests.sso.providers.serve", kind, str(tmp / kind), str(seed)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)


def _ready(kind: str, proc: subprocess.Popen[str], tmp: Path) -> RunningProvider:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 90)
    line = proc.stdout.readline() if ready else ""
    match = re.match(r"READY (\d+)", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"the {kind} test provider did not start: {(tmp / f'{kind}.log').read_text()[-2000:]}")
    return RunningProvider(kind, f"http://127.0.0.1:{match.group(1)}", proc)


def _stop(provider: RunningProvider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait()


@pytest.fixture(scope="session")
def sso_providers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningProvider]]:
    """Both providers, started side by side (each migrates its own database) and stopped at the session's end."""
    tmp = tmp_path_factory.mktemp("sso-providers")
    procs = {kind: _launch(kind, tmp) for kind in ("oidc", "cas")}
    running: dict[str, RunningProvider] = {}
    try:
        for kind, proc in procs.items():
            running[kind] = _ready(kind, proc, tmp)
        yield running
    finally:
        for kind, proc in procs.items():
            _stop(running.get(kind) or RunningProvider(kind, "", proc))


@pytest.fixture(scope="session")
def oidc_provider(sso_providers: dict[str, RunningProvider]) -> RunningProvider:
    return sso_providers["oidc"]


@pytest.fixture(scope="session")
def cas_provider(sso_providers: dict[str, RunningProvider]) -> RunningProvider:
    return sso_providers["cas"]


@pytest.fixture
def oidc_on(settings, oidc_provider: RunningProvider) -> RunningProvider:  # type: ignore[no-untyped-def]
    """soegov configured for the OIDC test provider, as an operator would through SOEGOV_OIDC_*."""
    from soegov.identity.env import sso_settings

    env = {"SOEGOV_OIDC_ISSUER": f"{oidc_provider.url}/o", "SOEGOV_OIDC_CLIENT_ID": CLIENT_ID,
           "SOEGOV_OIDC_CLIENT_SECRET": CLIENT_SECRET, "SOEGOV_SSO_TIMEOUT_SECONDS": "10"}
    for key, value in sso_settings(env).items():
        if key.startswith(("SOEGOV_OIDC", "OIDC_", "SOEGOV_SSO")):
            setattr(settings, key, value)
    return oidc_provider


@pytest.fixture
def cas_on(settings, cas_provider: RunningProvider) -> RunningProvider:  # type: ignore[no-untyped-def]
    """soegov configured for the CAS test server (SOEGOV_CAS_SERVER_URL, CAS 3)."""
    settings.CAS_SERVER_URL = f"{cas_provider.url}/cas/"
    settings.CAS_VERSION = "3"
    settings.SOEGOV_SSO_TIMEOUT_SECONDS = 10
    return cas_provider


def _csrf(session: requests.Session, html: str, cookie: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else session.cookies.get(cookie, "")


def provider_login_oidc(authorize_url: str, username: str, *, otp: str = "") -> str:
    """Play the browser at the OIDC provider: its login page, then the authorization; the callback address."""
    s = requests.Session()
    r = s.get(authorize_url, allow_redirects=False, timeout=30)
    assert r.status_code == 302, r.text[:500]
    login_url = requests.compat.urljoin(authorize_url, r.headers["Location"])
    page = s.get(login_url, timeout=30)
    nxt = re.search(r'name="next" value="([^"]*)"', page.text)
    data = {"username": username, "password": PASSWORDS[username], "otp_token": otp,
            "csrfmiddlewaretoken": _csrf(s, page.text, "provider_csrftoken"),
            "next": nxt.group(1).replace("&amp;", "&") if nxt else ""}
    r = s.post(login_url, data=data, allow_redirects=False, timeout=30, headers={"Referer": login_url})
    assert r.status_code == 302, f"provider login refused: {r.text[:300]}"
    r = s.get(requests.compat.urljoin(login_url, r.headers["Location"]), allow_redirects=False, timeout=30)
    assert r.status_code == 302, r.text[:500]
    return str(r.headers["Location"])


def provider_login_cas(login_url: str, username: str) -> str:
    """Play the browser at the CAS server: its login form; the service address with the ticket."""
    s = requests.Session()
    page = s.get(login_url, timeout=30)
    assert page.status_code == 200, page.text[:300]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text))
    fields.update({"username": username, "password": PASSWORDS[username],
                   "csrfmiddlewaretoken": _csrf(s, page.text, "provider_csrftoken")})
    r = s.post(page.url, data=fields, allow_redirects=False, timeout=30, headers={"Referer": page.url})
    assert r.status_code == 302, f"CAS login refused: {r.text[:500]}"
    return str(r.headers["Location"])


def local(url: str) -> str:
    """The path and query of an address on soegov's test server, for the Django test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
