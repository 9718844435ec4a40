"""Registry pages: enterprise tree and detail, decision bodies and members, Excel import/export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from soegov.accounts.roles import BODY_EDITORS, BUSINESS_ROLES, REGISTRY_EDITORS
from soegov.core.errors import SoegovError
from soegov.core.forms import form_action
from soegov.core.gates import role_required
from soegov.core.paging import list_page
from soegov.core.redirects import post_or_back_to
from soegov.enterprises import selectors, services, xlsx
from soegov.enterprises.forms import BodyForm, EnterpriseForm, ImportForm, MemberForm
from soegov.enterprises.models import BodyMember, Enterprise, EnterpriseStatus, Ownership

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


business_page = role_required(BUSINESS_ROLES, "您的角色无权访问企业名录")


def _tree(enterprises: list[Enterprise]) -> list[dict[str, Any]]:
    """Nested nodes for the template, rooted at whatever the user may see."""
    nodes: dict[int, dict[str, Any]] = {e.pk: {"e": e, "children": []} for e in enterprises}
    roots = []
    for e in enterprises:
        if e.parent_id in nodes:
            nodes[e.parent_id]["children"].append(nodes[e.pk])
        else:
            roots.append(nodes[e.pk])
    return roots


def _parent(request: HttpRequest, pk: int | None) -> Enterprise | None:
    """The chosen parent, which must be in the user's scope."""
    if not pk:
        return None
    try:
        return selectors.enterprise_get(user=request.user, pk=pk)
    except Http404:
        raise SoegovError("invalid_parent", "上级企业不存在或不在您的范围内", "parent") from None


FIELD_LABELS = {"name": "企业名称", "uscc": "统一社会信用代码", "ownership": "持股类型", "status": "状态",
                "parent_id": "上级企业", "jurisdiction_id": "监管辖区", "level": "层级"}


def _history(enterprise: Enterprise) -> list[dict[str, Any]]:
    """The enterprise's changes as rows of (field, before, after) in words."""
    names = dict(Ownership.choices) | dict(EnterpriseStatus.choices)
    changes = list(enterprise.changes.select_related("actor")[:50])
    parent_ids = {v for c in changes for snap in (c.before or {}, c.after or {}) for k, v in snap.items()
                  if k == "parent_id" and v}
    parents = dict(Enterprise.objects.filter(pk__in=parent_ids).values_list("pk", "name"))

    def word(key: str, value: Any) -> str:
        if value is None or value == "":
            return "（无）" if key != "parent_id" else "（国资监管机构直接出资）"
        if key == "parent_id":
            return str(parents.get(value, value))
        return str(names.get(value, value)) if key in ("ownership", "status") else str(value)

    rows = []
    for c in changes:
        before, after = c.before or {}, c.after or {}
        diffs = [(FIELD_LABELS.get(k, k), word(k, before.get(k)), word(k, v)) for k, v in after.items()
                 if c.before is not None and before.get(k) != v and k != "jurisdiction_id"]
        rows.append({"c": c, "diffs": diffs})
    return rows


@login_required
@business_page
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """The enterprise tree the user may see, with search, create and import."""
    # Pages in tree order; a subsidiary whose parent is on an earlier page starts this page's tree.
    listing = list_page(selectors.enterprise_list(user=request.user), request.GET, filters=selectors.ENTERPRISE_FILTERS,
                        search_fields=selectors.ENTERPRISE_SEARCH)
    q, items = listing.q, list(listing.page)
    jurisdictions = list(selectors.jurisdiction_list(user=request.user))
    can_edit = request.user.role in REGISTRY_EDITORS
    form = EnterpriseForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit or form is None:
            raise PermissionDenied("您的角色无权登记企业")
        jur = next((j for j in jurisdictions if str(j.pk) == request.POST.get("jurisdiction")), None)
        if jur is None:
            form.add_error(None, "请选择监管辖区")
        elif form.is_valid():
            d = form.cleaned_data
            with form_action(request, flash=False) as outcome:
                parent = _parent(request, d["parent"])
                e = services.enterprise_create(actor=request.user, jurisdiction=jur, parent=parent, name=d["name"],
                                               uscc=d["uscc"], ownership=d["ownership"], status=d["status"])
                messages.success(request, f"已登记 {e.name}。")
                return redirect("enterprises:detail", pk=e.pk)
            outcome.show_on(form)
    return render(request, "enterprises/list.html", {
        "tree": _tree(items) if not q else None, "items": items, "q": q, "form": form, "listing": listing,
        "jurisdictions": jurisdictions, "all": selectors.enterprise_list(user=request.user),
        "import_form": ImportForm() if can_edit else None,
    })


