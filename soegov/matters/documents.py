"""Official documents of a matter: the enterprise's 请示 / 报告 and the supervisor's 批复 / 备案回执,
built from the record and laid out by soegov.core.rendering (GB/T 9704-2012, .docx and PDF)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.core.rendering import OfficialDocument, chinese_date
from soegov.matters.models import Matter, Route, Status

# The documents' Chinese names (the documents are Chinese); pages translate them where they list them.
KINDS = {"request": gettext_noop("请示"), "report": gettext_noop("报告"), "reply": gettext_noop("批复"),
         "receipt": gettext_noop("备案回执")}


def abbreviation(name: str) -> str:
    """The short name a 发文字号 carries (伊城投 for 伊宁市城市建设投资集团有限公司)."""
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
    from soegov.matters.selectors import attachment_label, current_attachments

    e = matter.enterprise
    supervisor = e.jurisdiction.supervisor
    year = (matter.submitted_at or matter.created_at).year
    today = chinese_date(timezone.localdate())
    if kind in ("request", "report"):
        word = KINDS[kind]
        body = [
            f"根据{_citation(matter)}的规定，现将{matter.title}有关情况{word}如下：",
            f"一、事项概况。{(matter.description or matter.title).rstrip('。')}{_amount(matter)}。",
        ]
        if matter.decided_at:
            body.append(f"二、决策情况。{chinese_date(timezone.localtime(matter.decided_at))}，{matter.decision_body}"
                        f"研究{(matter.decision_summary or '通过该事项').rstrip('。')}。")
        body.append("妥否，请批示。" if kind == "request" else "特此报告。")
        # The 请示 itself is not its own attachment.
        labels = [f"{attachment_label(a.kind)}（{a.original_name}）" for a in current_attachments(matter)
                  if a.kind != "request_letter"]
        return OfficialDocument(
            kind=kind, issuer=e.name, number=matter.doc_number or f"{abbreviation(e.name)}〔{year}〕　号",
            title=f"关于{matter.title}的{word}", addressee=f"{supervisor}：", body=body, attachments=labels,
            signature=e.name, date=chinese_date(timezone.localtime(matter.submitted_at).date()) if matter.submitted_at else today,
            copy_to="", printer=f"{e.name}办公室", signer=_signer(matter),
        )
    answered = chinese_date(timezone.localtime(matter.answered_at).date()) if matter.answered_at else today
    received = f"你单位《关于{matter.title}的{KINDS['request' if matter.route == Route.APPROVAL else 'report']}》收悉。"
    if kind == "reply":
        ok = matter.status in {Status.APPROVED, Status.IMPLEMENTED}
        # "经研究" says the supervisor's party committee studied it (art. 21): only when that pass is recorded.
        studied = "经研究" if matter.committee_passed_at else "经审核"
        verdict = f"{studied}，同意该事项。请严格按照有关规定组织实施，实施情况及时报告。" if ok else \
            f"{studied}，不同意该事项。{matter.answer_comment}"
        if matter.forwarded_at:
            # The city's answer decides; a refusal is never written as its consent.
            city = f"（{matter.answer_number}）" if matter.answer_number else ""
            verdict = (f"经审核并报市人民政府同意{city}，" + verdict.removeprefix(f"{studied}，") if ok else
                       f"经审核并报市人民政府，市人民政府不同意该事项{city}。{matter.answer_comment}")
        body = [received, f"根据{_citation(matter)}的规定，{verdict}", matter.answer_comment if ok and matter.answer_comment else ""]
        title = f"关于{e.name}{matter.title}的批复"
    else:
        ok = matter.status in {Status.FILED, Status.IMPLEMENTED}
        body = [received, f"根据{_citation(matter)}的规定，经合规性审查，" +
                ("予以备案。" if ok else f"不予备案。{matter.answer_comment}"),
                matter.answer_comment if ok and matter.answer_comment else ""]
        title = f"关于{e.name}{matter.title}的备案回执"
    # A forwarded item's answer_number is the city's; the supervisor's document carries its own number.
    own_number = matter.reply_number if matter.forwarded_at else matter.answer_number
    return OfficialDocument(
        kind=kind, issuer=supervisor, number=own_number or f"{abbreviation(supervisor)}复〔{year}〕　号",
        title=title, addressee=f"{e.name}：", body=[b for b in body if b], attachments=[], signature=supervisor,
        date=answered, copy_to="", printer=f"{supervisor}办公室",
    )
