"""The review queue's batch actions: 签收 or 予以备案 several matters at once, each through its single service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from soegov.accounts.roles import SUPERVISOR_ROLES
from soegov.core.batch import Pick, read_picks, result_page, run_each
from soegov.core.errors import InputError
from soegov.core.forms import page_message
from soegov.core.gates import role_required
from soegov.core.redirects import post_or_back_to
from soegov.matters import lifecycle, selectors

# action: (what the button says, what a done row says, whether it is final and so asks for confirmation first)
BATCH_ACTIONS = {
    "start_review": (gettext_noop("签收（开始审核）"), gettext_noop("已签收，进入审核"), False),
    "file": (gettext_noop("予以备案"), gettext_noop("已予以备案"), True),
}


def _act(request: HttpRequest, action: str) -> Any:
    comment = request.POST.get("comment", "")

    def act(m: Any, pick: Pick) -> str:
        if action == "start_review":
            lifecycle.matter_start_review(actor=request.user, matter=m, version=pick.version)
            return _(BATCH_ACTIONS[action][1])
        done = lifecycle.matter_decide(actor=request.user, matter=m, version=pick.version, outcome="file", comment=comment)
        return _("%(done)s，备案回执 %(number)s") % {"done": _(BATCH_ACTIONS[action][1]), "number": done.answer_number}

    return act


@login_required
@post_or_back_to("matters:queue")
@role_required(SUPERVISOR_ROLES, "只有国资监管人员可以办理审核队列")
def review_batch(request: HttpRequest) -> HttpResponse:
    """Ticked matters of the queue: a confirmation first for a final answer, then each one's outcome."""
    action = request.POST.get("action", "")
    if action not in BATCH_ACTIONS:
        messages.error(request, _("请选择批量操作：签收或予以备案"))
        return redirect("matters:queue")
    try:
        picks = read_picks(request.POST.getlist("pick"))
    except InputError as exc:
        messages.error(request, page_message(exc))
        return redirect("matters:queue")
    # The user's scope, not the queue: a matter answered meanwhile is named with the service's own reason.
    records = {m.pk: m for m in selectors.matter_list(user=request.user).filter(pk__in=[p.pk for p in picks])}
    label, _done, final = BATCH_ACTIONS[action]
    if final and request.POST.get("confirmed") != "1":
        return render(request, "matters/batch_confirm.html", {
            "action": action, "label": label, "rows": [(p, records.get(p.pk)) for p in picks],
            "comment": request.POST.get("comment", "")})
    outcomes = run_each(picks, records, _act(request, action), label=lambda m: m.title,
                        url=lambda m: reverse("matters:detail", args=[m.pk]),
                        missing="该事项不存在或不在您的范围内")
    return result_page(request, outcomes, title=_("批量%(label)s结果") % {"label": _(label)}, what=_("事项"),
                       back_url=reverse("matters:queue"), back_label=_("返回审核队列"))
