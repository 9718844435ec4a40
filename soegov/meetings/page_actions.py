"""The meeting page's actions, one row each: it reads its form, calls one service (one transaction) and says
what was done. `views.meeting_act` looks the action up here; an action that is not a row is a 404.

Signing (a vote by ballot, the minutes) first opens the member's key with his PIN, outside the write's
transaction, so that a wrong PIN is counted even though the write is refused (signatures.signing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from soegov.core.errors import SoegovError
from soegov.meetings import minutes, results, selectors, sessions, voting
from soegov.meetings.models import DECLARED_LABEL, Meeting
from soegov.signatures.signing import unlock_own_key


@dataclass(frozen=True)
class Done:
    """What an action did, said to the user; `warning` when it was saved but the user should look again."""

    text: str
    warning: bool = False


@dataclass(frozen=True)
class Action:
    """One write of the meeting page; `live` when htmx gets the live section (attendance, items, votes) back."""

    run: Callable[[HttpRequest, Meeting], Done]
    live: bool = False


def _version(request: HttpRequest) -> str | None:
    return request.POST.get("version") or None


def _member_arg(request: HttpRequest, meeting: Meeting) -> Any:
    """The member a vote is for: the one chosen on the form, else the user's own seat."""
    raw = request.POST.get("member", "")
    if raw.isdigit():
        return int(raw)
    me = selectors.seat_of(request.user, meeting)
    if me is None:
        raise SoegovError("required", "请选择成员", "member")
    return me


def _notice(request: HttpRequest, meeting: Meeting) -> Done:
    sessions.notice_send(actor=request.user, meeting=meeting, version=_version(request))
    return Done(_("会议通知已发出（每位成员一条记录）"))


def _add_item(request: HttpRequest, meeting: Meeting) -> Done:
    p = request.POST
    try:
        topic = selectors.topic_get(user=request.user, pk=p.get("topic", ""))
    except Http404:
        raise SoegovError("invalid_topic", "请选择本企业的议题", "topic") from None
    sessions.item_add(actor=request.user, meeting=meeting, topic=topic, voting_method=p.get("voting_method") or None,
                      ad_hoc=p.get("ad_hoc") == "1")
    return Done(_("议题已列入议程") if p.get("ad_hoc") != "1" else _("已记录临时动议（系统将按第十四条标注）"))


def _distribute(request: HttpRequest, meeting: Meeting) -> Done:
    sessions.materials_distribute(actor=request.user, meeting=meeting, version=_version(request))
    return Done(_("已登记决策材料送达"))


def _open(request: HttpRequest, meeting: Meeting) -> Done:
    sessions.meeting_open(actor=request.user, meeting=meeting, version=_version(request))
    return Done(_("会议开始：请登记出席情况，然后逐项讨论、表决"))


def _attendance(request: HttpRequest, meeting: Meeting) -> Done:
    p = request.POST
    sessions.attendance_record(actor=request.user, meeting=meeting, member=p.get("member", ""),
                               present=p.get("present") == "1", absence_reason=p.get("absence_reason", ""),
                               written_opinion=p.get("written_opinion", ""), opinion_item=p.get("opinion_item") or None)
    return Done(_("已登记出席情况"))


def _all_present(request: HttpRequest, meeting: Meeting) -> Done:
    sessions.attendance_record_all_present(actor=request.user, meeting=meeting)
    return Done(_("其余成员已登记为出席"))


def _nonvoting(remove: bool) -> Callable[[HttpRequest, Meeting], Done]:
    def run(request: HttpRequest, meeting: Meeting) -> Done:
        sessions.nonvoting_set(actor=request.user, meeting=meeting, name=request.POST.get("nonvoting_name", ""),
                               position=request.POST.get("nonvoting_position", ""), remove=remove)
        return Done(_("已移除列席人员") if remove else _("已登记列席人员"))
    return run


def _recusal(request: HttpRequest, meeting: Meeting) -> Done:
    p = request.POST
    sessions.recusal_record(actor=request.user, meeting=meeting, item=p.get("item", ""), member=p.get("member", ""),
                            recused=p.get("recused") == "1", reason=p.get("reason", ""))
    return Done(_("已登记回避"))


def _statements(request: HttpRequest, meeting: Meeting) -> Done:
    p = request.POST
    sessions.statements_record(actor=request.user, meeting=meeting, item=p.get("item", ""),
                               order=[x for x in p.getlist("order") if x])
    # The order is saved as spoken; the engine's one meeting check says whether it breaks 末位表态.
    flags = results.statement_warnings(meeting, p.get("item", ""))
    return Done(_("已登记表态顺序") + (_("。请注意：%(flags)s") % {"flags": "；".join(flags)} if flags else ""),
                warning=bool(flags))


