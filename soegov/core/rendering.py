"""Rendering shared by every app's documents: the GB/T 9704-2012 official-document layout as .docx
(python-docx) and PDF (reportlab with an embedded CJK font), and a plain PDF for lists and notices.

An app builds an OfficialDocument (or a subclass with its own 版头) from its records and calls
render_docx / render_pdf; the layout has this one implementation. Elements, in order: 版头 (发文机关标志
and 发文字号, red separator), 标题, 主送机关, 正文, 附件说明, 发文机关署名, 成文日期, 版记 (抄送, 印发机关和印发日期).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# 3号 = 16 pt body, 2号 = 22 pt title (GB/T 9704-2012 7.3); red is the standard's 发文机关标志 colour.
BODY_PT, TITLE_PT, MARK_PT = 16, 22, 26
# The type area is 156 mm wide (GB/T 9704-2012 5.2.1).
TYPE_WIDTH_PT = 156 / 25.4 * 72
RED = (0xC8, 0x10, 0x2E)
BODY_FONT, TITLE_FONT, HEI_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体"
# Where Word lacks a GB font it falls back to these (w:altName), as offices without the GB fonts do.
FONT_FALLBACK = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", HEI_FONT: "SimHei"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
# TrueType CJK fonts reportlab can embed, first found wins; Debian fonts-wqy-zenhei or fonts-arphic-uming.
CJK_FONT_FILES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
]


@dataclass
class OfficialDocument:
    """The elements of one document, ready for either renderer."""

    kind: str
    issuer: str
    number: str
    title: str
    addressee: str
    body: list[str]
    attachments: list[str]
    signature: str
    date: str
    copy_to: str
    printer: str
    signer: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def mark(self) -> str:
        """发文机关标志: the issuer's name followed by 文件."""
        return f"{self.issuer}文件"

    @property
    def mark_size(self) -> float:
        """The mark's point size: as large as the standard's look, small enough to stay on one 156 mm line."""
        # 6% spare for the renderers' frame padding.
        return min(MARK_PT, float(int(TYPE_WIDTH_PT * 0.94 / max(len(self.mark), 1))))


def chinese_date(d: Any) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 7.3.5.3 requires: 2026年3月2日."""
    return f"{d.year}年{d.month}月{d.day}日"


# --- .docx ------------------------------------------------------------------------------------------


def _font(run: Any, name: str, size: float, bold: bool = False, color: tuple[int, int, int] | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    if color:
        run.font.color.rgb = RGBColor(*color)


def _register_fallbacks(doc: Any) -> None:
    """Declare each GB font with an alternative name in the font table, so Word substitutes sensibly."""
    from lxml import etree

    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(part.blob)
    for name, alt in FONT_FALLBACK.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _para(doc: Any, text: str, *, font: str = BODY_FONT, size: float = BODY_PT, align: str = "left",
          indent: bool = False, bold: bool = False, color: tuple[int, int, int] | None = None,
          space_before: float = 0, right_indent_chars: float = 0) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28.9)  # 22 lines in the 225 mm type area (GB/T 9704-2012 5.2.2)
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(space_before)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if right_indent_chars:
        fmt.right_indent = Pt(size * right_indent_chars)
    _font(p.add_run(text), font, size, bold, color)
    return p


def _rule(p: Any, color: str = "C8102E", size: int = 12, where: str = "bottom") -> None:
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    line = borders.makeelement(qn(f"w:{where}"), {qn("w:val"): "single", qn("w:sz"): str(size),
                                                   qn("w:space"): "1", qn("w:color"): color})
    borders.append(line)
    ppr.append(borders)


def render_docx(d: OfficialDocument) -> bytes:
    """The document as .docx bytes: A4, margins 37/35/28/26 mm, 3号仿宋 body, red 版头."""
    from docx import Document
    from docx.shared import Mm

    doc = Document()
    _register_fallbacks(doc)
    doc.core_properties.title = d.title
    doc.core_properties.author = d.issuer
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    # 版头
    _para(doc, d.mark, font=TITLE_FONT, size=d.mark_size, align="center", color=RED, space_before=20)
    if d.signer and d.kind in ("request", "report"):
        p = _para(doc, f"{d.number}\t签发人：{d.signer}", align="left", space_before=18)
    else:
        p = _para(doc, d.number, align="center", space_before=18)
    _rule(p)
    # 标题、主送机关、正文
    _para(doc, d.title, font=TITLE_FONT, size=TITLE_PT, align="center", space_before=28)
    _para(doc, d.addressee, space_before=14)
    for text in d.body:
        _para(doc, text, align="justify", indent=True)
    # 附件说明
    for i, label in enumerate(d.attachments, 1):
        lead = "附件：" if i == 1 else "　　　"
        _para(doc, f"{lead}{i}. {label}", indent=True, space_before=14 if i == 1 else 0)
    # 发文机关署名、成文日期 (右空四字)
    _para(doc, d.signature, align="right", right_indent_chars=4, space_before=42)
    _para(doc, d.date, align="right", right_indent_chars=4)
    # 版记
    # GB/T 9704-2012 7.4.2: a document sent to nobody else has no 抄送 line, not "抄送：无".
    if d.copy_to:
        p = _para(doc, f"抄送：{d.copy_to}", size=14, space_before=42)
        _rule(p, "000000", 8, "top")
    p = _para(doc, f"{d.printer}\t{d.date}印发", size=14, space_before=0 if d.copy_to else 42)
    _rule(p, "000000", 8, "top")
    _rule(p, "000000", 8, "bottom")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------------


# Chinese punctuation that never starts a line (GB/T 15834: 点号不出现在一行之首); reportlab's list has only the
# ASCII and Japanese marks, so "，涉及金额…" or a lone "：" began lines of the PDFs.
CANNOT_START = "，。；：、？！）》」』”’"


def chinese_line_breaking() -> None:
    """Teach reportlab's CJK wrapping the Chinese marks a line may not start with (it hangs one at the line's end)."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    # A one-style paragraph is split by textsplit.wordSplit, a mixed one by paragraph.cjkFragSplit: each reads its
    # own module's copy of the list.
    for module in (textsplit, paragraph):
        if not set(CANNOT_START) <= set(module.ALL_CANNOT_START):
            module.ALL_CANNOT_START = module.ALL_CANNOT_START + CANNOT_START


