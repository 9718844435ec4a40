"""REST endpoints of the exchange app (thin: parse, call one service or selector, return)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from soegov.core.paging import PAGE_HEADERS_DOC, PageParams, api_page
from soegov.core.schemas import ERROR_RESPONSES, RecordId
from soegov.enterprises.selectors import enterprise_get
from soegov.exchange import exports, imports, meeting_export, selectors
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.audit_actions import ExchangeAction
from soegov.exchange.models import ReceivedMeeting, ReceivedSubject
from soegov.jobs.api import JobOut

router = Router(tags=["三重一大数据报送"])


class AnomalyOut(Schema):
    type: int
    label: str
    cause: str


class SubjectOut(Schema):
    id: int
    sid: str
    name: str
    item_codes: list[str]
    pass_flag: str
    approval_flag: str
    adopt_flag: str
    result: str
    attendances: list[list[str]]
    deliberations: list[list[str]]
    relations: list[list[str]]
    files: list[str]
    anomalies: list[AnomalyOut]

    @staticmethod
    def resolve_anomalies(obj: ReceivedSubject) -> Any:
        return list(obj.anomalies.all())


class MeetingOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    uscc: str
    sid: str
    name: str
    type_name: str
    meeting_time: str
    moderator: str
    anomaly_count: int

    @staticmethod
    def resolve_enterprise_name(obj: ReceivedMeeting) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_uscc(obj: ReceivedMeeting) -> str:
        return obj.enterprise.uscc

    @staticmethod
    def resolve_anomaly_count(obj: ReceivedMeeting) -> int:
        return int(getattr(obj, "anomaly_count", 0) or 0)


class MeetingDetailOut(MeetingOut):
    attendees: list[dict[str, Any]]
    files: list[str]
    subjects: list[SubjectOut]

    @staticmethod
    def resolve_subjects(obj: ReceivedMeeting) -> Any:
        return list(obj.subjects.filter(active=True).prefetch_related("anomalies"))


def _zip(name: str, data: bytes) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(data, content_type="application/zip")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


@router.post("/exchange/imports", response={202: JobOut, **ERROR_RESPONSES},
             summary="国资委端导入数据包（0004/0005/0006 zip，可多个；后台逐包整体入库或退回）：轮询 /api/v1/jobs/{id}，"
                     "结果的 items 逐包说明已接收或退回原因")
def import_zips(request: HttpRequest, files: File[list[UploadedFile]]) -> Any:
    """Keep zips named `<USCC>_<业务编码>_1000_<yyyyMMdd>.zip` and import them on the task queue; returns the job."""
    return Status(202, imports.import_start(actor=request.auth, files=[(f.name or "", f.read()) for f in files]))


@router.get("/exchange/meetings", response={200: list[MeetingOut], **ERROR_RESPONSES}, summary="接收的会议决策（含异常数）", openapi_extra=PAGE_HEADERS_DOC)
def meetings(request: HttpRequest, response: HttpResponse, paging: Query[PageParams], enterprise_id: RecordId | None = None, anomalous: bool = False) -> Any:
    """Received meetings in the caller's jurisdiction."""
    return api_page(request, response, selectors.received_meetings(user=request.auth, enterprise_id=enterprise_id, anomalous=anomalous), paging)


@router.get("/exchange/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERROR_RESPONSES},
            summary="一次接收的会议：议题、逐人审议结果、异常")
def meeting(request: HttpRequest, meeting_id: int) -> Any:
    """One received meeting with its subjects (a read of per-person votes, audited)."""
    from soegov.audit.services import audit_record

    meeting = selectors.received_meeting_get(user=request.auth, pk=meeting_id)
    audit_record(actor=request.auth, action=ExchangeAction.VIEW_MEETING, obj=meeting)
    return meeting


@router.get("/exchange/regulations/{regulation_id}/package.zip", response={200: None, **ERROR_RESPONSES},
            summary="制度（议事规则）数据包 0005")
def regulation_zip(request: HttpRequest, regulation_id: int) -> Any:
    """The 0005 zip of one regulation."""
    reg = selectors.regulation_get(user=request.auth, pk=regulation_id)
    return _zip(*exports.regulation_download(actor=request.auth, reg=reg))


@router.get("/exchange/enterprises/{enterprise_id}/items", response={200: list[dict[str, Any]], **ERROR_RESPONSES},
            summary="事项清单 0004 的 JSON 形式（每项一个数据包）")
def items_json(request: HttpRequest, enterprise_id: int) -> Any:
    """The enterprise's 0004 items as soegov's JSON form of the package."""
    from soegov.audit.services import audit_record

    ent = enterprise_get(user=request.auth, pk=enterprise_id)
    items = [p.to_json(i) for i in exports.decision_items(ent)]
    audit_record(actor=request.auth, action=ExchangeAction.EXPORT, obj=ent, after={"kind": rec.ITEM, "form": "json",
                                                                              "count": len(items)})
    return items


@router.get("/exchange/export/meetings/{meeting_id}.zip", response={200: None, **ERROR_RESPONSES},
            summary="本企业会议的会议决策数据包 0006（zip，国资委格式）")
def meeting_zip(request: HttpRequest, meeting_id: int) -> Any:
    """The 0006 zip of one soegov meeting (members, the secretary and the supervisor's staff only)."""
    from soegov.meetings.selectors import meeting_get

    return _zip(*meeting_export.meeting_download(actor=request.auth, meeting=meeting_get(user=request.auth, pk=meeting_id)))


@router.get("/exchange/export/meetings/{meeting_id}.json", response={200: dict[str, Any], **ERROR_RESPONSES},
            summary="本企业会议的会议决策数据包 0006 的 JSON 形式")
def meeting_json(request: HttpRequest, meeting_id: int) -> Any:
    """The 0006 package as soegov's JSON form (file names listed, not their bytes)."""
    from soegov.meetings.selectors import meeting_get

    return meeting_export.meeting_json(actor=request.auth, meeting=meeting_get(user=request.auth, pk=meeting_id))