@login_required
@business_page
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One enterprise: registry data, subsidiaries, decision bodies, history; editors can change it."""
    e = selectors.enterprise_get(user=request.user, pk=pk)
    can_edit = request.user.role in REGISTRY_EDITORS
    form = None
    if can_edit:
        initial = {"name": e.name, "uscc": e.uscc, "ownership": e.ownership, "status": e.status, "parent": e.parent_id}
        form = EnterpriseForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您的角色无权修改企业登记信息")
        if form.is_valid():
            d = form.cleaned_data
            with form_action(request, flash=False) as outcome:
                parent = _parent(request, d["parent"])
                services.enterprise_update(actor=request.user, enterprise=e, name=d["name"], uscc=d["uscc"],
                                           ownership=d["ownership"], status=d["status"], parent=parent)
                messages.success(request, "已保存。")
                return redirect("enterprises:detail", pk=e.pk)
            outcome.show_on(form)
    candidates = selectors.enterprise_list(user=request.user, jurisdiction=e.jurisdiction).exclude(
        path__startswith=e.path)
    return render(request, "enterprises/detail.html", {
        "e": e, "form": form, "children": e.children.order_by("name"), "bodies": selectors.body_list(
            user=request.user, enterprise=e).prefetch_related("members"),
        "history": _history(e), "candidates": candidates,
        "can_body": request.user.role in BODY_EDITORS, "body_form": BodyForm(),
    })


@login_required
@post_or_back_to("enterprises:detail")
@business_page
def body_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a decision body to an enterprise."""
    e = selectors.enterprise_get(user=request.user, pk=pk)
    form = BodyForm(request.POST)
    if form.is_valid():
        with form_action(request):
            body = services.body_create(actor=request.user, enterprise=e, kind=form.cleaned_data["kind"],
                                        name=form.cleaned_data["name"])
            return redirect("enterprises:body", pk=body.pk)
    else:
        messages.error(request, "决策机构类型无效")
    return redirect("enterprises:detail", pk=e.pk)


@login_required
@business_page
def body_list(request: HttpRequest) -> HttpResponse:
    """All decision bodies the user may see."""
    bodies = selectors.body_list(user=request.user).prefetch_related("members")
    return render(request, "enterprises/bodies.html",
                  {"bodies": bodies, "can_import": request.user.role in BODY_EDITORS})


@login_required
@business_page
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision body with its members; editors add, change and remove members."""
    body = selectors.body_get(user=request.user, pk=pk)
    can_edit = request.user.role in BODY_EDITORS
    form = MemberForm(request.POST or None, initial={"voting": True})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您的角色无权修改决策机构成员")
        if form.is_valid():
            d = form.cleaned_data
            with form_action(request, flash=False) as outcome:
                services.member_add(actor=request.user, body=body, **d)
                messages.success(request, f"已添加 {d['name']}。")
                return redirect("enterprises:body", pk=body.pk)
            outcome.show_on(form)
    return render(request, "enterprises/body.html", {
        "body": body, "members": body.members.all(), "form": form, "can_edit": can_edit,
    })


@login_required
@business_page
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change or remove one member."""
    member: BodyMember = selectors.member_get(user=request.user, pk=pk)
    if request.user.role not in BODY_EDITORS:
        raise PermissionDenied("您的角色无权修改决策机构成员")
    initial = {f: getattr(member, f) for f in ["name", "role", "is_principal", "voting", "term_start", "term_end"]}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "remove" in request.POST:
            services.member_remove(actor=request.user, member=member)
            messages.success(request, f"已移除 {member.name}。")
            return redirect("enterprises:body", pk=member.body_id)
        if form.is_valid():
            with form_action(request, flash=False) as outcome:
                services.member_update(actor=request.user, member=member, **form.cleaned_data)
                messages.success(request, "已保存。")
                return redirect("enterprises:body", pk=member.body_id)
            outcome.show_on(form)
    return render(request, "enterprises/member_edit.html", {"member": member, "form": form})


@login_required
@business_page
def export_enterprises(request: HttpRequest) -> HttpResponse:
    """The enterprises the user may see, as .xlsx."""
    data = xlsx.enterprises_export(selectors.enterprise_list(user=request.user))
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = 'attachment; filename="enterprises.xlsx"'
    return resp


@login_required
@business_page
def export_members(request: HttpRequest) -> HttpResponse:
    """Members of the decision bodies the user may see, as .xlsx."""
    members = BodyMember.objects.filter(body__in=selectors.body_list(user=request.user)).select_related(
        "body__enterprise").order_by("body__enterprise__path", "body__kind", "id")
    resp = HttpResponse(xlsx.members_export(members), content_type=XLSX)
    resp["Content-Disposition"] = 'attachment; filename="members.xlsx"'
    return resp


@login_required
@business_page
def import_view(request: HttpRequest, what: str) -> HttpResponse:
    """Upload an .xlsx of enterprises or members; shows every row error, imports all or nothing."""
    if what not in {"enterprises", "members"}:
        raise Http404("无此导入类型")
    editors = REGISTRY_EDITORS if what == "enterprises" else BODY_EDITORS
    if request.user.role not in editors:
        raise PermissionDenied("您的角色无权导入")
    jurisdictions = list(selectors.jurisdiction_list(user=request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[xlsx.RowError] = []
    if request.method == "POST" and form.is_valid():
        jur = next((j for j in jurisdictions if j.pk == form.cleaned_data["jurisdiction"]), None)
        if jur is None:
            form.add_error("jurisdiction", "请选择监管辖区")
        else:
            data = form.cleaned_data["file"].read()
            with form_action(request, flash=False) as outcome:
                try:
                    if what == "enterprises":
                        n = len(xlsx.enterprises_import(actor=request.user, jurisdiction=jur, data=data))
                    else:
                        n = xlsx.members_import(actor=request.user, jurisdiction=jur, data=data,
                                                scope=selectors.enterprise_list(user=request.user))
                except xlsx.ImportFailed as exc:
                    errors = exc.errors
                else:
                    messages.success(request, f"已导入 {n} 行。")
                    return redirect("enterprises:list" if what == "enterprises" else "enterprises:bodies")
            outcome.show_on(form, field="file")
    columns = xlsx.ENTERPRISE_COLUMNS if what == "enterprises" else xlsx.MEMBER_COLUMNS
    return render(request, "enterprises/import.html", {
        "form": form, "errors": errors, "what": what, "columns": columns, "jurisdictions": jurisdictions,
    }, status=400 if (errors or form.errors) else 200)
