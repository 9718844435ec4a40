"""Signing several meeting records at once: each read and ticked, the signing PIN typed once, each signed by the
same service as on its meeting's page, in its own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from soegov.accounts.roles import BUSINESS_ROLES
from soegov.core.batch import Pick, read_picks, result_page, run_each
from soegov.core.errors import InputError, SoegovError
from soegov.core.gates import role_required
from soegov.core.paging import list_page
from soegov.meetings import minutes, selectors
from soegov.signatures.signing import unlock_own_key


def _title(m: Any) -> str:
    return f"{m.title}会议记录"


@login_required
@role_required(BUSINESS_ROLES, "您的角色无权签署会议记录")
def sign_minutes(request: HttpRequest) -> HttpResponse:
    """The records waiting for the user's signature; ticked ones confirmed (read, PIN), then each one's outcome."""
    if request.method != "POST":
        listing = list_page(selectors.minutes_to_sign(request.user), request.GET)
        return render(request, "meetings/sign_minutes.html", {"waiting": listing.page, "listing": listing})
    try:
        picks = read_picks(request.POST.getlist("pick"))
    except InputError as exc:
        messages.error(request, exc.message)
        return redirect("meetings:sign_minutes")
    records = {m.pk: m for m in selectors.seated_meetings(request.user).filter(pk__in=[p.pk for p in picks])}
    error = ""
    if request.POST.get("confirmed") == "1":
        try:
            if request.POST.get("read") != "1":
                raise InputError("not_read", "请先阅读所选会议记录，并勾选“我已阅读以上会议记录”", "read", "confirm you read them")
            key = unlock_own_key(actor=request.user, pin=request.POST.get("pin", ""))
        except SoegovError as exc:
            error = exc.message
        else:
            return _signed(request, picks, records, key)
    return render(request, "meetings/sign_minutes.html", {"confirm": [(p, records.get(p.pk)) for p in picks],
                                                          "error": error}, status=400 if error else 200)


def _signed(request: HttpRequest, picks: list[Pick], records: dict[int, Any], key: Any) -> HttpResponse:
    def act(meeting: Any, pick: Pick) -> str:
        minutes.minutes_sign(actor=request.user, meeting=meeting, key=key)
        return _("已以本人电子签名（SM2）签署")

    outcomes = run_each(picks, records, act, label=_title, url=lambda m: reverse("meetings:detail", args=[m.pk]) + "#minutes",
                        missing="您不是该会议所属决策机构的成员，不能签署其会议记录")
    return result_page(request, outcomes, title=_("批量签署会议记录结果"), what=_("会议记录"), back_url=reverse("home"),
                       back_label=_("返回待办"))
