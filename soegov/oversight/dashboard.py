"""The supervisor's dashboard: each figure is the count of a row list built here (`rows(kind, ...)`), so every
figure links to exactly the rows it counts; the monthly trend and its chart."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Func, IntegerField, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from soegov.core.notes import Note
from soegov.enterprises.models import Enterprise
from soegov.enterprises.selectors import enterprise_scope_q
from soegov.oversight import decision_figures
from soegov.oversight.models import Finding, FindingStatus, Inspection
from soegov.oversight.selectors import case_list, event_list, finding_list


def _matter_row(m: Any, note: str = "") -> dict[str, Any]:
    return {"enterprise": m.enterprise, "date": m.occurred_on, "title": m.title, "note": note or m.get_status_display(),
            "amount": m.amount, "url": reverse("matters:detail", args=[m.pk])}


def _overdue_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[QuerySet[Any], str]]:
    from soegov.matters.models import Status
    from soegov.matters.selectors import matter_list, overdue_q

    qs = matter_list(user=user).exclude(status__in=[Status.REJECTED]).filter(overdue_q())
    return [(_within(qs, enterprise_ids), "occurred_on")]


def _overdue_matters(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    now = timezone.now()
    out = []
    for m in _overdue_sources(user, enterprise_ids)[0][0]:
        side = Note(gettext_noop("监管答复逾期")) if m.review_due_at and (m.answered_at or now) > m.review_due_at \
            else Note(gettext_noop("企业报送逾期"))
        out.append(_matter_row(m, side))
    return out


def _within(qs: QuerySet[Any], enterprise_ids: list[int] | None) -> QuerySet[Any]:
    return qs.filter(enterprise_id__in=enterprise_ids) if enterprise_ids is not None else qs


def _implemented_early_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[QuerySet[Any], str]]:
    from soegov.matters.models import IMPLEMENTED_EARLY
    from soegov.matters.selectors import matter_list

    # The condition of matter_implemented_early_idx itself, so the count is read from that index.
    qs = matter_list(user=user).filter(IMPLEMENTED_EARLY)
    return [(_within(qs, enterprise_ids), "occurred_on")]


def _implemented_before_approval(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    return [_matter_row(m, Note(gettext_noop("未经批准/备案先行实施"))) for m in _implemented_early_sources(user, enterprise_ids)[0][0]]


def _prohibited_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[QuerySet[Any], str]]:
    from soegov.matters.selectors import matter_list

    matters = matter_list(user=user).filter(route="prohibited")
    fq = finding_list(user=user).filter(code="prohibited_counterparty").exclude(status=FindingStatus.DISMISSED)
    return [(_within(matters, enterprise_ids), "occurred_on"), (_within(fq, enterprise_ids), "found_on")]


def _prohibited(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    matters, findings = (qs for qs, _ in _prohibited_sources(user, enterprise_ids))
    return [_matter_row(m, Note(gettext_noop("严控事项"))) for m in matters] + [_finding_row(f) for f in findings]


def _finding_row(f: Finding) -> dict[str, Any]:
    return {"enterprise": f.enterprise, "date": f.found_on, "title": f.get_code_display_zh(), "note": f.message,
            "amount": f.amount, "url": reverse("oversight:finding", args=[f.pk]),
            "case_url": reverse("oversight:case_new") + f"?finding={f.pk}" if f.status == "open" else ""}


def _findings_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[QuerySet[Any], str]]:
    return [(_within(finding_list(user=user, status="open"), enterprise_ids), "found_on")]


def _open_findings(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    return [_finding_row(f) for f in _findings_sources(user, enterprise_ids)[0][0]]


def _events_overdue_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[QuerySet[Any], str]]:
    now = timezone.now()
    qs = event_list(user=user).filter(overdue_from__lte=now)
    return [(_within(qs, enterprise_ids), "occurred_at")]


def _events_overdue(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    return [{"enterprise": e.enterprise, "date": timezone.localtime(e.occurred_at).date(), "title": e.title,
             "note": Note(gettext_noop("逾期未报告") if e.reported_at is None else gettext_noop("迟报")), "amount": None,
             "url": reverse("oversight:event", args=[e.pk])} for e in _events_overdue_sources(user, enterprise_ids)[0][0]]


def _open_cases_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[QuerySet[Any], str]]:
    return [(_within(case_list(user=user).exclude(status="closed"), enterprise_ids), "created_at")]


def _open_cases(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    return [{"enterprise": c.enterprise, "date": timezone.localtime(c.created_at).date(), "title": c.title,
             "note": c.get_status_display(), "amount": None, "url": reverse("oversight:case", args=[c.pk])}
            for c in _open_cases_sources(user, enterprise_ids)[0][0]]


def _self_inspection_sources(user: Any, enterprise_ids: list[int] | None) -> list[tuple[QuerySet[Any], str, str]]:
    """Enterprises whose measure sets an annual self-inspection date (xundian: 30 December) and whose checklist
    for this year is not handed in, each annotated with that date (`due`): one date per jurisdiction, so the
    enterprises are filtered and dated in SQL."""
    from django.db.models import Case, DateField, Value, When

    from soegov.enterprises.models import Jurisdiction
    from soegov.policy.inspection import checklist_for

    year = timezone.localdate().year
    dues = {}
    for j in Jurisdiction.objects.filter(enterprises__in=Enterprise.objects.filter(enterprise_scope_q(user))).distinct():
        due = checklist_for(j.default_policy).due_on(year) if j.default_policy else None
        if due is not None:
            dues[j.pk] = due
    handed_in = Inspection.objects.filter(year=year, status__in=["completed", "reviewed"]).values("enterprise_id")
    qs = Enterprise.objects.filter(enterprise_scope_q(user), jurisdiction_id__in=list(dues))
    if enterprise_ids is not None:
        qs = qs.filter(pk__in=enterprise_ids)
    qs = qs.exclude(pk__in=handed_in).annotate(due=Case(
        *[When(jurisdiction_id=j, then=Value(d)) for j, d in dues.items()], output_field=DateField()))
    return [(qs, "due", "pk")]


def _self_inspections_pending(user: Any, enterprise_ids: list[int] | None) -> list[dict[str, Any]]:
    today = timezone.localdate()
    enterprises = list(_self_inspection_sources(user, enterprise_ids)[0][0])
    # One query for the year's checklists not handed in, not one per enterprise.
    started = dict(Inspection.objects.filter(enterprise__in=[e.pk for e in enterprises], year=today.year)
                   .values_list("enterprise_id", "pk"))
    out = []
    for e in enterprises:
        days = (e.due - today).days
        note = Note(gettext_noop("已逾期 {days} 天"), days=-days) if days < 0 else \
            Note(gettext_noop("须于 {due:%m月%d日} 前报送，还有 {days} 天"), due=e.due, days=days)
        insp_pk = started.get(e.pk)
        out.append({"enterprise": e, "date": e.due, "title": Note(gettext_noop("{year}年度自查"), year=today.year), "note": note, "amount": None,
                    "url": reverse("oversight:inspection", args=[insp_pk]) if insp_pk else reverse("oversight:inspections")})
    return out


# kind: (label, row builder, article note). The words stay Chinese here (the API and the CLI report them); a page
# shows them in its language (gettext_noop marks them for the catalogue).
ROW_KINDS: dict[str, tuple[str, Callable[[Any, list[int] | None], list[dict[str, Any]]], str]] = {
    "overdue": (gettext_noop("报送或答复逾期"), _overdue_matters, gettext_noop("伊宁办法第二十、二十一、二十二条")),
    "implemented_early": (gettext_noop("未经批准先行实施"), _implemented_before_approval,
                          gettext_noop("伊宁办法第十九条")),
    "prohibited": (gettext_noop("严控事项"), _prohibited, gettext_noop("伊宁办法第十四条；寻甸办法第十三条")),
    "findings": (gettext_noop("台账检查待处理发现"), _open_findings, gettext_noop("台账检查（化整为零等）")),
    "events_overdue": (gettext_noop("随时报告事件逾期"), _events_overdue, gettext_noop("伊宁办法第十七、二十六条")),
    "open_cases": (gettext_noop("在办追责案件"), _open_cases,
                   gettext_noop("伊宁办法第二十九、三十条；寻甸办法第三十至三十二条")),
    "self_inspection": (gettext_noop("年度自查未报送"), _self_inspections_pending,
                        gettext_noop("寻甸办法第二十五条（12月30日前）")),
}


YINING, XUNDIAN = "yining-2024", "xundian-2020"
# Each figure's basis in each pack; a figure with no basis in any pack of the user's jurisdictions is not shown
# (Xundian's measure has no reporting clocks, approvals or events to report; Yining's has no meeting rules).
PACK_CITES: dict[str, dict[str, str]] = {
    "overdue": {YINING: gettext_noop("伊宁办法第二十、二十一、二十二条")},
    "implemented_early": {YINING: gettext_noop("伊宁办法第十九条")},
    "prohibited": {YINING: gettext_noop("伊宁办法第十四条")},
    "findings": {YINING: gettext_noop("台账检查（伊宁办法所列金额标准）"),
                 XUNDIAN: gettext_noop("台账检查（寻甸办法第二十一条资金使用限额）")},
    "events_overdue": {YINING: gettext_noop("伊宁办法第十七、二十、二十六条")},
    "open_cases": {YINING: gettext_noop("伊宁办法第二十九、三十条"),
                   XUNDIAN: gettext_noop("寻甸办法第三十至三十二条")},
    "self_inspection": {XUNDIAN: gettext_noop("寻甸办法第二十五条（12月30日前）")},
    "decision_violations": {XUNDIAN: gettext_noop("寻甸办法第九、十、十三、十四条")},
    "late_ratifications": {XUNDIAN: gettext_noop("寻甸办法第十三条")},
    "open_actions": {XUNDIAN: gettext_noop("寻甸办法第二十、二十四条")},
}


def user_policies(user: Any) -> list[str]:
    """The packs of the jurisdictions whose enterprises the user sees, Yining first."""
    packs: set[str] = set()
    for codes in Enterprise.objects.filter(enterprise_scope_q(user)).values_list("jurisdiction__policy_packs", flat=True):
        packs.update(codes or [])
    return sorted(packs, key=lambda p: (p != YINING, p))


def cite_for(kind: str, policies: list[str]) -> str:
    """The figure's articles in the packs given ("" when none of them is a basis for it)."""
    cites = PACK_CITES.get(kind)
    if cites is None:  # a figure added without per-pack articles keeps its own note
        return str(all_kinds().get(kind, ("", None, ""))[2])
    return "；".join(cites[p] for p in policies if p in cites)


