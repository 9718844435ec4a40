"""REST endpoints of the followup app (thin: parse, call one service or selector, return)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from soegov.core.errors import SoegovError
from soegov.core.paging import PAGE_HEADERS_DOC, PageParams, api_page
from soegov.core.schemas import ERROR_RESPONSES
from soegov.followup import selectors, services
from soegov.followup.models import ActionItem, EmergencyDecision

router = Router(tags=["决策督办与紧急决策追认"])


class ActionOut(Schema):
    id: int
    enterprise_id: int
    agenda_item_id: int
    title: str
    department: str
    owner_id: int | None
    owner_name: str
    due_date: dt.date
    due_working_days: int | None
    status: str
    status_label: str
    overdue: bool
    version: int
    evidence_name: str

    @staticmethod
    def resolve_status_label(obj: ActionItem) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_overdue(obj: ActionItem) -> bool:
        return obj.is_overdue()


class ActionIn(Schema):
    agenda_item_id: int
    title: str
    owner_name: str = ""
    owner_id: int | None = None
    department: str = ""
    due_date: dt.date | None = None
    due_working_days: int | None = None


class ReportIn(Schema):
    text: str
    percent: int = 0


class ChangeIn(Schema):
    cause: str
    description: str
    version: int | None = None


class RedecideIn(Schema):
    agenda_item_id: int
    outcome: str
    due_date: dt.date | None = None
    version: int | None = None


class EmergencyOut(Schema):
    id: int
    enterprise_id: int
    body_id: int
    title: str
    form: str
    decided_by: str
    decided_at: dt.datetime
    ratify_due: dt.date
    status: str
    ratified_by_id: int | None
    ratified_late: bool
    late: bool
    version: int

    @staticmethod
    def resolve_late(obj: EmergencyDecision) -> bool:
        return selectors.is_late(obj)


class EmergencyIn(Schema):
    body_id: int
    title: str
    content: str
    reason: str
    form: str
    decided_by: str
    decided_at: dt.datetime


class RatifyIn(Schema):
    agenda_item_id: int
    version: int | None = None


def _item(request: HttpRequest, pk: int) -> Any:
    from soegov.meetings.selectors import decided_items

    item = decided_items(request.auth).filter(pk=pk).first()
    if item is None:
        raise SoegovError("invalid_agenda_item", "议题不存在、尚无表决结果或不在您的范围内", "agenda_item_id")
    return item


@router.get("/followup/actions", response={200: list[ActionOut], **ERROR_RESPONSES}, summary="督办事项（可只看逾期）", openapi_extra=PAGE_HEADERS_DOC)
def actions(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], status: str = "", overdue: bool = False) -> Any:
    """Action items the caller may see."""
    return api_page(request, response, selectors.action_list(user=request.auth, status=status, overdue=overdue), paging)


@router.post("/followup/actions", response={200: ActionOut, **ERROR_RESPONSES}, summary="布置督办事项（已通过议题）")
def action_create(request: HttpRequest, body: ActionIn) -> Any:
    """An action on a passed agenda item, due on a date or N working days after the meeting."""
    owner = None
    if body.owner_id is not None:
        from soegov.accounts.models import User

        owner = User.objects.filter(pk=body.owner_id, is_active=True).first()
        if owner is None:
            raise SoegovError("invalid_owner", "责任人账号不存在", "owner_id")
    return services.action_create(actor=request.auth, agenda_item=_item(request, body.agenda_item_id), title=body.title,
                                  owner=owner, owner_name=body.owner_name, department=body.department, due_date=body.due_date,
                                  due_working_days=body.due_working_days)


@router.post("/followup/actions/{action_id}/reports", response={200: ActionOut, **ERROR_RESPONSES}, summary="报告进展")
def action_report(request: HttpRequest, action_id: int, body: ReportIn) -> Any:
    """A progress report."""
    action = selectors.action_get(user=request.auth, pk=action_id)
    services.action_report(actor=request.auth, action=action, text=body.text, percent=body.percent)
    return selectors.action_get(user=request.auth, pk=action_id)


@router.post("/followup/actions/{action_id}/changes", response={200: ActionOut, **ERROR_RESPONSES},
             summary="报告情况变化（第二十条），事项冻结待重新决策")
def action_change(request: HttpRequest, action_id: int, body: ChangeIn) -> Any:
    """Report a change of circumstances; the action is frozen."""
    action = selectors.action_get(user=request.auth, pk=action_id)
    services.report_change(actor=request.auth, action=action, cause=body.cause, description=body.description,
                           version=body.version)
    return selectors.action_get(user=request.auth, pk=action_id)


@router.post("/followup/actions/{action_id}/redecision", response={200: ActionOut, **ERROR_RESPONSES}, summary="登记重新决策")
def action_redecide(request: HttpRequest, action_id: int, body: RedecideIn) -> Any:
    """The body's new decision on a frozen action: continue or stop."""
    action = selectors.action_get(user=request.auth, pk=action_id)
    return services.redecide(actor=request.auth, action=action, agenda_item=_item(request, body.agenda_item_id),
                             outcome=body.outcome, due_date=body.due_date, version=body.version)


@router.post("/followup/actions/{action_id}/completion", response={200: ActionOut, **ERROR_RESPONSES}, summary="办结（上传佐证材料）")
def action_complete(request: HttpRequest, action_id: int, note: Form[str], evidence: File[UploadedFile],
                    version: Form[int | None] = None) -> Any:
    """Mark done with the evidence file."""
    action = selectors.action_get(user=request.auth, pk=action_id)
    return services.action_complete(actor=request.auth, action=action, note=note, evidence_name=evidence.name or "",
                                    evidence=evidence.read(), version=version)


@router.get("/followup/emergencies", response={200: list[EmergencyOut], **ERROR_RESPONSES}, summary="紧急决策（第十三条）")
def emergencies(request: HttpRequest, late: bool = False) -> Any:
    """Emergency decisions the caller may see; `late` keeps those not ratified in time."""
    rows = list(selectors.emergency_list(user=request.auth))
    today = timezone.localdate()
    return [e for e in rows if selectors.is_late(e, today)] if late else rows


@router.post("/followup/emergencies", response={200: EmergencyOut, **ERROR_RESPONSES},
             summary="登记紧急决策（传阅会签、碰头会、个别征求意见不予接受）")
def emergency_create(request: HttpRequest, body: EmergencyIn) -> Any:
    """Record an emergency decision for ratification."""
    from soegov.enterprises.models import DecisionBody
    from soegov.enterprises.selectors import enterprise_scope_q

    decision_body = DecisionBody.objects.filter(enterprise_scope_q(request.auth, "enterprise__"), pk=body.body_id).first()
    if decision_body is None:
        raise SoegovError("invalid_body", "决策机构不存在或不在您的范围内", "body_id")
    return services.emergency_record(actor=request.auth, body=decision_body, title=body.title, content=body.content,
                                     reason=body.reason, form=body.form, decided_by=body.decided_by,
                                     decided_at=body.decided_at)


@router.post("/followup/emergencies/{emergency_id}/ratification", response={200: EmergencyOut, **ERROR_RESPONSES},
             summary="登记追认（决策机构会议的议题）")
def emergency_ratify(request: HttpRequest, emergency_id: int, body: RatifyIn) -> Any:
    """Link the agenda item that ratified the decision."""
    ed = selectors.emergency_get(user=request.auth, pk=emergency_id)
    return services.ratify(actor=request.auth, decision=ed, agenda_item=_item(request, body.agenda_item_id),
                           version=body.version)
