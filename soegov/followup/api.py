"""REST endpoints of the followup app (thin: parse, call one service or selector, return)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["决策督办"])
