"""The exchange app's work on the task queue: importing the packages a supervisor received."""

from __future__ import annotations

from typing import Any

from soegov.jobs.registry import register


@register("exchange.import", label="导入数据包")
def import_packages(ctx: Any, files: list[list[str]]) -> dict[str, Any]:
    """Import the zips kept by `services.import_start`; each is stored whole or refused with its reason."""
    from django.urls import reverse

    from soegov.exchange import imports

    results = imports.import_stored(actor=ctx.actor, files=files, since=ctx.job.created_at, progress=ctx.progress)
    ok = sum(1 for r in results if r.ok)
    items = [{"file": r.file_name, "ok": r.ok, "message": r.message, "anomalies": r.anomalies} for r in results]
    outcome, said = imports.batch_outcome([r.ok for r in results])
    return {"message": said, "outcome": outcome,
            "received": ok, "refused": len(results) - ok, "items": items,
            "url": f"{reverse('exchange:import')}?job={ctx.job.pk}"}
