"""Documents of oversight, laid out by the shared GB/T 9704 renderers (soegov.core.rendering):
the case file for the discipline body and the annual inspection report."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from soegov.core.names import pack_title, plain
from soegov.core.rendering import OfficialDocument, chinese_date, render_docx, render_pdf
from soegov.matters.documents import abbreviation
from soegov.oversight.models import Case, Inspection

NUMERALS = "一二三四五六七八九十"
ANSWERS = {"yes": "符合", "no": "不符合", "na": "不适用", "": "未填"}


def _cite(c: dict[str, Any]) -> str:
    if not c:
        return ""
    return f"第{c.get('article')}条" + (f"第{c['item']}项" if c.get("item") else "")


def _consequences(policy: str, tier: str) -> str:
    """What follows the measure beyond it (yining art. 30 after 免职/解聘: pay stops, income recovered, losses repaid)."""
    from soegov.core.errors import SoegovError
    from soegov.policy.sanctions import sanctions_for

    try:
        return sanctions_for(policy).tier(tier).consequences_text()
    except SoegovError:
        return ""


def _collective_basis(case: Case) -> str:
    """A collective responsibility's basis in the case's pack (yining art. 28, xundian art. 30), or ""."""
    from soegov.core.errors import SoegovError
    from soegov.policy.sanctions import sanctions_for

    if case.responsibility != Case.COLLECTIVE:
        return ""
    try:
        basis = sanctions_for(case.policy).responsibility_of("collective")
    except SoegovError:
        return ""
    return f"（{basis.zh}，{basis.citation.short()}）" if basis else ""


def case_document(case: Case) -> OfficialDocument:
    """The case's facts, provision, parties (responsible and exempt with the minutes' proof), sanctions, steps."""
    e = case.enterprise
    supervisor = e.jurisdiction.supervisor
    sections: list[tuple[str, str]] = [
        ("基本情况", f"{e.name}，案件：{case.title}（状态：{case.get_status_display()}）。"),
        ("违规事实", case.facts),
        ("违反条款", f"《{pack_title(case.policy)}》{_cite(case.citation)}：{case.citation.get('text', '')}"),
        ("责任认定", f"{case.get_responsibility_display()}{_collective_basis(case)}。"),
    ]
    parties: list[str] = []
    for p in case.parties.prefetch_related("sanctions"):
        who = f"{p.name}（{p.position}）" if p.position else p.name
        if p.exempt:
            proof = p.exemption_proof or {}
            parties.append(f"{who}：免除责任。会议记录载明其表决时投反对票，意见：“{proof.get('opinion', '')}”。")
            continue
        line = f"{who}：{p.get_responsibility_display()}。"
        for s in p.sanctions.all():
            line += f"处理：{s.tier_label}（{_cite(s.citation)}）"
            consequences = _consequences(case.policy, s.tier)
            if consequences:
                line += f"，{consequences}"
            if s.performance_pay_deduction or s.tenure_incentive_deduction:
                line += (f"，{s.year}年绩效年薪 {s.performance_pay} 元，扣减 {s.performance_pay_deduction} 元"
                         f"（比例 {s.rate}）")
                if s.tenure_incentive_deduction:
                    line += f"，扣减任期激励 {s.tenure_incentive_deduction} 元"
            line += "。"
        parties.append(line)
    if case.referral:
        sections.append(("移送情况", case.referral_note or case.referral))
    if case.decision:
        sections.append(("处理决定", case.decision))
    if case.appeal:
        sections.append(("申诉", case.appeal + (f" 复查结果：{case.appeal_result}" if case.appeal_result else "")))
    # Numbered as written: a section the case does not have yet leaves no gap (四 → 六).
    body = [f"{NUMERALS[n]}、{title}。{text}" for n, (title, text) in enumerate(sections[:4])]
    body += parties
    body += [f"{NUMERALS[n]}、{title}。{text}" for n, (title, text) in enumerate(sections[4:], 4)]
    steps = "；".join(f"{timezone.localtime(ev.at):%Y-%m-%d %H:%M} {ev.action_label}" for ev in case.events.all())
    body.append(f"办理过程：{steps}。")
    today = chinese_date(timezone.localdate())
    return OfficialDocument(
        kind="report", issuer=supervisor, number=case.doc_number or f"{abbreviation(supervisor)}追责〔{case.created_at.year}〕　号",
        title=f"关于{case.title}的责任追究情况报告", addressee="纪检监察机关：", body=body, attachments=[],
        signature=supervisor, date=today, copy_to=e.name, printer=f"{supervisor}办公室")


def case_docx(case: Case) -> bytes:
    """The case file as .docx."""
    return render_docx(case_document(case))


def case_pdf(case: Case) -> bytes:
    """The case file as PDF."""
    return render_pdf(case_document(case))


def inspection_document(insp: Inspection) -> OfficialDocument:
    """The year's inspection report: each point with its answer, note and the system's evidence."""
    e = insp.enterprise
    supervisor = e.jurisdiction.supervisor
    body = [f"根据《{pack_title(insp.policy)}》的规定，{e.name}对{insp.year}年落实重大事项决策制度的情况进行了检查，现将情况报告如下："]
    for n, p in enumerate(insp.points, 1):
        # The evidence was written by the engine with its pack ids; the report names the regulation.
        ev = "；".join(plain(x.get("text", "")).rstrip("。") for x in p.get("evidence") or []) or "无"
        body.append(f"{n}. {p.get('zh')}（{_cite(p.get('citation') or {})}）——{ANSWERS.get(p.get('answer') or '', '未填')}。"
                    f"{p.get('note') or ''} 系统记录：{ev}。")
    if insp.review_comment:
        body.append(f"监管审核意见：{insp.review_comment}")
    due = f"，报送期限 {insp.due_on:%Y年%m月%d日}" if insp.due_on else ""
    return OfficialDocument(
        kind="report", issuer=e.name, number=f"自查〔{insp.year}〕{insp.pk}号",
        title=f"关于{insp.year}年度重大事项决策制度落实情况自查的报告", addressee=f"{supervisor}：",
        body=[*body, f"（{insp.status and insp.get_status_display()}{due}）"], attachments=[], signature=e.name,
        date=chinese_date(timezone.localdate()), copy_to="", printer=f"{e.name}办公室")


def inspection_docx(insp: Inspection) -> bytes:
    """The inspection report as .docx."""
    return render_docx(inspection_document(insp))


def inspection_pdf(insp: Inspection) -> bytes:
    """The inspection report as PDF."""
    return render_pdf(inspection_document(insp))