def kinds_for(user: Any, policies: list[str] | None = None) -> dict[
        str, tuple[str, Callable[[Any, list[int] | None], list[dict[str, Any]]], str]]:
    """The figures with a basis in the user's packs (or the packs given), each cited by those packs only."""
    policies = user_policies(user) if policies is None else policies
    out = {}
    for k, (label, build, _) in all_kinds().items():
        cite = cite_for(k, policies)
        if cite:
            out[k] = (label, build, cite)
    return out


def yining_applies(user: Any) -> bool:
    """Whether any enterprise the user sees is under the Yining measure (events reported at any time)."""
    return YINING in user_policies(user)


def all_kinds() -> dict[str, tuple[str, Callable[[Any, list[int] | None], list[dict[str, Any]]], str]]:
    """Every row kind the dashboard shows, in order."""
    return {**ROW_KINDS, **decision_figures.KINDS}


def rows(*, user: Any, kind: str, enterprise_id: int | None = None) -> list[dict[str, Any]]:
    """The rows behind one dashboard figure (all enterprises in scope, or one and its subsidiaries)."""
    kinds = all_kinds()
    if kind not in kinds:
        return []
    ids = None
    if enterprise_id:
        ent = Enterprise.objects.filter(enterprise_scope_q(user), pk=enterprise_id).first()
        ids = list(Enterprise.objects.filter(path__startswith=ent.path).values_list("pk", flat=True)) if ent else []
    return sorted(kinds[kind][1](user, ids), key=lambda r: (r["date"] or dt.date.min), reverse=True)


