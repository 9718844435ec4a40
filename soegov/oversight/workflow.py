"""The accountability case lifecycle as data: which step moves a case from which states to which.

States are the values of `models.CaseStatus`. Every step is taken by the supervisor's inspector of the
case's jurisdiction (an appeal is lodged by the party and registered by the inspector).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

# action: (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "investigate": (frozenset({"open"}), "investigating"),
    "refer": (frozenset({"open", "investigating"}), "referred"),
    "decide": (frozenset({"open", "investigating", "referred"}), "decided"),
    "appeal": (frozenset({"decided"}), "appealed"),
    "review_appeal": (frozenset({"appealed"}), "decided"),
    "close": (frozenset({"decided"}), "closed"),
}

# States in which parties and sanctions may still be recorded.
EDITABLE = frozenset({"open", "investigating", "referred"})

ACTION_LABELS = {
    "open": gettext_noop("立案"), "investigate": gettext_noop("开始调查核实"), "refer": gettext_noop("移送纪检监察或司法机关"), "decide": gettext_noop("作出处理决定"),
    "appeal": gettext_noop("登记申诉"), "review_appeal": gettext_noop("登记申诉复查结果"), "close": gettext_noop("结案"),
    "add_party": gettext_noop("登记当事人"), "add_sanction": gettext_noop("登记处理与扣减"), "exemption_decide": gettext_noop("决定是否免除责任"),
    "parties_from_item": gettext_noop("按会议记录登记表决成员"),
}


def allowed(action: str, status: str) -> bool:
    """Whether the action may start from the status."""
    return status in TRANSITIONS[action][0]
