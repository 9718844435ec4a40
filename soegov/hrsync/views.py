"""The system administrator's 人事同步 page: read a file or the HR interface, preview, apply, history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from soegov.accounts.roles import Role
from soegov.core.errors import SoegovError
from soegov.core.forms import page_message
from soegov.core.redirects import post_or_back_to
from soegov.hrsync import services, sources, tables
from soegov.hrsync.models import SyncRun


def _require(request: HttpRequest) -> None:
    if request.user.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以运行人事同步")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Start a preview from a file or the HR interface; the runs so far."""
    _require(request)
    errors: list[object] = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if request.POST.get("action") == "url":
                url = settings.SOEGOV_HRSYNC_URL
                if not url:
                    raise SoegovError("not_configured", "未设置 SOEGOV_HRSYNC_URL（人事系统接口地址）", "url")
                source = url
                dataset = sources.dataset_from_url(url, token=settings.SOEGOV_HRSYNC_TOKEN)
            else:
                if upload is None:
                    raise SoegovError("required", "请选择要导入的文件（CSV、.xlsx 或 .json）", "file")
                source = upload.name or "upload"
                dataset = sources.dataset_from_bytes(upload.read(tables.MAX_BYTES + 1), source)
            run = services.sync_run(actor=request.user, dataset=dataset, source=source, dry_run=True)
        except SoegovError as exc:
            messages.error(request, page_message(exc))
            errors = list(getattr(exc, "errors", []))
            status = 400
        else:
            return redirect("hrsync:run", run.pk)
    page = Paginator(SyncRun.objects.select_related("actor").order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(request, "hrsync/index.html", {"page": page, "errors": errors,
                                                 "url_configured": bool(settings.SOEGOV_HRSYNC_URL)}, status=status)


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's report of changes (who joined, left, moved; posts; memberships)."""
    _require(request)
    run = get_object_or_404(SyncRun.objects.select_related("actor"), pk=pk)
    items = (run.report or {}).get("items", {})
    sections = [(title, items.get(key) or []) for key, title in services.SECTIONS.items()]
    return render(request, "hrsync/run.html", {"run": run, "sections": [s for s in sections if s[1]]})


@post_or_back_to("hrsync:run")
@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a preview as it was previewed."""
    _require(request)
    preview = get_object_or_404(SyncRun, pk=pk)
    try:
        run = services.apply_preview(actor=request.user, run=preview)
    except SoegovError as exc:
        messages.error(request, f"未应用，未作任何修改：{page_message(exc)}")
        return redirect("hrsync:run", preview.pk)
    messages.success(request, "已按预览应用人事同步。")
    return redirect("hrsync:run", run.pk)


@login_required
def template_csv(request: HttpRequest) -> HttpResponse:
    """The CSV template's header row and one example (UTF-8 with BOM, so Excel reads the Chinese)."""
    _require(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hrsync-template.csv"'
    response.write("\ufeff" + ",".join(tables.TEMPLATE_HEADER) + "\r\n")
    response.write("E1001,张伟,<所在企业统一社会信用代码>,zhangwei,在职,,总经理,总经理办公会,总经理,是,是,2024-01-01,\r\n")
    return response
