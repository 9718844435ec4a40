"""The rules engine: policy packs as data, classify, meeting_check. Plain Python, no Django."""

from soegov.policy.engine import classify
from soegov.policy.meetings import meeting_check

__all__ = ["classify", "meeting_check"]