# A figure's querysets (the same its rows are read from), each with the date its rows are dated by and, when not
# `enterprise_id`, the path to the enterprise a row is counted under.
Source = tuple[QuerySet[Any], str] | tuple[QuerySet[Any], str, str]
Sources = Callable[[Any, list[int] | None], Sequence[Source]]
# Every figure is counted in SQL from these: COUNT … GROUP BY enterprise and month.
SOURCES: dict[str, Sources] = {
    "overdue": _overdue_sources, "implemented_early": _implemented_early_sources, "prohibited": _prohibited_sources,
    "findings": _findings_sources, "events_overdue": _events_overdue_sources, "open_cases": _open_cases_sources,
    "self_inspection": _self_inspection_sources, **decision_figures.SOURCES,
}


def _date_type(qs: QuerySet[Any], path: str) -> str:
    """The field type of the date a row is dated by (a field, through relations, or an annotation)."""
    if path in qs.query.annotations:
        return str(qs.query.annotations[path].output_field.get_internal_type())
    model = qs.model
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return str(model._meta.get_field(name).get_internal_type())


class _MonthIndex(Func):
    """The index of the month a date or time falls in among months starting at `bounds` (each month's first moment,
    then the next month's), else NULL: CASE WHEN d < first THEN NULL WHEN d < second THEN 0 …, the column compiled
    once (a Case of a dozen When()s costs the ORM 2 ms per query to build)."""

    output_field = IntegerField()

    def __init__(self, expression: Any, bounds: Sequence[Any]) -> None:
        super().__init__(expression)
        self.bounds = list(bounds)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        """The CASE, each bound adapted as the date's own field adapts a value (a UTC text on SQLite)."""
        expression = self.get_source_expressions()[0]
        column, column_params = compiler.compile(expression)
        sql, params = ["CASE"], []
        for i, bound in enumerate(self.bounds):
            sql.append(f"WHEN {column} < %s THEN {i - 1 if i else 'NULL'}")
            params += [*column_params, expression.output_field.get_db_prep_value(bound, connection)]
        return " ".join([*sql, "END"]), params


