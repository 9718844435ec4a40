"""Pages: the security administrator's certificates, a person's own certificate, and the verification page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from soegov.accounts.roles import Role
from soegov.core.errors import SoegovError
from soegov.core.forms import page_message
from soegov.signatures import issuing, selectors, sm2
from soegov.signatures.models import CertStatus, Holder, SigningCertificate
from soegov.signatures.verify import STATUS_LABELS, verify_bytes

# The largest file the verification page reads (a signed official document is far smaller).
VERIFY_MAX_BYTES = 50 * 1024 * 1024


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _manage_post(request: HttpRequest) -> None:
    from soegov.enterprises.models import Jurisdiction

    action = request.POST.get("action", "")
    if action == "issue_person":
        username = request.POST.get("username", "").strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise SoegovError("unknown_user", f"没有账号“{username}”", "username", "no such account")
        cert = issuing.issue_person(actor=request.user, user=user)
        messages.success(request, f"已为{cert.subject}签发证书（序列号 {cert.serial}），请通知本人在“我的签名证书”中设置签名密码启用。")
    elif action == "issue_organisation":
        jurisdiction = get_object_or_404(Jurisdiction, pk=_int(request.POST.get("jurisdiction")))
        cert = issuing.issue_organisation(actor=request.user, jurisdiction=jurisdiction)
        messages.success(request, f"已为{cert.subject}签发机构签名证书（序列号 {cert.serial}）。")
    elif action in ("renew", "revoke"):
        cert = get_object_or_404(SigningCertificate, pk=_int(request.POST.get("certificate")))
        if action == "renew":
            new = issuing.renew(actor=request.user, cert=cert)
            messages.success(request, f"已更新{cert.subject}的证书，新序列号 {new.serial}"
                             + ("（待本人设置签名密码启用，旧证书在此之前继续有效）。" if new.holder == Holder.PERSON else "。"))
        else:
            issuing.revoke(actor=request.user, cert=cert, reason=request.POST.get("reason", ""))
            messages.success(request, f"已吊销{cert.subject}的证书（序列号 {cert.serial}）。")
    else:
        raise SoegovError("unknown_action", "无效的操作", "action", "unknown action")


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The security administrator issues, renews and revokes persons' and organisations' certificates."""
    if request.user.role != Role.SECURITY_ADMIN:
        raise PermissionDenied("只有安全管理员可以管理签名证书")
    from soegov.enterprises.models import Jurisdiction

    if request.method == "POST":
        try:
            _manage_post(request)
        except SoegovError as exc:
            messages.error(request, page_message(exc))
        return redirect(request.get_full_path())
    status, holder = request.GET.get("status", ""), request.GET.get("holder", "")
    page = Paginator(selectors.certificates(status, holder), 50).get_page(request.GET.get("page"))
    root = selectors.active_root()
    return render(request, "signatures/manage.html", {
        "page": page, "status": status, "holder": holder, "statuses": CertStatus.choices,
        "holders": [c for c in Holder.choices if c[0] != Holder.ROOT], "root": root,
        "root_fingerprint": sm2.sm3(bytes(root.der)).hex() if root and root.der else "",
        "jurisdictions": Jurisdiction.objects.all(),
    })


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A person's own certificates: set the signing PIN to activate one; the signatures he has made."""
    if request.method == "POST":
        cert = get_object_or_404(SigningCertificate, pk=_int(request.POST.get("certificate")), user=request.user)
        try:
            issuing.activate(actor=request.user, cert=cert, pin=request.POST.get("pin", ""),
                             pin_again=request.POST.get("pin_again", ""))
        except SoegovError as exc:
            messages.error(request, page_message(exc))
        else:
            messages.success(request, "签名证书已启用。签名密码只有您本人知道，系统和管理员都无法找回，请牢记。")
        return redirect("signatures:mine")
    page = Paginator(selectors.own_signatures(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "signatures/mine.html", {"certificates": selectors.own_certificates(request.user),
                                                    "page": page})


@login_required
def verify_page(request: HttpRequest) -> HttpResponse:
    """Upload a downloaded document: the verification sheet says who signed what, when, and whether it changed."""
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要核验的文件"
        elif upload.size is not None and upload.size > VERIFY_MAX_BYTES:
            error = f"文件过大（超过 {VERIFY_MAX_BYTES // 1048576} MB），不是本系统签署的文书"
        else:
            report = verify_bytes(upload.read(), upload.name or "")
    return render(request, "signatures/verify.html", {"report": report, "error": error, "labels": STATUS_LABELS},
                  status=400 if error else 200)
