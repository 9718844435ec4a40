"""A matter's documents as downloads: the frozen, signed answer when there is one, else rendered now."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpResponse

from soegov.core.rendering import DOCX, PDF, render_docx, render_pdf
from soegov.matters.documents import available_kinds, build
from soegov.matters.models import Matter
from soegov.matters.sealing import sealed_answer
from soegov.signatures.downloads import signed_response


def download(matter: Matter, kind: str, fmt: str) -> Any:
    """The document as a .docx or PDF download (for the page and the API alike); 404 when the matter has none."""
    if kind not in available_kinds(matter) or fmt not in ("docx", "pdf"):
        raise Http404("该事项当前没有此文书")
    sealed = sealed_answer(matter, kind)
    if sealed is not None:
        # The answer as frozen and signed when it was given, never re-rendered.
        return signed_response(sealed, fmt, sealed.title)
    d = build(matter, kind)
    data = render_docx(d) if fmt == "docx" else render_pdf(d)
    response = HttpResponse(data, content_type=DOCX if fmt == "docx" else PDF)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(d.title)}.{fmt}"
    return response
