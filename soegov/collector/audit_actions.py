"""What the collector records in the audit trail (soegov.core.audit_actions)."""

from __future__ import annotations

from soegov.core.audit_actions import AuditAction


class CollectorAction(AuditAction):
    """Audit actions of reporting to the collector: keys issued and revoked, packages received, the outbox."""

    KEY_ISSUE = "collector.key_issue", "签发企业报送密钥"
    KEY_REVOKE = "collector.key_revoke", "吊销企业报送密钥"
    RECEIVE = "collector.receive", "采集端接收数据包"
    REFUSE = "collector.refuse", "采集端拒绝报送请求"
    OUTBOX_ADD = "collector.outbox_add", "加入报送队列"
    OUTBOX_STATE = "collector.outbox_state", "报送状态变化"
