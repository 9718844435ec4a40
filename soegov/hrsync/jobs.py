"""What a scheduler calls: `run_scheduled_sync()` reads the configured HR interface and applies it.

The task queue's scheduler runs it nightly at 02:30 (job kind `hrsync.sync`, below); `soegov hrsync run --url`
does the same by hand. A source that cannot be read is retried three times with back-off, then recorded as a failed run
(audited, shown on the 人事同步 page) with nothing changed; the next scheduled run tries again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from soegov.core.errors import SoegovError
from soegov.hrsync import services, sources
from soegov.hrsync.models import SyncRun
from soegov.jobs.registry import register


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


@register("hrsync.sync", label="人事系统同步", daily_at="02:30")
def scheduled_sync(ctx: Any) -> dict[str, Any]:
    """The task queue's nightly run of `run_scheduled_sync()` (skipped while no HR interface is configured)."""
    if not settings.SOEGOV_HRSYNC_URL:
        return {"message": "未设置 SOEGOV_HRSYNC_URL（人事系统接口地址），未同步"}
    run = run_scheduled_sync()
    return {"message": f"人事同步：{run.get_status_display()}" + (f"（{run.error}）" if run.error else ""),
            "run": run.pk, "url": reverse("hrsync:run", args=[run.pk])}
