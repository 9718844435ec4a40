"""The lifecycle as data: which action moves a matter from which states to which, and who may take it.

States are the values of `models.Status`.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

ENTERPRISE = "enterprise"
SUPERVISOR = "supervisor"

# action: (states it may start from, state it leads to (None: decided by the action), side that acts)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None, str]] = {
    "record_decision": (frozenset({"draft"}), "decided", ENTERPRISE),
    "submit": (frozenset({"draft", "decided", "returned"}), "submitted", ENTERPRISE),
    "start_review": (frozenset({"submitted"}), "under_review", SUPERVISOR),
    "return": (frozenset({"submitted", "under_review"}), "returned", SUPERVISOR),
    "record_committee": (frozenset({"under_review"}), "under_review", SUPERVISOR),
    "forward": (frozenset({"under_review"}), "forwarded", SUPERVISOR),
    "decide": (frozenset({"under_review"}), None, SUPERVISOR),
    "record_city_answer": (frozenset({"forwarded"}), None, SUPERVISOR),
    "implement": (frozenset({"approved", "filed"}), "implemented", ENTERPRISE),
}

# Records an action needs besides the state, for approvals (route "approval"): action -> (the matter's field that
# holds the record, what it records, where the order is set). "decide:approve" is a decision that approves.
# The database holds the same order as a check constraint (models.Matter.Meta, approval_needs_committee).
REQUIRES: dict[str, tuple[str, str, str]] = {
    "forward": ("committee_passed_at", "国资监管机构党委会议研究通过",
                "伊宁办法第十一条：报市政府的事项须先经国资监管机构研究；第二十一条：党委会议研究通过"),
    "decide:approve": ("committee_passed_at", "国资监管机构党委会议研究通过",
                       "伊宁办法第二十一条：党委会议研究通过后出具批复"),
}

# States in which the enterprise may still change facts and attachments.
EDITABLE = frozenset({"draft", "decided", "returned"})
# States in which the supervisor's clock runs.
UNDER_SUPERVISOR = frozenset({"submitted", "under_review"})
# States in which the enterprise's filing clock runs.
BEFORE_SUBMISSION = frozenset({"draft", "decided"})

# Chinese in Python (the audit trail and notices); the pages translate them where they show them.
ACTION_LABELS = {
    "create": gettext_noop("创建事项"), "update": gettext_noop("修改事实并重新判定"), "record_decision": gettext_noop("记录集体决策"),
    "submit": gettext_noop("报送"), "resubmit": gettext_noop("补正后重新报送"), "start_review": gettext_noop("开始审核"), "return": gettext_noop("退回补正"),
    "record_committee": gettext_noop("登记党委会研究通过"), "forward": gettext_noop("转报市政府"), "decide": gettext_noop("作出答复"), "record_city_answer": gettext_noop("登记市政府批复"),
    "implement": gettext_noop("登记实施"), "attach": gettext_noop("上传材料"), "withdraw_attachment": gettext_noop("撤回材料"),
}


# A matter that goes to no authority (only the enterprise's own decision, or none named) is carried out on
# the enterprise's own decision: nothing to approve first.
INTERNAL_IMPLEMENT_FROM = frozenset({"draft", "decided"})


def missing_record(action: str, route: str, record: dict[str, object]) -> tuple[str, str] | None:
    """(what is missing, where the order is set) when the action needs a record the matter lacks, else None."""
    need = REQUIRES.get(action)
    if need is None or route != "approval" or record.get(need[0]) is not None:
        return None
    return need[1], need[2]


def allowed(action: str, status: str, route: str = "") -> bool:
    """Whether the action may start from the status (for the matter's route)."""
    if action == "implement" and route == "internal":
        return status in INTERNAL_IMPLEMENT_FROM
    return status in TRANSITIONS[action][0]
