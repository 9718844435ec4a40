"""What the exchange records in the audit trail (soegov.core.audit_actions)."""

from __future__ import annotations

from soegov.core.audit_actions import AuditAction


class ExchangeAction(AuditAction):
    """Audit actions of the national exchange: registering regulations, exporting and importing packages."""

    REGULATION_CREATE = "exchange.regulation_create", "登记制度（0005）"
    EXPORT = "exchange.export", "导出数据包"
    IMPORT = "exchange.import", "接收数据包"
    VIEW_MEETING = "exchange.view_meeting", "查阅接收的会议决策（逐人表决）"
