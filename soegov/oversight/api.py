"""REST endpoints of the oversight app (thin: parse, call one service or selector, return)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["监督追责"])