def _month(qs: QuerySet[Any], date_field: str, starts: list[dt.date]) -> Any:
    """The index in `starts` (the first day of each month shown, then of the month after) of the month a row is
    dated in, else NULL; for an ISO date held as text (an imported meeting's YYYY-MM-DD) its first seven characters
    from the first month on. A date or time is only compared with each month's first moment (Shanghai midnight for
    a time), never converted: at 100,000 rows a time zone conversion and EXTRACT per row cost more than the count."""
    from django.db.models import Case, CharField, F, When
    from django.db.models.functions import Substr

    kind = _date_type(qs, date_field)
    if kind == "CharField":
        return Case(When(**{f"{date_field}__gte": starts[0].isoformat()}, then=Substr(date_field, 1, 7)),
                    default=None, output_field=CharField())
    if kind == "DateTimeField":
        return _MonthIndex(F(date_field), [timezone.make_aware(dt.datetime.combine(d, dt.time())) for d in starts])
    return _MonthIndex(F(date_field), starts)


# A figure's (enterprise, month) counts summed per enterprise and per month in the database, so a few hundred rows
# come back instead of one per enterprise and month (thousands at province scale, each converted in Python).
_BOTH_WAYS = ("WITH g (enterprise, month, n) AS ({groups}) "
              "SELECT 'enterprise', enterprise, NULL, SUM(n) FROM g GROUP BY enterprise UNION ALL "
              "SELECT 'month', NULL, month, SUM(n) FROM g WHERE month IS NOT NULL GROUP BY month")


