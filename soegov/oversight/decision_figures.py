"""Dashboard figures and checklist evidence read from the meetings and follow-up apps (decisions with
violations, late ratifications, open execution items)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_noop

from soegov.core.notes import Note

# A flag the supervisor's import stored (its label is the stored anomaly's own words).
ANOMALY = gettext_noop("报送数据异常：{label}")
Kinds = dict[str, tuple[str, Callable[[Any, list[int] | None], list[dict[str, Any]]], str]]
# The engine's meeting violations the dashboard names (CONTRACT §2 codes), in Chinese.
VIOLATION_LABELS = {
    "no_quorum": gettext_noop("不足法定人数"), "not_a_meeting": gettext_noop("未以会议形式决策"),
    "ad_hoc_item": gettext_noop("临时动议"), "unprepared_item": gettext_noop("未完成会前准备"),
    "personnel_not_ballot": gettext_noop("人事任免未投票表决"), "principal_not_last": gettext_noop("主要负责人未末位表态"),
    "disputed_not_postponed": gettext_noop("争议较大未暂缓"), "no_notice": gettext_noop("未发会议通知"),
    "materials_late": gettext_noop("材料未提前送达"), "recused_member_voted": gettext_noop("应回避者参与表决"),
}


def _item_row(item: Any, labels: list[Note]) -> dict[str, Any]:
    title = f"{item.meeting.title}：{item.topic.title}"
    note = Note.joined(gettext_noop("、"), dict.fromkeys(labels))
    query = urlencode({"agenda_item": item.pk, "enterprise": item.meeting.enterprise_id,
                       "title": f"{item.topic.title}决策违规", "facts": f"{title}——{note}"})
    return {"enterprise": item.meeting.enterprise, "date": timezone_date(item.meeting.held_at), "title": title,
            "note": note, "labels": list(dict.fromkeys(labels)), "amount": item.topic.amount, "url": reverse("meetings:detail", args=[item.meeting_id]),
            "case_url": reverse("oversight:case_new") + "?" + query}


def _engine_labels(item: Any) -> list[Note]:
    """What the engine's check recorded against an agenda item, and a board decision's missing party pre-study."""
    from soegov.meetings.preparation import STEPS, required_steps, step_done

    labels = [Note(VIOLATION_LABELS.get(v.get("code", ""), v.get("code", ""))) for v in item.violations or []]
    if item.passed is not None and "prestudy" in required_steps(item.topic, item.meeting.body.kind) \
            and not step_done(item.topic, "prestudy"):
        step, cite = STEPS["prestudy"]
        labels.append(Note(gettext_noop("缺{step}（{cite}）"), step=Note(step), cite=Note(cite)))
    return labels


_ITEM_RELATED = ("meeting", "meeting__enterprise", "meeting__body", "topic")


def _item_violations(items: Any) -> list[dict[str, Any]]:
    """Rows for agenda items whose record breaks the rules, or whose board decision lacks the party pre-study."""
    return [_item_row(item, labels) for item in items.select_related(*_ITEM_RELATED) if (labels := _engine_labels(item))]


def violation_q() -> Any:
    """_engine_labels' test as SQL: the engine recorded a violation, or a decided item of a later body lacks the
    party committee's pre-study (its route names the committee, no pre-study item is linked, the step not done)."""
    from django.db.models import Q

    recorded = Q(violations__isnull=False) & ~Q(violations=[])
    prestudy_done = Q(topic__prestudy__isnull=False) | Q(topic__preparation__prestudy__done=True)
    # route is a JSON list of body kinds: its text holds the quoted code on SQLite and PostgreSQL alike.
    needs_prestudy = Q(topic__route__icontains='"party_committee"') & ~Q(meeting__body__kind="party_committee")
    return recorded | (Q(passed__isnull=False) & needs_prestudy & ~prestudy_done)


def _decision_violations_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[Any, str, str]]:
    """The figure's two sets of rows, as querysets the dashboard counts in SQL: agenda items the engine flags or
    an imported subject of the meeting's own 0006 names, and the imported flagged subjects of any other meeting."""
    from soegov.enterprises.selectors import enterprise_scope_q

    return _sources(lambda prefix: enterprise_scope_q(user, prefix), enterprise_ids)


