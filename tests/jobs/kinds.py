"""Job kinds used by the tests: real kinds through the real runner (and, in test_worker, a real worker)."""

from __future__ import annotations

import time
from typing import Any

from soegov.core.errors import SoegovError
from soegov.jobs.registry import register


class RemoteDown(Exception):
    """Stands for a remote side that does not answer (worth another try)."""


@register("tests.steps", label="分步测试任务")
def steps(ctx: Any, steps: int = 5, seconds: float = 0.0, fail: str = "") -> dict[str, Any]:
    """Count to `steps`, `seconds` apart, reporting progress; fail as asked."""
    ctx.progress(0, steps, "开始")
    for i in range(1, steps + 1):
        if seconds:
            time.sleep(seconds)
        ctx.progress(i, steps, f"第 {i} 步")
        if fail == "input" and i == 2:
            raise SoegovError("bad_input", "第 2 行的金额不是数字", "amount")
        if fail == "bug" and i == 2:
            raise ZeroDivisionError("division by zero")
    return {"message": f"已完成 {steps} 步", "steps": steps, "url": "/jobs/"}


CALLS: list[int] = []


@register("tests.flaky", label="偶发失败的测试任务", retry_on=(RemoteDown,), max_attempts=3)
def flaky(ctx: Any, succeed_on: int = 2) -> dict[str, Any]:
    """Fail with RemoteDown until attempt `succeed_on`."""
    CALLS.append(ctx.job.attempts)
    if ctx.job.attempts < succeed_on:
        raise RemoteDown("对方服务无响应")
    return {"message": f"第 {ctx.job.attempts} 次成功"}