def cjk_font() -> tuple[str, str]:
    """Register and name the CJK font: an embedded TrueType one if installed, else reportlab's STSong-Light."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    chinese_line_breaking()

    for path in CJK_FONT_FILES:
        if Path(path).exists():
            name = "SoegovCJK"
            if name not in pdfmetrics.getRegisteredFontNames():
                kwargs = {"subfontIndex": 0} if path.endswith(".ttc") else {}
                pdfmetrics.registerFont(TTFont(name, path, **kwargs))
            return name, path
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light", "STSong-Light (reportlab CID)"


def render_pdf(d: OfficialDocument) -> bytes:
    """The document as PDF bytes with the same elements and margins as the .docx."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    font, _ = cjk_font()
    base = ParagraphStyle("body", fontName=font, fontSize=BODY_PT, leading=28.9, wordWrap="CJK",
                          alignment=TA_JUSTIFY, firstLineIndent=BODY_PT * 2)
    plain = ParagraphStyle("plain", parent=base, firstLineIndent=0)
    center = ParagraphStyle("center", parent=plain, alignment=TA_CENTER)
    mark = ParagraphStyle("mark", parent=center, fontSize=d.mark_size, leading=d.mark_size * 1.4,
                          textColor=colors.Color(*(c / 255 for c in RED)))
    title = ParagraphStyle("title", parent=center, fontSize=TITLE_PT, leading=TITLE_PT * 1.5)
    right = ParagraphStyle("right", parent=plain, alignment=TA_RIGHT, rightIndent=BODY_PT * 4)
    small = ParagraphStyle("small", parent=plain, fontSize=14, leading=24)

    esc = paragraph_text
    story: list[Any] = [Spacer(1, 10 * mm), Paragraph(esc(d.mark), mark), Spacer(1, 8 * mm)]
    number = f"{d.number}　　　　签发人：{d.signer}" if d.signer and d.kind in ("request", "report") else d.number
    story += [Paragraph(esc(number), center),
              HRFlowable(width="100%", thickness=1.5, color=colors.Color(*(c / 255 for c in RED)), spaceBefore=2 * mm),
              Spacer(1, 8 * mm), Paragraph(esc(d.title), title), Spacer(1, 4 * mm), Paragraph(esc(d.addressee), plain)]
    story += [Paragraph(esc(t), base) for t in d.body]
    for i, label in enumerate(d.attachments, 1):
        if i == 1:
            story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(esc(f"{'附件：' if i == 1 else '　　　'}{i}. {label}"), base))
    # 署名 and 成文日期 never part across a page break.
    story += [Spacer(1, 12 * mm), KeepTogether([Paragraph(esc(d.signature), right), Paragraph(esc(d.date), right)]),
              Spacer(1, 14 * mm), HRFlowable(width="100%", thickness=0.7, color=colors.black)]
    if d.copy_to:
        story += [Paragraph(esc(f"抄送：{d.copy_to}"), small), HRFlowable(width="100%", thickness=0.5, color=colors.black)]
    story += [Paragraph(esc(f"{d.printer}　　　　{d.date}印发"), small),
              HRFlowable(width="100%", thickness=0.7, color=colors.black)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                      rightMargin=26 * mm, title=d.title, author=d.issuer).build(story)
    return out.getvalue()


def paragraph_text(text: str) -> str:
    """Text escaped for a reportlab Paragraph (which reads a little markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_pdf(title: str, lines: list[str]) -> bytes:
    """A plain A4 PDF with a title and lines, in the CJK font the official documents use."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font, _ = cjk_font()
    body = ParagraphStyle("b", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    head = ParagraphStyle("h", parent=body, fontSize=18, leading=28, alignment=1)
    out = io.BytesIO()
    story: list[Any] = [Paragraph(paragraph_text(title), head), Spacer(1, 6 * mm)]
    story += [Paragraph(paragraph_text(t), body) for t in lines]
    SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=25 * mm, rightMargin=25 * mm).build(story)
    return out.getvalue()


def stand_in_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a scanned document (the demo's uploads)."""
    return plain_pdf(title, [f"{title}（演示文件）"])