def _sources(scope: Callable[[str], Any], enterprise_ids: list[int] | None) -> list[tuple[Any, str, str]]:
    """_decision_violations_sources within `scope` (prefix → a filter on Enterprise through that prefix)."""
    from django.db.models import CharField, Exists, F, OuterRef, Value
    from django.db.models.functions import Cast, Concat

    from soegov.exchange.selectors import flagged_subjects
    from soegov.meetings.models import AgendaItem

    items = AgendaItem.objects.filter(scope("meeting__enterprise__")).exclude(passed__isnull=True)
    if enterprise_ids is not None:
        items = items.filter(meeting__enterprise_id__in=enterprise_ids)
    subjects = flagged_subjects(user=None, enterprise_ids=enterprise_ids, scope_q=scope("meeting__enterprise__")).order_by()
    # records.own_meeting_id in SQL: a subject is one of soegov's own items when its id is the item's and its
    # meeting's id is "<uscc>-M<meeting pk>".
    own_meeting = Concat(F("meeting__enterprise__uscc"), Value("-M"), Cast(OuterRef("meeting_id"), CharField()),
                         output_field=CharField())
    names_item = subjects.filter(sid=Cast(OuterRef("pk"), CharField())).annotate(own=own_meeting).filter(
        meeting__sid=F("own"))
    item_meeting = Concat(OuterRef("meeting__enterprise__uscc"), Value("-M"), Cast(F("meeting_id"), CharField()),
                          output_field=CharField())
    own_item = items.annotate(sid=Cast("pk", CharField()), own=item_meeting).filter(
        sid=OuterRef("sid"), own=OuterRef("meeting__sid"))
    return [(items.filter(violation_q() | Exists(names_item)), "meeting__held_at", "meeting__enterprise_id"),
            (subjects.filter(~Exists(own_item)), "meeting__meeting_time", "meeting__enterprise_id")]


def _decision_violations(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    """One row per decision flagged by the engine's check of soegov's meetings or by the supervisor's import
    (the stored SubjectAnomaly rows 三重一大数据 shows: types 1–5 and the engine's); a decision both flag (a
    soegov meeting reported in 0006) is one row naming both. Read through the querysets the figure counts."""
    from soegov.enterprises.selectors import enterprise_scope_q

    return _rows(lambda prefix: enterprise_scope_q(user, prefix), enterprise_ids)


def enterprise_decision_violations(enterprise: Any, year: int) -> list[dict[str, Any]]:
    """The dashboard's 决策违规 rows of one enterprise's decisions in a year (the leaders' compliance line reads
    this, so the two never disagree), whoever reads them."""
    from django.db.models import Q

    # The year narrows the rows in SQL (a leaders page asks once per contract); the rows' own dates decide.
    rows = _rows(lambda prefix: Q(**{f"{prefix}pk": enterprise.pk}), [enterprise.pk],
                 items_q=Q(meeting__held_at__year=year), subjects_q=Q(meeting__meeting_time__startswith=f"{year:04d}"))
    return [r for r in rows if r["date"] is not None and r["date"].year == year]


def _rows(scope: Callable[[str], Any], enterprise_ids: list[int] | None, items_q: Any = None,
          subjects_q: Any = None) -> list[dict[str, Any]]:
    from django.db.models import Q

    from soegov.exchange import records
    from soegov.exchange.selectors import flagged_subjects

    (flagged, _, _), (lone, _, _) = _sources(scope, enterprise_ids)
    flagged, lone = flagged.filter(items_q or Q()), lone.filter(subjects_q or Q())
    items = {item.pk: item for item in flagged.select_related(*_ITEM_RELATED)}
    labels = {pk: _engine_labels(item) for pk, item in items.items()}
    subjects = flagged_subjects(user=None, enterprise_ids=enterprise_ids, scope_q=scope("meeting__enterprise__"))
    for s in subjects.filter(sid__in=[str(pk) for pk in items]):
        item = items[int(s.sid)]
        if s.meeting.sid == records.own_meeting_id(s.meeting.enterprise.uscc, item.meeting_id):
            labels[item.pk] += [Note(ANOMALY, label=Note(a.label)) for a in s.anomalies.all()]
    out = [_subject_row(s, [Note(ANOMALY, label=Note(a.label)) for a in s.anomalies.all()]) for s in lone]
    return out + [_item_row(items[pk], found) for pk, found in labels.items()]


def _subject_row(s: Any, labels: list[Note]) -> dict[str, Any]:
    """A flagged subject of a received meeting (not one of soegov's own), linked to its page in 三重一大数据."""
    import datetime as dt

    try:
        day: dt.date | None = dt.date.fromisoformat(s.meeting.meeting_time[:10])
    except ValueError:
        day = None
    title = f"{s.meeting.name}：{s.name}"
    note = Note.joined(gettext_noop("、"), dict.fromkeys(labels))
    query = urlencode({"enterprise": s.meeting.enterprise_id, "title": f"{s.name}决策违规", "facts": f"{title}——{note}"})
    return {"enterprise": s.meeting.enterprise, "date": day, "title": title, "note": note,
            "labels": list(dict.fromkeys(labels)), "amount": None,
            "url": reverse("exchange:meeting", args=[s.meeting_id]), "case_url": reverse("oversight:case_new") + "?" + query}


def _scope(user: Any, enterprise_ids: list[int] | None) -> Any:
    from django.db.models import Q

    from soegov.enterprises.selectors import enterprise_scope_q

    q = enterprise_scope_q(user)
    return q & Q(pk__in=enterprise_ids) if enterprise_ids is not None else q


def _action_row(a: Any, note: str) -> dict[str, Any]:
    return {"enterprise": a.enterprise, "date": a.due_date, "title": a.title, "note": note, "amount": None,
            "url": reverse("followup:action", args=[a.pk])}


def _late_ratifications_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[Any, str]]:
    from soegov.followup.selectors import late_ratifications

    return [(late_ratifications(_scope(user, enterprise_ids)), "decided_at")]


