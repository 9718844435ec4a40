"""Who may prepare and who may run an enterprise's collective decisions (soegov.core.gates), and who may open
the meetings pages at all."""

from __future__ import annotations

from soegov.accounts.roles import BUSINESS_ROLES, ENTERPRISE_ROLES, Role
from soegov.core.gates import Gate, role_required
from soegov.enterprises.permissions import within_scope

# Who prepares topics and decision lists for an enterprise: its users, whatever their role there.
ORGANISERS = ENTERPRISE_ROLES
# Who runs the meetings and keeps the minutes (members vote and sign for themselves).
RUNNERS = frozenset({Role.SECRETARY})
ORGANISER_GATE = Gate(ORGANISERS, "只有本企业的董事会/党组织秘书或企业用户可以办理会议事务", within_scope)
RUNNER_GATE = Gate(RUNNERS, "只有本企业的董事会/党组织秘书可以安排和记录决策会议", within_scope)

# The meetings pages are for the business roles (enterprise users and the supervisor's staff).
business_page = role_required(BUSINESS_ROLES, "您的角色无权访问三重一大决策")
