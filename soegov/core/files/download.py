"""The one download response of every stored file: always an attachment, never sniffed, never run as a page."""

from __future__ import annotations

import io
import json
from typing import Any

from django.http import FileResponse, Http404, HttpResponse

from soegov.core.files.store import FileCorrupt, file_read

# A stored file opened by mistake as a page may do nothing: no scripts, no requests, no same-origin access.
SANDBOX_CSP = "default-src 'none'; sandbox"


def file_response(sha256: str, filename: str, *, actor: Any = None, what: str = "文件", api: bool = False,
                  inline_type: str | None = None) -> HttpResponse:
    """The verified bytes as a download (RFC 5987 file name, nosniff, sandbox CSP); 404 when absent.

    `inline_type` (a PDF or picture type the caller has checked) serves them inline with that type for a reading
    page (pdf.js, <img>), still nosniff and sandboxed.

    A file whose bytes no longer match its hash is refused (409) with the reason, and the refusal is audited.
    """
    try:
        data = file_read(sha256, actor=actor, what=what) if sha256 else None
    except FileNotFoundError:
        data = None
    except FileCorrupt as exc:
        if api:
            return HttpResponse(json.dumps(exc.as_dict(), ensure_ascii=False), status=409,
                                content_type="application/json; charset=utf-8")
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    if data is None:
        raise Http404(f"{what}不存在")
    # FileResponse writes Content-Disposition with content_disposition_header: filename*=UTF-8''… (RFC 5987).
    response = FileResponse(io.BytesIO(data), as_attachment=inline_type is None, filename=filename or "file",
                            content_type=inline_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response
