"""Pages of a matter's attachments: uploading one (or the 请示/报告 drawn up by the system), withdrawing one,
downloading one, reading one in the page (every read audited)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from soegov.core.errors import SoegovError
from soegov.core.files import FileCorrupt, file_check_size, file_read, file_response
from soegov.core.forms import form_action
from soegov.core.locking import posted_version
from soegov.core.redirects import post_or_back_to
from soegov.core.rendering import render_pdf
from soegov.matters import attachments, documents, numbers, selectors
from soegov.matters.gates import business_page
from soegov.matters.models import Route


@login_required
@post_or_back_to("matters:detail")
@business_page
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload one attachment (or have the system draw up the 请示/报告 as PDF and attach it)."""
    m = selectors.matter_get(user=request.user, pk=pk)
    with form_action(request, success=_("材料已上传")):
        if request.POST.get("generate"):
            kind = "request" if m.route == Route.APPROVAL else "report"
            numbers.request_number_for(actor=request.user, matter=m)
            data = render_pdf(documents.build(m, kind))
            attachments.attachment_upload(actor=request.user, matter=m, kind="request_letter",
                                          name=f"关于{m.title}的{documents.KINDS[kind]}", data=data, version=posted_version(request))
        else:
            f = request.FILES.get("file")
            if f is None:
                raise SoegovError("required", "请选择要上传的文件", "file", "choose the file to upload")
            file_check_size(f.size)
            attachments.attachment_upload(actor=request.user, matter=m, kind=request.POST.get("kind", ""),
                                          name=f.name or "", data=f.read(), version=posted_version(request))
    return redirect("matters:detail", m.pk)


@login_required
@post_or_back_to("matters:list", back_with_pk=False)
@business_page
def attachment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a wrong upload before submission (kept as a withdrawn version, audited)."""
    a = selectors.attachment_get(user=request.user, pk=pk)
    with form_action(request, success=_("已撤回：%(name)s（该版本仍保留在记录中）") % {"name": a.original_name}):
        attachments.attachment_withdraw(actor=request.user, attachment=a, version=posted_version(request),
                                        reason=request.POST.get("reason", ""))
    return redirect(f"{reverse('matters:detail', args=[a.matter_id])}#attachments")


@login_required
@business_page
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, only to users who may see its matter: a download, or with ?inline=1 a PDF or picture for the
    reading page (its own type, still sandboxed, never HTML or script)."""
    from soegov.core.previews import IMAGE, PDF, preview_kind

    a = selectors.attachment_get(user=request.user, pk=pk)
    inline = request.GET.get("inline") == "1" and preview_kind(a.content_type, a.extension) in (PDF, IMAGE)
    return file_response(a.sha256, a.original_name, actor=request.user, what=f"材料“{a.original_name}”",
                         inline_type=a.content_type if inline else None)


@login_required
@business_page
def attachment_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment read in the page: PDF drawn by pdf.js, .docx as clean HTML, pictures inline; audited as a read."""
    from soegov.audit.services import audit_record
    from soegov.core.previews import DOCX, PreviewError, docx_html, preview_kind

    a = selectors.attachment_get(user=request.user, pk=pk)
    kind = preview_kind(a.content_type, a.extension)
    html, problem = "", ""
    if kind == DOCX:
        try:
            html = docx_html(file_read(a.sha256, actor=request.user, what=f"材料“{a.original_name}”"))
        except FileNotFoundError as exc:
            raise Http404("文件不存在") from exc
        except (PreviewError, FileCorrupt) as exc:
            problem = exc.message if isinstance(exc, FileCorrupt) else str(exc)
    audit_record(actor=request.user, action="attachment.view", obj=a.matter,
                 after={"attachment": a.pk, "name": a.original_name, "sha256": a.sha256})
    return render(request, "matters/attachment_view.html", {
        "a": a, "m": a.matter, "kind": kind, "html": html, "problem": problem,
        "src": reverse("matters:download", args=[a.pk]) + "?inline=1"})
