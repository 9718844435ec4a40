"""The roles of soegov and what each may reach; one role per account keeps the 等保2.0 admins apart."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class Role:
    """Role codes, as stored in User.role."""

    ENTERPRISE_FILER = "enterprise_filer"
    ENTERPRISE_LEADER = "enterprise_leader"
    SECRETARY = "secretary"
    SUPERVISOR_REVIEWER = "supervisor_reviewer"
    SUPERVISOR_INSPECTOR = "supervisor_inspector"
    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"


ROLE_LABELS: dict[str, Any] = {  # lazy: each page shows them in its language
    Role.ENTERPRISE_FILER: _("企业填报人"),
    Role.ENTERPRISE_LEADER: _("企业负责人"),
    Role.SECRETARY: _("董事会/党组织秘书"),
    Role.SUPERVISOR_REVIEWER: _("国资监管审核人"),
    Role.SUPERVISOR_INSPECTOR: _("国资监管检查人"),
    Role.SYSTEM_ADMIN: _("系统管理员"),
    Role.SECURITY_ADMIN: _("安全管理员"),
    Role.AUDIT_ADMIN: _("审计管理员"),
}
ROLE_CHOICES = list(ROLE_LABELS.items())


ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_FILER, Role.ENTERPRISE_LEADER, Role.SECRETARY})
SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR_REVIEWER, Role.SUPERVISOR_INSPECTOR})
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Who may change the registry (enterprises) and who may change decision bodies and members.
REGISTRY_EDITORS = frozenset({Role.SUPERVISOR_REVIEWER})
BODY_EDITORS = frozenset({Role.SUPERVISOR_REVIEWER, Role.ENTERPRISE_FILER, Role.SECRETARY})
# Roles that work with enterprises and the rules. None of the three administrators: the system administrator
# manages accounts and settings and reads no business data of any jurisdiction (三员分立, GB/T 22239 8.1.4.2).
BUSINESS_ROLES = ENTERPRISE_ROLES | SUPERVISOR_ROLES
