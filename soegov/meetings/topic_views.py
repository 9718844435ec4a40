"""Pages of topics: the list, raising one (by hand or from a matter), a topic's checklist and writes, its
materials (art. 19: read only by those entitled, every read audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from soegov.audit.services import audit_record
from soegov.core.errors import SoegovError
from soegov.core.files import file_exists, file_response
from soegov.core.forms import form_action
from soegov.core.paging import list_page
from soegov.core.redirects import post_or_back_to
from soegov.enterprises.models import BodyKind
from soegov.meetings import preparation, selectors, topics
from soegov.meetings.gates import ORGANISER_GATE, ORGANISERS, business_page
from soegov.meetings.models import AgendaItem, Category, TopicMaterial, TopicStatus


@login_required
@business_page
def topic_list(request: HttpRequest) -> HttpResponse:
    """Topics and a form to raise one by hand or from a matter that needs a collective decision."""
    return _topics_page(request)


def _topics_page(request: HttpRequest, refused: Any = None) -> HttpResponse:
    """The topics list; after a refused topic, the form open again with what was typed and the field marked."""
    from soegov.matters.selectors import matter_list

    user: Any = request.user
    can_create = user.role in ORGANISERS and user.enterprise_id is not None
    # The most recent 200: an enterprise with more matters waiting for a topic picks among the newest.
    matters = list(matter_list(user=user).filter(needs_collective_decision=True, topics__isnull=True)[:200]) \
        if can_create else []
    listing = list_page(selectors.topic_list(user), request.GET, filters=selectors.TOPIC_FILTERS,
                        search_fields=selectors.TOPIC_SEARCH)
    return render(request, "meetings/topics.html", {
        "topics": listing.page, "listing": listing, "statuses": TopicStatus.choices,
        "status": request.GET.get("status", ""),
        "categories": Category.choices, "can_create": can_create, "matters": matters,
        "typed": request.POST if refused else {}, "error": refused.error if refused else "",
        "field_errors": refused.field_errors if refused else {},
    }, status=400 if refused else 200)


@login_required
@post_or_back_to("meetings:topics")
@business_page
def topic_new(request: HttpRequest) -> HttpResponse:
    """Create a topic (from a matter when one is chosen)."""
    p = request.POST
    user: Any = request.user
    with form_action(request, flash=False) as outcome:
        if user.enterprise is None:
            raise SoegovError("required", "只有企业用户可以提出议题", "enterprise")
        if p.get("matter", "").isdigit():
            from soegov.matters.selectors import matter_get

            topic = topics.topic_from_matter(actor=user, matter=matter_get(user=user, pk=int(p["matter"])),
                                             category=p.get("category") or "major_decision")
        else:
            topic = topics.topic_create(actor=user, enterprise=user.enterprise, title=p.get("title", ""),
                                        category=p.get("category", ""), description=p.get("description", ""),
                                        amount=p.get("amount") or None,
                                        staff_interests=p.get("staff_interests") == "1")
        messages.success(request, _("议题已创建。下一步：逐项完成会前准备并上传决策材料（第十一条）。"))
        return redirect("meetings:topic", topic.pk)
    # The list again with the form as it was typed (a redirect would clear it), the refused field marked.
    return _topics_page(request, outcome)


@login_required
@business_page
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A topic: the art. 11 checklist, materials, dispute and the pre-study link."""
    topic = selectors.topic_get(user=request.user, pk=pk)
    prestudies = AgendaItem.objects.filter(meeting__enterprise=topic.enterprise, meeting__body__kind="party_committee",
                                           passed=True).select_related("meeting", "topic")
    route_labels = [BodyKind(b).label if b in BodyKind.values else b for b in topic.route]
    return render(request, "meetings/topic.html", {
        "topic": topic, "checklist": preparation.checklist(topic), "missing": preparation.missing(topic),
        "materials": topic.materials.all(), "can": ORGANISER_GATE.allows(request.user, topic.enterprise)
        and topic.status != TopicStatus.DECIDED, "prestudies": prestudies, "route_labels": route_labels,
        "items": topic.agenda_items.select_related("meeting"),
    })


@login_required
@post_or_back_to("meetings:topic")
@business_page
def topic_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One write on a topic."""
    topic = selectors.topic_get(user=request.user, pk=pk)
    p = request.POST
    actor = request.user
    with form_action(request, success=_("已保存"), denied_as_message=True):
        if action == "step":
            topics.topic_step_mark(actor=actor, topic=topic, step=p.get("step", ""), done=p.get("done", "1") == "1",
                             note=p.get("note", ""), version=p.get("version") or None)
        elif action == "upload":
            f = request.FILES.get("file")
            if f is None:
                raise SoegovError("required", "请选择要上传的文件", "file")
            topics.material_upload(actor=actor, topic=topic, name=f.name or "", data=f.read())
        elif action == "dispute":
            topics.dispute_set(actor=actor, topic=topic, disputed=p.get("disputed") == "1",
                               emergency=p.get("emergency") == "1", version=p.get("version") or None)
        elif action == "prestudy":
            item = AgendaItem.objects.filter(pk=p.get("item") or 0, meeting__enterprise=topic.enterprise).first()
            if item is None:
                raise SoegovError("required", "请选择党委前置研究的议题", "item")
            topics.prestudy_link(actor=actor, topic=topic, item=item, version=p.get("version") or None)
        else:
            raise Http404("无此操作")
    return redirect("meetings:topic", topic.pk)


@login_required
@business_page
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A topic's material, for those entitled to its meetings' papers (art. 19); every read audited."""
    material = TopicMaterial.objects.select_related("topic", "topic__enterprise").filter(pk=pk).first()
    if material is None:
        raise Http404("文件不存在")
    topic = selectors.topic_get(user=request.user, pk=material.topic_id)
    user: Any = request.user
    meetings = [i.meeting for i in topic.agenda_items.select_related("meeting", "meeting__enterprise")]
    allowed = ORGANISER_GATE.allows(user, topic.enterprise) or any(selectors.can_read_minutes(user, m) for m in meetings)
    if not allowed:
        audit_record(actor=user, action="topic.material_denied", obj=material)
        raise PermissionDenied("决策材料仅限参会人员和本企业办理人员查阅（第十九条）")
    if not file_exists(material.sha256):
        raise Http404("文件不存在")
    audit_record(actor=user, action="topic.material_read", obj=material)
    return file_response(material.sha256, material.original_name, actor=user, what=f"决策材料“{material.original_name}”")
