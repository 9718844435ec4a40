"""The audit trail's own audit actions: the audit administrator's reads and checks, backups and restores."""

from __future__ import annotations

from soegov.core.audit_actions import AuditAction


class AuditLogAction(AuditAction):
    """What is recorded about the audit trail itself and about the installation's backups."""

    EXPORT = "audit.export", "导出审计日志"
    VERIFY = "audit.verify", "校验审计链"
    CHECKPOINT = "audit.checkpoint", "导出审计链检查点"
    BACKUP = "backup.create", "备份系统"
    RESTORE = "backup.restore", "从备份恢复系统"
