"""The 0004 download: one package per item of the decision list, bundled in one zip (the import opens it)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils import timezone

from soegov.enterprises.models import Enterprise
from soegov.exchange import exports


def items_bundle(*, actor: Any, enterprise: Enterprise) -> tuple[str, bytes, int]:
    """(zip name, bytes, number of packages) of the enterprise's 0004 packages to send now."""
    buf = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as bundle:
        for name, data, item in exports.items_export(actor=actor, enterprise=enterprise):
            # One package per item (§2.1), all with the same day's name: the item code appended keeps them
            # apart and still reads as the collector's name (extra segments are allowed).
            # A deletion sorts first ("0del" < "D…"), so the import frees its code before another item takes it.
            tag = f"0del_{item.item_code}" if item.oper_type == "del" else item.item_code
            bundle.writestr(name.replace(".zip", f"_{tag}.zip"), data)
            count += 1
    return f"{enterprise.uscc}_0004_事项清单_{timezone.localdate():%Y%m%d}.zip", buf.getvalue(), count
