"""The one time zone soegov keeps and shows times in (no Django: the rules engine imports it)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# What a deadline already missed counts as overdue from in a stored `overdue_from` (before any now).
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