def _vote(request: HttpRequest, meeting: Meeting) -> Done:
    p = request.POST
    # A member's own ballot is signed: his PIN opens his key before the vote is written.
    key = unlock_own_key(actor=request.user, pin=p["pin"]) if "pin" in p else None
    voting.vote_record(actor=request.user, meeting=meeting, item=p.get("item", ""), member=_member_arg(request, meeting),
                       choice=p.get("choice", ""), opinion=p.get("opinion", ""), key=key)
    return Done(_("已投票并以本人电子签名签署") if key is not None else _("已记录表决"))


def _conclusion(request: HttpRequest, meeting: Meeting) -> Done:
    voting.conclusion_set(actor=request.user, meeting=meeting, item=request.POST.get("item", ""),
                          conclusion=request.POST.get("conclusion", ""))
    return Done(_("已记录决定事项"))


def _results(request: HttpRequest, meeting: Meeting) -> Done:
    result = results.results_compute(actor=request.user, meeting=meeting)
    return Done(_("已由规则引擎计票") if result is not None else _("本辖区制度没有会议决策规则，不计算结果"))


def _declare(request: HttpRequest, meeting: Meeting) -> Done:
    row = results.result_declare(actor=request.user, meeting=meeting, item=request.POST.get("item", ""),
                                 passed=request.POST.get("passed", ""))
    return Done(_("已登记会议宣布的结果：%(result)s（%(label)s）") % {"result": _("通过") if row.passed else _("未通过"),
                                                                "label": _(DECLARED_LABEL)})


def _close(request: HttpRequest, meeting: Meeting) -> Done:
    closed = results.meeting_close(actor=request.user, meeting=meeting, version=_version(request))
    # Without meeting rules the engine computed nothing (results_at stays empty): the message must not claim it did.
    if closed.results_at is None:
        return Done(_("会议结束（本辖区制度没有会议决策规则，不计算结果）。下一步：填写会议记录，出席人员签字后归档"))
    return Done(_("会议结束，结果已计算。下一步：填写会议记录，出席人员签字后归档"))


def _minutes(request: HttpRequest, meeting: Meeting) -> Done:
    p = request.POST
    minutes.minutes_edit(actor=request.user, meeting=meeting, nonvoting_opinions=p.get("nonvoting_opinions", ""),
                         disagreements=p.get("disagreements", ""), summary=p.get("summary", ""),
                         doc_number=p.get("doc_number", ""), version=_version(request))
    return Done(_("会议记录已保存"))


def _sign(request: HttpRequest, meeting: Meeting) -> Done:
    # Someone without a seat at the meeting is refused before his key is opened.
    minutes.own_seat(request.user, meeting)
    key = unlock_own_key(actor=request.user, pin=request.POST.get("pin", ""))
    minutes.minutes_sign(actor=request.user, meeting=meeting, key=key)
    return Done(_("已以本人电子签名（SM2）签署会议记录"))


def _archive(request: HttpRequest, meeting: Meeting) -> Done:
    minutes.minutes_archive(actor=request.user, meeting=meeting, version=_version(request))
    return Done(_("会议记录已归档并锁定"))


def _copy_issue(request: HttpRequest, meeting: Meeting) -> Done:
    sessions.copy_issue(actor=request.user, meeting=meeting, holder=request.POST.get("holder", ""),
                        what=request.POST.get("what", ""))
    return Done(_("已登记发放"))


def _copy_step(step: str) -> Callable[[HttpRequest, Meeting], Done]:
    def run(request: HttpRequest, meeting: Meeting) -> Done:
        sessions.copy_step_record(actor=request.user, meeting=meeting, copy=request.POST.get("copy", ""), step=step)
        return Done(_("已登记"))
    return run


ACTIONS: dict[str, Action] = {
    "notice": Action(_notice),
    "add_item": Action(_add_item),
    "distribute": Action(_distribute),
    "open": Action(_open),
    "attendance": Action(_attendance, live=True),
    "all_present": Action(_all_present, live=True),
    "nonvoting": Action(_nonvoting(remove=False)),
    "nonvoting_remove": Action(_nonvoting(remove=True)),
    "recusal": Action(_recusal, live=True),
    "statements": Action(_statements, live=True),
    "vote": Action(_vote, live=True),
    "conclusion": Action(_conclusion, live=True),
    "results": Action(_results, live=True),
    "declare": Action(_declare, live=True),
    "close": Action(_close),
    "minutes": Action(_minutes),
    "sign": Action(_sign),
    "archive": Action(_archive),
    "copy_issue": Action(_copy_issue),
    "copy_recover": Action(_copy_step("recover")),
    "copy_destroy": Action(_copy_step("destroy")),
}