def _open_actions_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[Any, str]]:
    from soegov.followup.selectors import open_actions

    return [(open_actions(_scope(user, enterprise_ids)), "due_date")]


def _late_ratifications(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    [(emergencies, _)] = _late_ratifications_sources(user, enterprise_ids)
    return [{"enterprise": e.enterprise, "date": timezone_date(e.decided_at), "title": e.title,
             "note": Note(gettext_noop("追认期限 {due:%Y-%m-%d}，已逾期追认") if e.ratified_late
                          else gettext_noop("追认期限 {due:%Y-%m-%d}，尚未追认"), due=e.ratify_due),
             "amount": None, "url": reverse("followup:emergency", args=[e.pk])} for e in emergencies]


def _open_actions(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    [(actions, _)] = _open_actions_sources(user, enterprise_ids)
    return _action_rows(actions)


def timezone_date(moment: Any) -> Any:
    """The Shanghai date of an aware time."""
    from django.utils import timezone

    return timezone.localtime(moment).date()


# The dashboard figures read from the meetings and follow-up apps, after oversight's own.
KINDS: Kinds = {
    "decision_violations": (gettext_noop("决策违规（已记录的违规及已导入数据的异常，不含报送前提示）"),
                            _decision_violations, gettext_noop("寻甸办法第九、十、十三、十四条")),
    "late_ratifications": (gettext_noop("紧急决定逾期追认"), _late_ratifications,
                           gettext_noop("寻甸办法第十三条")),
    "open_actions": (gettext_noop("未完成的决策执行事项"), _open_actions, gettext_noop("寻甸办法第二十、二十四条")),
}

# The querysets behind the figures that are counted in SQL on the dashboard (their rows come from the same).
SOURCES: dict[str, Callable[[Any, list[int] | None], list[Any]]] = {
    "decision_violations": _decision_violations_sources, "late_ratifications": _late_ratifications_sources,
    "open_actions": _open_actions_sources}


def evidence(kind: str, enterprise: Any, year: int) -> list[dict[str, Any]]:
    """Checklist evidence from the meetings and follow-up apps."""
    if kind == "meeting_violations":
        from soegov.meetings.models import AgendaItem

        # The dashboard's SQL test picks the items; the labels are read for those alone.
        qs = AgendaItem.objects.filter(violation_q(), meeting__enterprise=enterprise, meeting__held_at__year=year).exclude(
            passed__isnull=True)
        return [{"text": f"{r['title']}：{r['note']}", "url": r["url"]} for r in _item_violations(qs)]
    if kind == "open_actions":
        from django.db.models import Q

        from soegov.followup.selectors import open_actions

        return [{"text": f"执行事项：{r['title']}（{r['note']}）", "url": r["url"]}
                for r in _action_rows(open_actions(Q(pk=enterprise.pk)))]
    return []


def _action_rows(actions: Any) -> list[dict[str, Any]]:
    from django.utils import timezone

    today = timezone.localdate()
    return [_action_row(a, Note(gettext_noop("已逾期")) if a.due_date < today
                        else Note(gettext_noop("完成时限 {due:%Y-%m-%d}"), due=a.due_date)) for a in actions]
