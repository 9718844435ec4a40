"""Who may act in oversight: the supervisor's inspector of the enterprise's jurisdiction (soegov.core.gates)."""

from __future__ import annotations

from soegov.accounts.roles import Role
from soegov.core.gates import Gate
from soegov.enterprises.permissions import within_jurisdiction

# Only the supervisor's inspector of the enterprise's jurisdiction (None: system/demo loader).
INSPECTOR_GATE = Gate({Role.SUPERVISOR_INSPECTOR}, "只有本辖区的国资监管检查人可以办理", within_jurisdiction,
                      "只有本辖区的国资监管检查人可以办理")
