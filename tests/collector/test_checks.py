"""The reporting settings are checked at start-up, each mistake named in Chinese (the notices' mechanism)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from soegov.collector import signing
from soegov.collector.checks import check_collector_settings
from soegov.collector.env import SEND_KIND, collector_settings, schedule
from soegov.signatures import sm2


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "collector.key"
    path.write_text(signing.key_file_text("K-1", sm2.generate_keypair()[0]), encoding="utf-8")
    path.chmod(0o600)
    return path


def _set(settings: Any, **values: str) -> list[str]:
    for name, value in collector_settings({}).items():
        setattr(settings, name, value)
    for name, value in values.items():
        setattr(settings, name, value)
    return [f"{m.id} {m.msg}" for m in check_collector_settings()]


def test_nothing_set_is_fine_and_a_full_configuration_passes(settings: Any, key_file: Path) -> None:
    assert _set(settings) == []
    assert _set(settings, SOEGOV_COLLECTOR_URL="https://gzw.example.cn/api/v1/exchange/collector/packages",
                SOEGOV_COLLECTOR_KEY_ID="91530129MA6K000000-0a1b2c3d", SOEGOV_COLLECTOR_KEY_FILE=str(key_file)) == []


def test_half_a_configuration_names_what_is_missing(settings: Any) -> None:
    [msg] = _set(settings, SOEGOV_COLLECTOR_URL="https://gzw.example.cn/c")
    assert "E001" in msg and "SOEGOV_COLLECTOR_KEY_FILE" in msg and "SOEGOV_COLLECTOR_KEY_ID" in msg


def test_plain_http_is_for_this_machine_only_and_a_bad_key_file_is_named(settings: Any, key_file: Path,
                                                                           tmp_path: Path) -> None:
    full = {"SOEGOV_COLLECTOR_KEY_ID": "K-1", "SOEGOV_COLLECTOR_KEY_FILE": str(key_file)}
    assert _set(settings, SOEGOV_COLLECTOR_URL="http://127.0.0.1:8000/c", **full) == []
    [msg] = _set(settings, SOEGOV_COLLECTOR_URL="http://gzw.example.cn/c", **full)
    assert "E003" in msg and "https://" in msg
    [msg] = _set(settings, SOEGOV_COLLECTOR_URL="gzw.example.cn", **full)
    assert "E002" in msg
    bad = tmp_path / "bad.key"
    bad.write_text("hello", encoding="utf-8")
    [msg] = _set(settings, SOEGOV_COLLECTOR_URL="https://g.example.cn/c", SOEGOV_COLLECTOR_KEY_ID="K-1",
                 SOEGOV_COLLECTOR_KEY_FILE=str(bad))
    assert "E004" in msg and "不是 SM2 私钥" in msg
    key_file.chmod(0o644)
    [msg] = _set(settings, SOEGOV_COLLECTOR_URL="https://g.example.cn/c", **full)
    assert "W001" in msg and "可被其他用户读取" in msg


def test_numbers_and_the_ca_bundle_are_checked(settings: Any) -> None:
    found = _set(settings, SOEGOV_COLLECTOR_SCHEDULE_RAW="每小时", SOEGOV_COLLECTOR_RETRY_RAW="0",
                 SOEGOV_COLLECTOR_CA_BUNDLE="/nonexistent/ca.pem")
    assert sum("E005" in m for m in found) == 2 and any("E006" in m and "/nonexistent/ca.pem" in m for m in found)


def test_the_schedule_setting_feeds_the_schedulers_intervals() -> None:
    values = collector_settings({"SOEGOV_COLLECTOR_SCHEDULE_MINUTES": "15", "SOEGOV_COLLECTOR_URL": "https://g.example.cn/c"})
    assert schedule(values, {"matters.remind": 30.0}) == {"matters.remind": 30.0, SEND_KIND: 15.0}
    assert schedule(values, {SEND_KIND: 5.0}) == {SEND_KIND: 5.0}  # SOEGOV_SCHEDULE_MINUTES names it: it wins
    # No collector configured: the scheduler does not start the sending job at all.
    assert schedule(collector_settings({}), {}) == {SEND_KIND: 0.0}


def test_serve_stops_on_a_bad_configuration(settings: Any, capsys: Any) -> None:
    from soegov.web.cli import system_checks

    _set(settings, SOEGOV_COLLECTOR_URL="http://gzw.example.cn/c")
    assert system_checks(full=False) is False
    assert "SOEGOV_COLLECTOR_KEY_ID" in capsys.readouterr().err
