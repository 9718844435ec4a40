"""The one time zone soegov keeps and shows times in (no Django: the rules engine imports it)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
