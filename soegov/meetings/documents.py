"""The meeting record (会议记录, xundian-2020 art. 17) and summary (会议纪要, art. 18) as .docx and PDF.

Laid out by the shared GB/T 9704 renderers (`soegov.core.rendering.render_docx/render_pdf`); only
the content and the 版头 (…会议纪要 instead of …文件) differ, so the layout has one implementation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from soegov.core.rendering import OfficialDocument, chinese_date, render_docx, render_pdf
from soegov.meetings.models import Choice, Meeting, VotingMethod
from soegov.meetings.selectors import item_positions

KINDS = {"record": "会议记录", "summary": "会议纪要"}
CN_NUM = "一二三四五六七八九十"


@dataclass
class MeetingDocument(OfficialDocument):
    """An official document whose 版头 is the meeting's own heading."""

    heading: str = ""

    @property
    def mark(self) -> str:
        """The 版头 text: the heading when given (纪要格式), else the issuer's 文件."""
        return self.heading or f"{self.issuer}文件"


def _n(i: int) -> str:
    return CN_NUM[i] if i < len(CN_NUM) else str(i + 1)


def _cite(c: dict[str, Any]) -> str:
    doc = "《中华人民共和国公司法》" if c.get("document") == "prc-company-law-2023" else "《实施办法》"
    text = f"{doc}第{c.get('article')}条"
    if c.get("item"):
        text += f"第{c['item']}项"
    if c.get("subitem"):
        text += f"第{c['subitem']}目"
    return text


def _clauses(parts: Any) -> str:
    """Clauses joined by "；": a clause's own closing "。" dropped, so no "经理。；无记名投票" is printed."""
    return "；".join(str(p).rstrip("。；; ") for p in parts if str(p).strip())


def _when(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.held_at)
    return f"{chinese_date(local.date())}{local:%H:%M}"


def _decision(item: Any) -> str:
    r = item.result or {}
    if item.passed is None:
        return "尚未计票。"
    if getattr(item, "declared", False):
        verdict = "通过" if item.passed else "未通过"
        text = (f"会议宣布：{verdict}（{item.declared_label}）。已记录的表决：赞成{r.get('for', 0)}票、"
                f"反对{r.get('against', 0)}票、弃权{r.get('abstain', 0)}票。")
        return text + (f"决定：{item.conclusion}" if item.conclusion else "")
    counts = f"应参加表决{r.get('base', 0)}人，赞成{r.get('for', 0)}票、反对{r.get('against', 0)}票、弃权{r.get('abstain', 0)}票"
    text = f"{counts}，通过。" if item.passed else f"{counts}，未通过。"
    voids = [v for v in item.violations if v.get("voids")]
    others = [v for v in item.violations if not v.get("voids")]
    if voids:
        text += "不能视为通过的原因：" + _clauses(f"{v['message'].rstrip('。')}（{_cite(v['citation'])}）" for v in voids) + "。"
    if others:
        text += "程序问题：" + _clauses(f"{v['message'].rstrip('。')}（{_cite(v['citation'])}）" for v in others) + "。"
    if item.conclusion:
        text += f"决定：{item.conclusion}"
    return text


def record_body(meeting: Meeting) -> list[str]:
    """The six elements of art. 17, in its order."""
    minutes = getattr(meeting, "minutes", None)
    attendance = {a.member_id: a for a in meeting.attendance.select_related("member")}
    members = list(meeting.body.members.all())
    presence = {pk: a.present for pk, a in attendance.items()}
    present = [m.name for m in members if m.pk in attendance and attendance[m.pk].present and m.voting]
    absent = [f"{m.name}（{attendance[m.pk].absence_reason}）" for m in members
              if m.pk in attendance and not attendance[m.pk].present]
    nonvoting = [m.name for m in members if not m.voting and m.pk in attendance and attendance[m.pk].present]
    if meeting.nonvoting_attendees:
        nonvoting.append(meeting.nonvoting_attendees)
    items = list(meeting.items.select_related("topic").prefetch_related("votes", "recusals"))
    body = [
        "一、基本情况",
        f"时间：{_when(meeting)}；地点：{meeting.place or '未填写'}；主持人：{meeting.host.name if meeting.host else '未填写'}；"
        f"出席人员：{'、'.join(present) or '无'}；缺席人员：{'、'.join(absent) or '无'}；"
        f"列席人员：{'、'.join(nonvoting) or '无'}；记录人：{meeting.recorder or '未填写'}。",
        "二、会议决策的主要议题",
        *[f"{i + 1}. {item.topic.title}（{item.topic.get_category_display()}，{item.get_voting_method_display()}"
          f"{'，临时动议' if not item.on_agenda else ''}）" for i, item in enumerate(items)],
        "三、决策机构成员本人的意见和表态",
    ]
    dissent: list[str] = []
    for i, item in enumerate(items):
        rows = []
        secret = item.voting_method == VotingMethod.BALLOT
        for p in item_positions(item, present=presence, members=members):
            if not p["member"].voting:
                continue
            if p["recused"]:
                rows.append(f"{p['name']}：回避")
            elif not p["present"]:
                opinion = attendance[p["member"].pk].opinion_for(item) if p["member"].pk in attendance else ""
                rows.append(f"{p['name']}：缺席" + (f"，书面意见：“{opinion}”（不计入表决）" if opinion else ""))
            elif p["vote"] is None:
                rows.append(f"{p['name']}：未表态")
            else:
                if secret:
                    rows.append(f"{p['name']}：已投票")
                    continue
                rows.append(f"{p['name']}：{Choice(p['vote']).label}" + (f"，意见：“{p['opinion']}”" if p["opinion"] else ""))
                if not secret and p["vote"] != Choice.FOR and p["opinion"]:
                    dissent.append(f"{p['name']}就“{item.topic.title}”{Choice(p['vote']).label}：“{p['opinion']}”")
        body.append(f"{i + 1}. {item.topic.title}：" + _clauses(rows) + "。")
    body += ["四、其他列席会议人员的意见", (minutes.nonvoting_opinions if minutes and minutes.nonvoting_opinions else "无。"),
             "五、主要分歧意见"]
    body += [minutes.disagreements] if minutes and minutes.disagreements else []
    body += dissent or ([] if minutes and minutes.disagreements else ["无。"])
    body.append("六、会议最终决定")
    body += [f"{i + 1}. {item.topic.title}：{_decision(item)}" for i, item in enumerate(items)]
    if minutes is not None:
        # The signatures are not text of the record: each present member signs these very bytes (SM2), and the
        # downloaded file carries them (soegov verify / 签名验证 names each signer and the time).
        signers = [m.name for m in members if m.pk in attendance and attendance[m.pk].present]
        body.append(f"出席人员签字：{'、'.join(signers) or '无'}（以本记录所附本人 SM2 电子签名为准）。")
    return body