def _sql_counts(sources: Sequence[Source], starts: list[dt.date]) -> tuple[Counter[int], Counter[str], int]:
    """Per enterprise and per month (the months beginning at `starts` but the last) counts of a figure's rows, and
    its total: one query per source, COUNT(*) … GROUP BY enterprise, month (COUNT(*), not of a column, so a
    covering index answers it alone) summed both ways."""
    from django.db import connections
    from django.db.models import Count

    labels = [f"{d:%Y-%m}" for d in starts[:-1]]
    per_enterprise: Counter[int] = Counter()
    per_month: Counter[str] = Counter()
    for qs, date_field, *key in sources:
        enterprise = key[0] if key else "enterprise_id"
        groups = (qs.order_by().annotate(month=_month(qs, date_field, starts)).values(enterprise, "month")
                  .annotate(n=Count("*")).values_list(enterprise, "month", "n"))
        sql, params = groups.query.get_compiler(using=groups.db).as_sql()
        with connections[groups.db].cursor() as cursor:
            cursor.execute(_BOTH_WAYS.format(groups=sql), params)
            for way, ent, month, n in cursor.fetchall():
                if way == "enterprise":
                    per_enterprise[ent] += int(n)
                else:
                    per_month[month if isinstance(month, str) else labels[month]] += int(n)
    return per_enterprise, per_month, sum(per_enterprise.values())


def figure_totals(*, user: Any) -> list[tuple[str, str, str, int]]:
    """Each figure of the user's packs with its total (kind, label, articles, count): one COUNT(*) per source,
    for the API, which shows no table or trend."""
    kinds = kinds_for(user)
    return [(k, spec[0], spec[2], sum(source[0].order_by().count() for source in SOURCES[k](user, None)))
            for k, spec in kinds.items()]


def dashboard(*, user: Any, months: int = 12) -> dict[str, Any]:
    """Per enterprise: each figure's count; totals; monthly trend of all rows (counted in SQL where they scale)."""
    policies = user_policies(user)
    kinds = kinds_for(user, policies)
    # The table names each enterprise and its jurisdiction, nothing else (a province has hundreds of enterprises).
    enterprises = list(Enterprise.objects.filter(enterprise_scope_q(user)).select_related("jurisdiction")
                       .only("name", "jurisdiction__name").order_by("jurisdiction__code", "path"))
    # Each month's first day (Shanghai's today's month and the months - 1 before it), then the next month's.
    first = timezone.localdate().replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        starts.append((starts[-1] - dt.timedelta(days=1)).replace(day=1))
    starts.reverse()
    starts.append((first + dt.timedelta(days=31)).replace(day=1))
    trend = {f"{d:%Y-%m}": 0 for d in starts[:-1]}
    per_enterprise: dict[str, Counter[int]] = {}
    totals: dict[str, int] = {}
    for k in kinds:
        per_enterprise[k], per_month, totals[k] = _sql_counts(SOURCES[k](user, None), starts)
        for key, n in per_month.items():
            if key in trend:
                trend[key] += n
    # Each cell links to its figure's rows of the enterprise: the figure's address is reversed once, not per cell.
    urls = {k: reverse("oversight:rows", args=[k]) for k in kinds}
    table = []
    for e in enterprises:
        counts = {k: tally[e.pk] for k, tally in per_enterprise.items()}
        table.append({"enterprise": e, "counts": counts, "total": sum(counts.values()),
                      "cells": [(k, n, f"{urls[k]}?enterprise={e.pk}") for k, n in counts.items()]})
    return {
        "kinds": [(k, spec[0], spec[2], totals[k]) for k, spec in kinds.items()],
        "table": table,
        "trend": trend_chart(trend),
        "policies": policies,
        "events_apply": YINING in policies,
    }


TOP_ROOM = 18


def trend_chart(trend: dict[str, int], width: int = 600, height: int = 160) -> dict[str, Any]:
    """Bars of an SVG chart drawn by the template (server-side, no JavaScript library)."""
    top = max(trend.values(), default=0) or 1
    n = max(len(trend), 1)
    slot = width / n
    bars = []
    # 20px below the bars hold the month labels; TOP_ROOM above the tallest bar holds its count label.
    for i, (label, count) in enumerate(trend.items()):
        h = round((height - 20 - TOP_ROOM) * count / top)
        bars.append({"x": round(i * slot + slot * 0.15, 1), "w": round(slot * 0.7, 1), "y": height - 20 - h, "h": h,
                     "label": f"{int(label[5:])}月", "title": f"{label[:4]}年{int(label[5:])}月", "count": count,
                     "month": dt.date(int(label[:4]), int(label[5:]), 1), "ty": height - 24 - h,
                     "cx": round(i * slot + slot / 2, 1)})
    return {"bars": bars, "width": width, "height": height, "base": height - 20}
