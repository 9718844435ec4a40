"""A signed document as a download: the frozen bytes with their signatures carried inside."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

from soegov.signatures.models import SignedDocument
from soegov.signatures.packages import signed_file

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "ofd": "application/ofd",
}


def signed_response(document: SignedDocument, fmt: str, filename: str) -> HttpResponse:
    """The rendition as an attachment named `filename.fmt`, carrying every signature made on it so far."""
    response = HttpResponse(signed_file(document, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.{fmt}"
    return response
