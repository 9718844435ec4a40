"""The reporting settings read from the environment (SOEGOV_COLLECTOR_*).

Plain Python, imported by the settings module. Values are kept as given (stripped); `checks.py` says at
start-up what is missing or malformed, so a mistake stops `soegov serve` rather than the first report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

SEND_KIND = "collector.send"
AUTO_KIND = "collector.autoreport"
DEFAULT_SCHEDULE_MINUTES = "60"
YES, NO = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})


def collector_settings(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every reporting setting with its value from the environment (or its default)."""
    env = os.environ if env is None else env

    def get(name: str, default: str = "") -> str:
        return env.get(name, "").strip() or default

    return {
        # The supervisor's collector endpoint, e.g. https://gzw.example.cn/api/v1/exchange/collector/packages.
        "SOEGOV_COLLECTOR_URL": get("SOEGOV_COLLECTOR_URL"),
        # The key the supervisor issued: its id, and the file holding its SM2 private key.
        "SOEGOV_COLLECTOR_KEY_ID": get("SOEGOV_COLLECTOR_KEY_ID"),
        "SOEGOV_COLLECTOR_KEY_FILE": get("SOEGOV_COLLECTOR_KEY_FILE"),
        # A PEM file of the CAs that may sign the collector's certificate ("" = the system's store).
        "SOEGOV_COLLECTOR_CA_BUNDLE": get("SOEGOV_COLLECTOR_CA_BUNDLE"),
        "SOEGOV_COLLECTOR_SCHEDULE_RAW": get("SOEGOV_COLLECTOR_SCHEDULE_MINUTES", DEFAULT_SCHEDULE_MINUTES),
        # Whether the scheduler queues new and changed records by itself (on unless turned off; checked at start-up).
        "SOEGOV_COLLECTOR_AUTO_RAW": get("SOEGOV_COLLECTOR_AUTO", "1"),
        # Backoff after a failed attempt: RETRY seconds, doubling, at most RETRY_MAX seconds apart; never given up.
        "SOEGOV_COLLECTOR_RETRY_RAW": get("SOEGOV_COLLECTOR_RETRY_SECONDS", "60"),
        "SOEGOV_COLLECTOR_RETRY_MAX_RAW": get("SOEGOV_COLLECTOR_RETRY_MAX_SECONDS", "21600"),
        "SOEGOV_COLLECTOR_TIMEOUT_RAW": get("SOEGOV_COLLECTOR_TIMEOUT_SECONDS", "60"),
    }


def number(raw: str, low: float, high: float) -> float | None:
    """The setting as a number within [low, high], else None (the start-up check names it)."""
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


def switch(raw: str) -> bool | None:
    """An on/off setting (1, true, yes, on / 0, false, no, off), else None (the start-up check names it)."""
    value = raw.strip().lower()
    return True if value in YES else False if value in NO else None


def schedule(values: Mapping[str, Any], current: Mapping[str, float]) -> dict[str, float]:
    """SOEGOV_SCHEDULE_MINUTES with the sending and automatic reporting kinds' interval (SOEGOV_SCHEDULE_MINUTES
    wins for a kind it names); off (0) where no collector is configured, so a deployment that does not report
    runs no empty job each hour, and the automatic one off too where SOEGOV_COLLECTOR_AUTO turns it off."""
    minutes = number(str(values["SOEGOV_COLLECTOR_SCHEDULE_RAW"]), 0, 7 * 24 * 60)
    if minutes is None:
        return dict(current)
    send = minutes if values["SOEGOV_COLLECTOR_URL"] else 0.0
    auto = send if switch(str(values["SOEGOV_COLLECTOR_AUTO_RAW"])) else 0.0
    return {SEND_KIND: send, AUTO_KIND: auto, **current}