def summary_body(meeting: Meeting) -> list[str]:
    """The 纪要: who met, what was decided item by item, and the summary text (art. 18)."""
    minutes = getattr(meeting, "minutes", None)
    present = [a.member.name for a in meeting.attendance.select_related("member").filter(present=True)]
    host = meeting.host.name if meeting.host else "主要负责人"
    body = [f"{_when(meeting)}，{host}在{meeting.place or '本公司会议室'}主持召开{meeting.body.name}会议。"
            f"出席：{'、'.join(present) or '无'}。会议研究了以下事项，纪要如下："]
    for i, item in enumerate(meeting.items.select_related("topic")):
        verdict = "会议同意" if item.passed else "会议未通过"
        text = f"{_n(i)}、关于{item.topic.title}。{verdict}。"
        if item.declared:
            text += f"（{item.declared_label}）"
        if item.conclusion:
            text += item.conclusion
        if not item.passed and item.violations:
            text += "（" + _clauses(v["message"] for v in item.violations if v.get("voids")) + "）"
        body.append(text)
    if minutes and minutes.summary:
        body.append(minutes.summary)
    return body


def build(meeting: Meeting, kind: str) -> MeetingDocument:
    """The document's elements from the records; never invents a decision the record does not hold."""
    e = meeting.enterprise
    minutes = getattr(meeting, "minutes", None)
    year = timezone.localtime(meeting.held_at).year
    number = (minutes.doc_number if minutes and minutes.doc_number else f"〔{year}〕第{meeting.pk}期")
    body = record_body(meeting) if kind == "record" else summary_body(meeting)
    return MeetingDocument(
        kind=kind, issuer=e.name, number=number, title=f"{meeting.title}{KINDS[kind]}", addressee="",
        body=body, attachments=[], signature=e.name, date=chinese_date(timezone.localtime(meeting.held_at).date()),
        copy_to="", printer=f"{e.name}办公室", heading=f"{meeting.body.name}{KINDS[kind]}",
    )


def record_ref(minutes: Any) -> str:
    """The key under which a meeting's record is frozen for signing."""
    return f"meetings.minutes:{minutes.pk}"


def record_freeze(*, actor: Any, meeting: Meeting, minutes: Any) -> Any:
    """The record as signed: frozen at the first signature of each text of the minutes, and reused after it."""
    from soegov.signatures import signing

    current = signed_record(minutes)
    if current is not None:
        return current
    return signing.freeze_document(actor=actor, kind="minutes-record", ref=record_ref(minutes),
                                   title=f"{meeting.title}{KINDS['record']}", source_version=minutes.version,
                                   renditions={fmt: render(meeting, "record", fmt) for fmt in ("docx", "pdf")})


def signed_record(minutes: Any) -> Any:
    """The frozen record the present signatures are on (None while nobody has signed the current text).

    Editing the minutes removes the signatures (minutes.minutes_edit), so a frozen revision with signatures
    standing is always the current text.
    """
    from soegov.signatures.selectors import latest_document

    return latest_document(record_ref(minutes)) if minutes.signatures.exists() else None


def render(meeting: Meeting, kind: str, fmt: str) -> bytes:
    """The record or summary as .docx or PDF bytes."""
    doc = build(meeting, kind)
    return render_docx(doc) if fmt == "docx" else render_pdf(doc)
