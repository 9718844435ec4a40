"""Files read in the page instead of downloaded: which kinds can be, and a .docx as clean HTML.

A PDF is drawn by pdf.js in the browser (served from soegov's static files); an image is shown as it is; a .docx
is turned into plain HTML by mammoth on the server and cleaned by nh3 to headings, paragraphs, lists, tables and
embedded pictures, so nothing in an uploaded document can run in the page or reach another site.
"""

from __future__ import annotations

import io

PDF = "pdf"
DOCX = "docx"
IMAGE = "image"
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The tags and attributes a .docx preview keeps; links keep their text but not their target.
TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "strong", "em", "u", "s", "sub", "sup", "ul", "ol", "li",
        "table", "thead", "tbody", "tr", "th", "td", "img", "blockquote"}
ATTRIBUTES = {"img": {"src", "alt"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def preview_kind(content_type: str, extension: str = "") -> str | None:
    """How the file can be read in the page (pdf, docx, image), or None when it can only be downloaded."""
    if content_type == "application/pdf":
        return PDF
    if content_type == DOCX_TYPE or extension.lower() == "docx":
        return DOCX
    if content_type in IMAGE_TYPES:
        return IMAGE
    return None


class PreviewError(Exception):
    """The file could not be turned into a preview (it can still be downloaded)."""


def docx_html(data: bytes) -> str:
    """The .docx as safe HTML: mammoth's conversion, then only the TAGS and ATTRIBUTES above (images as data: only)."""
    import mammoth
    import nh3

    try:
        result = mammoth.convert_to_html(io.BytesIO(data))
    except Exception as exc:  # a damaged or disguised file: say so on the page, never a 500
        raise PreviewError("该 Word 文件无法解析，请下载后用 Word 或 WPS 打开") from exc
    return str(nh3.clean(result.value, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"data"},
                         link_rel=None, strip_comments=True))
