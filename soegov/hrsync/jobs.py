"""What a scheduler calls: `run_scheduled_sync()` reads the configured HR interface and applies it.

Issue 17's task queue will call it periodically (e.g. nightly); until then `soegov hrsync run --url` from cron
does the same. A source that cannot be read is retried three times with back-off, then recorded as a failed run
(audited, shown on the 人事同步 page) with nothing changed; the next scheduled run tries again.
"""

from __future__ import annotations

from django.conf import settings

from soegov.core.errors import SoegovError
from soegov.hrsync import services, sources
from soegov.hrsync.models import SyncRun


def run_scheduled_sync() -> SyncRun:
    """Apply the HR interface at SOEGOV_HRSYNC_URL now, as the system; the run records the outcome."""
    url = settings.SOEGOV_HRSYNC_URL
    if not url:
        raise SoegovError("not_configured", "未设置 SOEGOV_HRSYNC_URL（人事系统接口地址）", "SOEGOV_HRSYNC_URL")
    try:
        dataset = sources.dataset_from_url(url, token=settings.SOEGOV_HRSYNC_TOKEN)
    except SoegovError as exc:
        return services.sync_failed(actor=None, source=url, trigger="schedule", error=exc)
    try:
        return services.sync_run(actor=None, dataset=dataset, source=url, trigger="schedule")
    except SoegovError:
        failed = SyncRun.objects.filter(trigger="schedule").order_by("-id").first()
        assert failed is not None  # sync_run recorded the refusal before raising
        return failed
