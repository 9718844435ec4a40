"""Official documents of a matter, laid out after GB/T 9704-2012: the enterprise's 请示 / 报告 and the
supervisor's 批复 / 备案回执, as .docx (python-docx) and PDF (reportlab with a CJK font).

Elements, in order: 版头 (发文机关标志 and 发文字号, red separator), 标题, 主送机关, 正文, 附件说明,
发文机关署名, 成文日期, 版记 (抄送, 印发机关和印发日期).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from soegov.matters.models import Matter, Route, Status

# 3号 = 16 pt body, 2号 = 22 pt title (GB/T 9704-2012 7.3); red is the standard's 发文机关标志 colour.
BODY_PT, TITLE_PT, MARK_PT = 16, 22, 26
# The type area is 156 mm wide (GB/T 9704-2012 5.2.1).
TYPE_WIDTH_PT = 156 / 25.4 * 72
RED = (0xC8, 0x10, 0x2E)
BODY_FONT, TITLE_FONT, HEI_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体"
# Where Word lacks a GB font it falls back to these (w:altName), as offices without the GB fonts do.
FONT_FALLBACK = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", HEI_FONT: "SimHei"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = {"request": "请示", "report": "报告", "reply": "批复", "receipt": "备案回执"}
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


def _abbr(name: str) -> str:
    for suffix in ("有限责任公司", "有限公司", "集团", "公司"):
        name = name.replace(suffix, "")
    return name.replace("伊宁市", "伊").replace("寻甸县", "寻")[:4]


def available_kinds(matter: Matter) -> list[str]:
    """Which documents the matter has now."""
    kinds = ["request" if matter.route == Route.APPROVAL else "report"] if matter.route != Route.INTERNAL else []
    if matter.status in {Status.APPROVED, Status.REJECTED} and matter.route == Route.APPROVAL:
        kinds.append("reply")
    if matter.status in {Status.FILED, Status.REJECTED} and matter.route != Route.APPROVAL:
        kinds.append("receipt")
    if matter.status == Status.IMPLEMENTED:
        kinds += ["reply"] if matter.route == Route.APPROVAL else ["receipt"]
    return kinds


def _citation(matter: Matter) -> str:
    c = matter.citation or {}
    if not c:
        return ""
    item = f"第{c.get('item')}项" if c.get("item") else ""
    return f"《{_policy_title(matter)}》第{c.get('article')}条{item}"


def _policy_title(matter: Matter) -> str:
    v = matter.verdicts.first()
    return str((v.result.get("policy") or {}).get("title")) if v else matter.policy


def _signer(matter: Matter) -> str:
    """签发人: the enterprise's principal (board chair or party secretary) from the registry, else the filer."""
    from soegov.enterprises.models import BodyMember

    principal = (BodyMember.objects.filter(body__enterprise=matter.enterprise, is_principal=True,
                                           body__kind__in=["board", "party_committee", "party_branch", "gm_office"])
                 .order_by("body__kind").first())
    return principal.name if principal else str(matter.created_by or "")


def _amount(matter: Matter) -> str:
    return f"，涉及金额人民币{matter.amount:,.2f}元" if matter.amount is not None else ""


