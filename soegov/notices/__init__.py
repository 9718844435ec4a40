"""Notices where people read them: 企业微信, 钉钉 (work notice and group robot) and SMS, sent on the task queue."""
