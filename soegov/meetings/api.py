"""REST endpoints of the meetings app (thin: parse, call one service or selector, return)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["三重一大决策会议"])