def build(matter: Matter, kind: str) -> OfficialDocument:
    """The document's elements from the matter; never invents a decision the record does not hold."""
    from soegov.matters.selectors import current_attachments
    from soegov.matters.services import attachment_label

    e = matter.enterprise
    supervisor = e.jurisdiction.supervisor
    year = (matter.submitted_at or matter.created_at).year
    today = chinese_date(timezone.localdate())
    if kind in ("request", "report"):
        word = KINDS[kind]
        body = [
            f"根据{_citation(matter)}的规定，现将{matter.title}有关情况{word}如下：",
            f"一、事项概况。{matter.description or matter.title}{_amount(matter)}。",
        ]
        if matter.decided_at:
            body.append(f"二、决策情况。{chinese_date(timezone.localtime(matter.decided_at))}，{matter.decision_body}"
                        f"研究{matter.decision_summary or '通过该事项'}。")
        body.append("妥否，请批示。" if kind == "request" else "特此报告。")
        # The 请示 itself is not its own attachment.
        labels = [f"{attachment_label(a.kind)}（{a.original_name}）" for a in current_attachments(matter)
                  if a.kind != "request_letter"]
        return OfficialDocument(
            kind=kind, issuer=e.name, number=matter.doc_number or f"{_abbr(e.name)}〔{year}〕　号",
            title=f"关于{matter.title}的{word}", addressee=f"{supervisor}：", body=body, attachments=labels,
            signature=e.name, date=chinese_date(timezone.localtime(matter.submitted_at).date()) if matter.submitted_at else today,
            copy_to="", printer=f"{e.name}办公室", signer=_signer(matter),
        )
    answered = chinese_date(timezone.localtime(matter.answered_at).date()) if matter.answered_at else today
    received = f"你单位《关于{matter.title}的{KINDS['request' if matter.route == Route.APPROVAL else 'report']}》收悉。"
    if kind == "reply":
        ok = matter.status in {Status.APPROVED, Status.IMPLEMENTED}
        verdict = "经研究，同意该事项。请严格按照有关规定组织实施，实施情况及时报告。" if ok else \
            f"经研究，不同意该事项。{matter.answer_comment}"
        if matter.forwarded_at:
            verdict = "经审核并报市人民政府同意，" + verdict.removeprefix("经研究，")
        body = [received, f"根据{_citation(matter)}的规定，{verdict}", matter.answer_comment if ok and matter.answer_comment else ""]
        title = f"关于{e.name}{matter.title}的批复"
    else:
        ok = matter.status in {Status.FILED, Status.IMPLEMENTED}
        body = [received, f"根据{_citation(matter)}的规定，经合规性审查，" +
                ("予以备案。" if ok else f"不予备案。{matter.answer_comment}"),
                matter.answer_comment if ok and matter.answer_comment else ""]
        title = f"关于{e.name}{matter.title}的备案回执"
    return OfficialDocument(
        kind=kind, issuer=supervisor, number=matter.answer_number or f"{_abbr(supervisor)}复〔{year}〕　号",
        title=title, addressee=f"{e.name}：", body=[b for b in body if b], attachments=[], signature=supervisor,
        date=answered, copy_to="", printer=f"{supervisor}办公室",
    )


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
    p = _para(doc, f"抄送：{d.copy_to or '无'}", size=14, space_before=42)
    _rule(p, "000000", 8, "top")
    p = _para(doc, f"{d.printer}\t{d.date}印发", size=14)
    _rule(p, "000000", 8, "top")
    _rule(p, "000000", 8, "bottom")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------------


def cjk_font() -> tuple[str, str]:
    """Register and name the CJK font: an embedded TrueType one if installed, else reportlab's STSong-Light."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

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

    def esc(t: str) -> str:
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

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
              Spacer(1, 14 * mm), HRFlowable(width="100%", thickness=0.7, color=colors.black),
              Paragraph(esc(f"抄送：{d.copy_to or '无'}"), small),
              HRFlowable(width="100%", thickness=0.5, color=colors.black),
              Paragraph(esc(f"{d.printer}　　　　{d.date}印发"), small),
              HRFlowable(width="100%", thickness=0.7, color=colors.black)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                      rightMargin=26 * mm, title=d.title, author=d.issuer).build(story)
    return out.getvalue()


def download(matter: Matter, kind: str, fmt: str) -> Any:
    """The document as a .docx or PDF download (for the page and the API alike); 404 when the matter has none."""
    from urllib.parse import quote

    from django.http import Http404, HttpResponse

    if kind not in available_kinds(matter) or fmt not in ("docx", "pdf"):
        raise Http404("该事项当前没有此文书")
    d = build(matter, kind)
    data = render_docx(d) if fmt == "docx" else render_pdf(d)
    response = HttpResponse(data, content_type=DOCX if fmt == "docx" else "application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(d.title)}.{fmt}"
    return response
