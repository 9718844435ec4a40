"""Real documents for tests that read files back: a PDF as reportlab writes it, a .docx as python-docx does."""

from __future__ import annotations

import io


def real_pdf(text: str = "关于转让闲置办公楼的请示") -> bytes:
    """A one-page PDF with Chinese text, as reportlab writes it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("STSong-Light", 18)
    c.drawString(72, 760, text)
    c.showPage()
    c.save()
    return out.getvalue()


def real_docx(*paragraphs: str, link: str = "") -> bytes:
    """A .docx as Word writes it (python-docx), optionally with a hyperlink to `link`."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_heading("关于转让闲置办公楼的请示", 1)
    for p in paragraphs:
        d.add_paragraph(p)
    if link:
        para = d.add_paragraph()
        rid = para.part.relate_to(link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        h = OxmlElement("w:hyperlink")
        h.set(qn("r:id"), rid)
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "点此查看"
        run.append(t)
        h.append(run)
        para._p.append(h)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
