"""Project-wide pages: the home dashboard per role, health check and error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from soegov.accounts.roles import ENTERPRISE_ROLES, SUPERVISOR_ROLES, Role
from soegov.audit.services import audit_record
from soegov.core.paging import page_of_rows


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What each role starts its day with: the user's 待办 first, then the role's overview."""
    from soegov.enterprises import selectors
    from soegov.inbox.selectors import KINDS, todo_counts, todo_list

    user: Any = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    counts = todo_counts(user=user)
    listing = page_of_rows(todo_list(user=user, kind=kind), request.GET)
    ctx: dict[str, Any] = {"todos": listing.page, "listing": listing, "kind": kind, "kinds": KINDS,
                           "todo_tabs": [(k, label, counts.get(k, 0)) for k, label in KINDS.items() if counts.get(k)],
                           "todo_total": sum(counts.values())}
    if user.role in ENTERPRISE_ROLES or user.role in SUPERVISOR_ROLES:
        ents = selectors.enterprise_list(user=user)
        ctx["enterprise_count"] = ents.count()
        ctx["level_counts"] = [(lv, ents.filter(level=lv).count()) for lv in (1, 2, 3)]
        ctx["body_count"] = selectors.body_list(user=user).count()
        ctx["jurisdictions"] = selectors.jurisdiction_list(user=user)
        ctx["recent"] = ents.order_by("-updated_at")[:5]
        from soegov.matters.selectors import dashboard

        ctx["matters"] = dashboard(user=user)
    if user.role == Role.AUDIT_ADMIN:
        from soegov.audit.models import AuditEntry

        ctx["audit_count"] = AuditEntry.objects.count()
        ctx["failed_logins"] = AuditEntry.objects.filter(action="auth.login_failed").count()
        ctx["denials"] = AuditEntry.objects.filter(action="access.denied").count()
    if user.role == Role.SYSTEM_ADMIN:
        from soegov.accounts.models import AdminApproval

        ctx["admin_pending"] = AdminApproval.objects.filter(decided_at__isnull=True).count()
    if user.role == Role.SECURITY_ADMIN:
        from axes.models import AccessAttempt

        from soegov.accounts.models import AdminApproval

        ctx["admin_pending"] = AdminApproval.objects.filter(decided_at__isnull=True).count()

        ctx["attempts"] = AccessAttempt.objects.count()
    return render(request, "web/home.html", ctx)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "error", "database": "unreachable", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page; every denial is written to the audit trail."""
    audit_record(actor=getattr(request, "user", None), action="access.denied", object_type="url",
                 object_repr=request.path[:255], after={"method": request.method, "reason": str(exception or "")[:200]})
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "forbidden", "message": str(exception or "无权访问"), "path": None}},
                            status=403)
    return render(request, "web/403.html", {"reason": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 page in Chinese."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "not_found", "message": "对象不存在或不在您的范围内", "path": None}},
                            status=404)
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page without template context, as Django requires."""
    return HttpResponse("<h1>系统内部错误</h1><p>请稍后重试或联系系统管理员。</p>", status=500,
                        content_type="text/html; charset=utf-8")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF failure in Chinese (usually an expired page): reload and try again."""
    return render(request, "web/403.html", {"reason": "页面已过期或请求来源无法验证，请刷新页面后重试。"}, status=403)
