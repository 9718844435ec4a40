"""The reporting settings are checked at start-up, each mistake named in Chinese (the notices' mechanism)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from soegov.collector import signing
from soegov.collector.checks import check_collector_settings
from soegov.collector.env import AUTO_KIND, SEND_KIND, collector_settings, schedule
from soegov.signatures import sm2

KEY_ID = "91530129MA6K000000-0a1b2c3d"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "collector.key"
    path.write_text(signing.key_file_text(KEY_ID, sm2.generate_keypair()[0]), encoding="utf-8")
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
    full = {"SOEGOV_COLLECTOR_KEY_ID": KEY_ID, "SOEGOV_COLLECTOR_KEY_FILE": str(key_file)}
    assert _set(settings, SOEGOV_COLLECTOR_URL="http://127.0.0.1:8000/c", **full) == []
    [msg] = _set(settings, SOEGOV_COLLECTOR_URL="http://gzw.example.cn/c", **full)
    assert "E003" in msg and "https://" in msg
    [msg] = _set(settings, SOEGOV_COLLECTOR_URL="gzw.example.cn", **full)
    assert "E002" in msg
    bad = tmp_path / "bad.key"
    bad.write_text("hello", encoding="utf-8")
    [msg] = _set(settings, SOEGOV_COLLECTOR_URL="https://g.example.cn/c", SOEGOV_COLLECTOR_KEY_ID=KEY_ID,
                 SOEGOV_COLLECTOR_KEY_FILE=str(bad))
    assert "E004" in msg and "不是 SM2 私钥" in msg
    key_file.chmod(0o644)
    [msg] = _set(settings, SOEGOV_COLLECTOR_URL="https://g.example.cn/c", **full)
    assert "W001" in msg and "可被其他用户读取" in msg


def test_numbers_and_the_ca_bundle_are_checked(settings: Any) -> None:
    found = _set(settings, SOEGOV_COLLECTOR_SCHEDULE_RAW="每小时", SOEGOV_COLLECTOR_RETRY_RAW="0",
                 SOEGOV_COLLECTOR_CA_BUNDLE="/nonexistent/ca.pem")
    assert sum("E005" in m for m in found) == 2 and any("E006" in m and "/nonexistent/ca.pem" in m for m in found)


def test_the_automatic_reporting_switch_and_the_key_id_it_needs_are_checked(settings: Any, key_file: Path) -> None:
    full = {"SOEGOV_COLLECTOR_URL": "https://g.example.cn/c", "SOEGOV_COLLECTOR_KEY_FILE": str(key_file)}
    [msg] = _set(settings, SOEGOV_COLLECTOR_AUTO_RAW="sometimes", SOEGOV_COLLECTOR_KEY_ID=KEY_ID, **full)
    assert msg == "soegov.collector.E008 SOEGOV_COLLECTOR_AUTO='sometimes' 应为 1（自动报送）或 0（只在点击“报送”时报送）"
    # The automatic reporting reads from the key id which enterprise it reports for.
    [msg] = _set(settings, SOEGOV_COLLECTOR_KEY_ID="K-1", **full)
    assert "E009" in msg and "'K-1' 不以统一社会信用代码开头" in msg and "自动报送无法确定为哪家企业报送" in msg
    assert _set(settings, SOEGOV_COLLECTOR_KEY_ID="K-1", SOEGOV_COLLECTOR_AUTO_RAW="0", **full) == []
    assert _set(settings, SOEGOV_COLLECTOR_KEY_ID=KEY_ID, SOEGOV_COLLECTOR_AUTO_RAW="off", **full) == []


def test_the_schedule_setting_feeds_the_schedulers_intervals() -> None:
    values = collector_settings({"SOEGOV_COLLECTOR_SCHEDULE_MINUTES": "15", "SOEGOV_COLLECTOR_URL": "https://g.example.cn/c"})
    assert schedule(values, {"matters.remind": 30.0}) == {"matters.remind": 30.0, SEND_KIND: 15.0, AUTO_KIND: 15.0}
    # SOEGOV_SCHEDULE_MINUTES names a kind: it wins for that kind.
    assert schedule(values, {SEND_KIND: 5.0, AUTO_KIND: 120.0}) == {SEND_KIND: 5.0, AUTO_KIND: 120.0}
    # Turned off: the scheduler still sends what waits, and queues nothing by itself.
    off = collector_settings({"SOEGOV_COLLECTOR_URL": "https://g.example.cn/c", "SOEGOV_COLLECTOR_AUTO": "0"})
    assert schedule(off, {}) == {SEND_KIND: 60.0, AUTO_KIND: 0.0}
    # No collector configured: the scheduler starts neither job.
    assert schedule(collector_settings({}), {}) == {SEND_KIND: 0.0, AUTO_KIND: 0.0}


def test_serve_stops_on_a_bad_configuration(settings: Any, capsys: Any) -> None:
    from soegov.web.cli import system_checks

    _set(settings, SOEGOV_COLLECTOR_URL="http://gzw.example.cn/c")
    assert system_checks(full=False) is False
    assert "SOEGOV_COLLECTOR_KEY_ID" in capsys.readouterr().err
