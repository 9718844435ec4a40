"""The roles of soegov and what each may reach; one role per account keeps the 等保2.0 admins apart."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ENTERPRISE_FILER = "enterprise_filer", "企业填报人"
    ENTERPRISE_LEADER = "enterprise_leader", "企业负责人"
    SECRETARY = "secretary", "董事会/党组织秘书"
    SUPERVISOR_REVIEWER = "supervisor_reviewer", "国资监管审核人"
    SUPERVISOR_INSPECTOR = "supervisor_inspector", "国资监管检查人"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_FILER, Role.ENTERPRISE_LEADER, Role.SECRETARY})
SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR_REVIEWER, Role.SUPERVISOR_INSPECTOR})
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Who may change the registry (enterprises) and who may change decision bodies and members.
REGISTRY_EDITORS = frozenset({Role.SYSTEM_ADMIN, Role.SUPERVISOR_REVIEWER})
BODY_EDITORS = frozenset({Role.SYSTEM_ADMIN, Role.SUPERVISOR_REVIEWER, Role.ENTERPRISE_FILER, Role.SECRETARY})
# Roles that work with enterprises and the rules (the advisor); the security and audit admins do not.
BUSINESS_ROLES = ENTERPRISE_ROLES | SUPERVISOR_ROLES | {Role.SYSTEM_ADMIN}
