"""Bad SSO configuration is a clear message at start-up (`soegov check`, `soegov serve`), not a failure at first use."""

from __future__ import annotations

import socket

import pytest

from soegov.cli import main
from soegov.identity.checks import (
    check_cas_settings,
    check_login_settings,
    check_oidc_settings,
    check_providers_answer,
)
from soegov.identity.env import sso_settings


def _configure(settings, **env: str) -> None:  # type: ignore[no-untyped-def]
    for key, value in sso_settings(env).items():
        setattr(settings, key, value)


def _ids(messages: list) -> set[str]:  # type: ignore[type-arg]
    return {m.id for m in messages}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_nothing_configured_is_fine(settings) -> None:  # type: ignore[no-untyped-def]
    _configure(settings)
    assert check_oidc_settings() == [] and check_cas_settings() == [] and check_login_settings() == []
    assert check_providers_answer() == []


def test_a_missing_client_id_and_secret_are_named(settings) -> None:  # type: ignore[no-untyped-def]
    _configure(settings, SOEGOV_OIDC_ISSUER="https://sso.example.gov.cn/realms/group")
    found = check_oidc_settings()
    assert _ids(found) == {"soegov.identity.E002", "soegov.identity.E003"}
    assert "SOEGOV_OIDC_CLIENT_ID" in found[0].msg


def test_a_secret_file_that_cannot_be_read_is_named(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _configure(settings, SOEGOV_OIDC_ISSUER="https://sso.example.gov.cn", SOEGOV_OIDC_CLIENT_ID="soegov",
               SOEGOV_OIDC_CLIENT_SECRET_FILE=str(tmp_path / "missing"))
    (msg,) = check_oidc_settings()
    assert msg.id == "soegov.identity.E003" and str(tmp_path / "missing") in msg.msg
    (tmp_path / "secret").write_text("s3cret\n")
    _configure(settings, SOEGOV_OIDC_ISSUER="https://sso.example.gov.cn", SOEGOV_OIDC_CLIENT_ID="soegov",
               SOEGOV_OIDC_CLIENT_SECRET_FILE=str(tmp_path / "secret"))
    assert check_oidc_settings() == [] and settings.OIDC_RP_CLIENT_SECRET == "s3cret"


@pytest.mark.parametrize("bad", ["sso.example.gov.cn", "ftp://sso.example.gov.cn", "https://", "https://a:99999/x",
                                 "https://sso example"])
def test_malformed_addresses_are_refused(settings, bad: str) -> None:  # type: ignore[no-untyped-def]
    _configure(settings, SOEGOV_OIDC_ISSUER=bad, SOEGOV_OIDC_CLIENT_ID="c", SOEGOV_OIDC_CLIENT_SECRET="s",
               SOEGOV_CAS_SERVER_URL=bad)
    assert "soegov.identity.E001" in _ids(check_oidc_settings())
    assert "soegov.identity.E011" in _ids(check_cas_settings())


def test_endpoints_without_discovery_need_an_issuer_and_every_endpoint(settings) -> None:  # type: ignore[no-untyped-def]
    _configure(settings, SOEGOV_OIDC_CLIENT_ID="c", SOEGOV_OIDC_CLIENT_SECRET="s",
               SOEGOV_OIDC_AUTHORIZATION_ENDPOINT="https://sso.example.gov.cn/auth")
    messages = [m.msg for m in check_oidc_settings()]
    assert any("SOEGOV_OIDC_TOKEN_ENDPOINT" in m for m in messages)
    assert any("须设置 SOEGOV_OIDC_ISSUER" in m for m in messages)


def test_other_values_out_of_range(settings) -> None:  # type: ignore[no-untyped-def]
    _configure(settings, SOEGOV_OIDC_ISSUER="https://sso.example.gov.cn", SOEGOV_OIDC_CLIENT_ID="c",
               SOEGOV_OIDC_CLIENT_SECRET="s", SOEGOV_OIDC_SIGN_ALGO="none", SOEGOV_OIDC_SCOPES="profile",
               SOEGOV_CAS_SERVER_URL="https://cas.example.gov.cn/cas/", SOEGOV_CAS_VERSION="1",
               SOEGOV_SSO_TIMEOUT_SECONDS="-3", SOEGOV_LOCAL_LOGIN="admins")
    assert {"soegov.identity.E005", "soegov.identity.E006"} <= _ids(check_oidc_settings())
    assert _ids(check_cas_settings()) == {"soegov.identity.E012"}
    assert _ids(check_login_settings()) == {"soegov.identity.E022"}
    _configure(settings, SOEGOV_LOCAL_LOGIN="admins")
    assert _ids(check_login_settings()) == {"soegov.identity.E021"}


def test_an_unreachable_provider_is_a_warning_and_serve_refuses_only_errors(settings, capsys) -> None:  # type: ignore[no-untyped-def]
    port = _closed_port()
    _configure(settings, SOEGOV_OIDC_ISSUER=f"http://127.0.0.1:{port}/o", SOEGOV_OIDC_CLIENT_ID="c",
               SOEGOV_OIDC_CLIENT_SECRET="s", SOEGOV_CAS_SERVER_URL=f"http://127.0.0.1:{port}/cas/",
               SOEGOV_SSO_TIMEOUT_SECONDS="2")
    found = check_providers_answer()
    assert _ids(found) == {"soegov.identity.W101", "soegov.identity.W102"}
    assert all(m.level < 40 for m in found)
    assert main(["check"]) == 0
    err = capsys.readouterr().err
    assert "W101" in err and f"127.0.0.1:{port}" in err and "服务照常启动" in err
    settings.OIDC_RP_CLIENT_ID = ""
    assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert "SOEGOV_OIDC_CLIENT_ID" in err and "未启动" in err


def test_a_provider_answering_with_another_issuer_is_reported(settings, oidc_provider) -> None:  # type: ignore[no-untyped-def]
    _configure(settings, SOEGOV_OIDC_ISSUER=f"{oidc_provider.url}/o", SOEGOV_OIDC_CLIENT_ID="c",
               SOEGOV_OIDC_CLIENT_SECRET="s")
    assert check_providers_answer() == []
    settings.SOEGOV_OIDC_ISSUER = "https://elsewhere.example.gov.cn/o"
    (msg,) = check_providers_answer()
    assert "不一致" in msg.msg
