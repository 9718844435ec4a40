"""Who may open the matters pages; who may take each step is checked by the services' gates (matters.transitions)."""

from __future__ import annotations

from soegov.accounts.roles import BUSINESS_ROLES
from soegov.core.gates import role_required

# The matters pages are for the business roles (enterprise users and the supervisor's staff).
business_page = role_required(BUSINESS_ROLES, "您的角色无权访问重大事项")
