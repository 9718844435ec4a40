"""The audit administrator's searchable log and its CSV export."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soegov.accounts.roles import Role
from soegov.audit.audit_actions import AuditLogAction
from soegov.audit.selectors import audit_search
from soegov.audit.services import ChainBroken, audit_checkpoint, audit_record, audit_verify
from soegov.core.paging import CappedPaginator
from soegov.core.redirects import post_or_back_to
from soegov.core.spreadsheets import streamed_csv


class SearchForm(forms.Form):
    q = forms.CharField(label=_("对象/地址"), required=False)
    action = forms.CharField(label=_("操作"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("起始日期不是有效日期（YYYY-MM-DD）")})
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _("截止日期不是有效日期（YYYY-MM-DD）")})


def _filters(form: SearchForm) -> dict[str, Any]:
    if not form.is_valid():
        return {}
    d = form.cleaned_data
    return {k: d[k] for k in ["q", "action", "actor", "date_from", "date_to"] if d.get(k)}


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """Search the audit trail."""
    form = SearchForm(request.GET or None)
    qs = audit_search(user=request.user, **_filters(form))
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "params": params.urlencode()},
                  status=400 if form.errors else 200)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered audit trail as CSV (UTF-8 with BOM so Excel reads the Chinese)."""
    form = SearchForm(request.GET or None)
    filters = _filters(form)
    qs = audit_search(user=request.user, **filters)
    audit_record(actor=request.user, action=AuditLogAction.EXPORT, object_type="audit.auditentry",
                 after={k: str(v) for k, v in filters.items()})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    header = ["序号", "时间", "操作人", "来源地址", "操作", "对象类型", "对象编号", "对象", "变更前", "变更后", "哈希"]
    rows = ([e.seq, timezone.localtime(e.at).isoformat(), e.actor_name, e.ip, e.action, e.object_type,
             e.object_id, e.object_repr,
             json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
             json.dumps(e.after, ensure_ascii=False) if e.after is not None else "", e.hash]
            for e in qs.order_by("seq").iterator(chunk_size=500))
    return streamed_csv(header, rows, f"audit-{stamp}.csv")




@login_required
@post_or_back_to("audit:log")
def verify(request: HttpRequest) -> HttpResponse:
    """Check the whole chain from the page, as `soegov audit verify` does."""
    if getattr(request.user, "role", None) != Role.AUDIT_ADMIN:
        raise PermissionDenied("只有审计管理员可以校验审计日志")
    result = audit_verify()
    audit_record(actor=request.user, action=AuditLogAction.VERIFY, object_type="audit.auditentry",
                 after={"checked": result.checked, "problems": len(result.problems)})
    if result.ok:
        messages.success(request, f"审计链完整：共 {result.checked} 条记录，哈希 (SM3)、链接与密钥校验码均一致，"
                                  f"与 {result.anchors} 个库外锚点相符。" + "".join(f"提示：{n}" for n in result.notes))
    else:
        messages.error(request, f"审计链被破坏，发现 {len(result.problems)} 处问题：" + "；".join(result.problems[:10]))
    return redirect("audit:log")


@login_required
@post_or_back_to("audit:log")
def checkpoint(request: HttpRequest) -> HttpResponse:
    """Download a keyed checkpoint of the chain head, for the audit administrator to keep outside the system."""
    if getattr(request.user, "role", None) != Role.AUDIT_ADMIN:
        raise PermissionDenied("只有审计管理员可以导出审计检查点")
    try:
        text = audit_checkpoint(actor=request.user)
    except ChainBroken as exc:
        messages.error(request, str(exc))
        return redirect("audit:log")
    resp = HttpResponse(text, content_type="application/json; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    resp["Content-Disposition"] = f'attachment; filename="audit-checkpoint-{stamp}.json"'
    return resp
