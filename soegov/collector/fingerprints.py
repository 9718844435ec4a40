"""What a record says, as one hash: kept on each package queued, so the automatic reporting sends a regulation
or the decision list again only when what the collector would receive has changed (not the day in the zip's
name, nor whether it goes as add or edit)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from soegov.enterprises.models import Enterprise
from soegov.exchange.exports import decision_items
from soegov.exchange.models import Regulation


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def regulation_fingerprint(reg: Regulation) -> str:
    """The 0005 record's fields, its formal file (by hash) and whether it is still in force."""
    return _digest([reg.sid, reg.name, reg.type_name, reg.approval_date, reg.effective_date, reg.audit_flag,
                    reg.rate, reg.vote_modes, reg.remark, reg.formal_name, reg.formal_sha256, reg.active])


def items_fingerprint(enterprise: Enterprise) -> str:
    """The 0004 items the enterprise's decision list gives now (an item added, changed or removed changes it)."""
    return _digest(sorted([i.item_id, i.item_code, i.item_name, i.meetings, i.legal_flag, i.remark]
                          for i in decision_items(enterprise)))
