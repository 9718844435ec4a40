"""REST endpoints of the leaders app (thin: parse, call one service or selector, return)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["企业领导人员"])
