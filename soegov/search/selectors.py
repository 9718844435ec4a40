"""Global search: matters, meetings, topics, decisions, cases, findings, leaders and enterprises by any words.

Each kind searches its own list's selector (so its scope is the list's scope) with the list's search helper
(core.paging.search: every word must be in some field, pg_trgm indexes on PostgreSQL), and is offered only to
the roles whose gate admits them to the page a row links to: the same two checks as the lists and pages, no
third. A kind costs two queries (its rows and a capped count) plus one lookup per word for a related name
shared by all kinds, whatever the amount of data.

Searches are not written to the audit trail: a search shows only what the user's lists already show him
(titles, numbers, enterprise names, leaders' names and posts); no personal data (pay, scores, contracts) is
searched or shown, and opening a leader's personal pages is audited there as before.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from soegov.core.gates import page_roles
from soegov.core.paging import COUNT_CAP, bounded_count, search, search_words

# Rows of each kind shown on the grouped page; "查看全部" pages through the rest.
SHOWN = 5


@dataclass(frozen=True)
class Hit:
    """One found record as the results page shows it: what it is, its number, its enterprise, where it opens."""

    title: str
    url: str
    enterprise: str = ""
    number: str = ""
    note: str = ""


@dataclass(frozen=True)
class Kind:
    """A kind of record the search finds: its list's selector and search fields, and the page a row opens."""

    key: str
    label: Any
    area: str  # the API part (accounts.models.API_AREAS) whose tokens may find it
    page: str  # URL name of a row's page (one int argument): its role gate is the kind's
    rows: Callable[[Any], QuerySet[Any]]
    fields: Sequence[str]
    hit: Callable[[Any], Hit]

    def allows(self, user: Any) -> bool:
        """Whether the page a row opens admits the user's role (its own role_required, read off the view)."""
        view = resolve(reverse(self.page, args=[1])).func
        return getattr(user, "role", None) in page_roles(view)


def _day(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def _matters(user: Any) -> QuerySet[Any]:
    from soegov.matters.selectors import matter_list

    return matter_list(user=user)


def _matter_hit(m: Any) -> Hit:
    return Hit(m.title, reverse("matters:detail", args=[m.pk]), m.enterprise.name, m.doc_number or m.answer_number,
               f"{m.get_route_display()} · {m.get_status_display()}")


def _meetings(user: Any) -> QuerySet[Any]:
    from soegov.meetings.selectors import meeting_list

    return meeting_list(user).select_related("minutes")


def _meeting_hit(m: Any) -> Hit:
    minutes = getattr(m, "minutes", None)  # None until the meeting is closed
    return Hit(m.title, reverse("meetings:detail", args=[m.pk]), m.enterprise.name, minutes.doc_number if minutes else "",
               f"{_day(m.held_at)} · {m.get_status_display()}")


def _topics(user: Any) -> QuerySet[Any]:
    from soegov.meetings.selectors import topic_list

    return topic_list(user)


def _topic_hit(t: Any) -> Hit:
    return Hit(t.title, reverse("meetings:topic", args=[t.pk]), t.enterprise.name, "",
               f"{t.get_category_display()} · {t.get_status_display()}")


def _decisions(user: Any) -> QuerySet[Any]:
    from soegov.meetings.selectors import decided_items

    return decided_items(user)


def _decision_hit(i: Any) -> Hit:
    result = gettext_lazy("通过") if i.passed else gettext_lazy("未通过")
    return Hit(i.topic.title, reverse("meetings:detail", args=[i.meeting_id]) + f"#item-{i.pk}",
               i.meeting.enterprise.name, "", f"{i.meeting.title} · {result}")


def _cases(user: Any) -> QuerySet[Any]:
    from soegov.oversight.selectors import case_list

    return case_list(user=user)


def _case_hit(c: Any) -> Hit:
    return Hit(c.title, reverse("oversight:case", args=[c.pk]), c.enterprise.name, c.doc_number, c.get_status_display())


def _findings(user: Any) -> QuerySet[Any]:
    from soegov.oversight.selectors import finding_list

    return finding_list(user=user)


def _finding_hit(f: Any) -> Hit:
    return Hit(f.get_code_display_zh(), reverse("oversight:finding", args=[f.pk]), f.enterprise.name, "",
               f"{f.message[:80]} · {f.get_status_display()}")


def _leaders(user: Any) -> QuerySet[Any]:
    from soegov.leaders.selectors import leader_list

    return leader_list(user=user)


def _leader_hit(x: Any) -> Hit:
    return Hit(x.name, reverse("leaders:leader", args=[x.pk]), x.enterprise.name, "",
               x.get_post_display() if x.active else f"{x.get_post_display()} · {gettext_lazy('已离任')}")


def _enterprises(user: Any) -> QuerySet[Any]:
    from soegov.enterprises.selectors import enterprise_list

    return enterprise_list(user=user)


def _enterprise_hit(e: Any) -> Hit:
    return Hit(e.name, reverse("enterprises:detail", args=[e.pk]), e.parent.name if e.parent_id else "", e.uscc,
               str(e.jurisdiction))


# In the order the results page shows them.
KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("matters", gettext_lazy("重大事项"), "matters", "matters:detail", _matters,
         ("title", "doc_number", "answer_number", "enterprise__name"), _matter_hit),
    Kind("meetings", gettext_lazy("决策会议"), "meetings", "meetings:detail", _meetings,
         ("title", "minutes__doc_number", "enterprise__name"), _meeting_hit),
    Kind("topics", gettext_lazy("会议议题"), "meetings", "meetings:topic", _topics, ("title", "enterprise__name"), _topic_hit),
    Kind("decisions", gettext_lazy("会议决定"), "meetings", "meetings:detail", _decisions,
         ("topic__title", "conclusion", "meeting__title"), _decision_hit),
    Kind("cases", gettext_lazy("追责案件"), "oversight", "oversight:case", _cases, ("title", "doc_number", "enterprise__name"),
         _case_hit),
    Kind("findings", gettext_lazy("台账检查发现"), "oversight", "oversight:finding", _findings,
         ("message", "citation", "enterprise__name"), _finding_hit),
    Kind("leaders", gettext_lazy("企业领导人员"), "leaders", "leaders:leader", _leaders, ("name", "enterprise__name"), _leader_hit),
    Kind("enterprises", gettext_lazy("企业"), "registry", "enterprises:detail", _enterprises, ("name", "uscc"), _enterprise_hit),
)}


@dataclass
class Group:
    """One kind's part of the results: its count (capped) and first rows."""

    kind: Kind
    count: int
    capped: bool
    hits: list[Hit]


def kinds_for(user: Any, areas: Collection[str] | None = None) -> list[Kind]:
    """The kinds the user's role may open (and, for an API token limited to some parts, of those parts)."""
    return [k for k in KINDS.values() if k.allows(user) and (not areas or k.area in areas)]


def found(kind: Kind, user: Any, q: str, *, related: dict[Any, Any] | None = None) -> QuerySet[Any]:
    """The kind's rows in the user's scope with every word of q in some field (none when q has no words)."""
    if not search_words(q):
        return kind.rows(user).none()
    return search(kind.rows(user), q, kind.fields, related=related)


def grouped(user: Any, q: str, *, shown: int = SHOWN, areas: Collection[str] | None = None) -> list[Group]:
    """Every kind the user may open that has a hit: count and first rows each, in KINDS order."""
    related: dict[Any, Any] = {}
    groups = []
    for kind in kinds_for(user, areas):
        qs = found(kind, user, q, related=related)
        hits = [kind.hit(x) for x in qs[:shown]]
        if not hits:
            continue
        total = len(hits) if len(hits) < shown else bounded_count(qs, COUNT_CAP)
        groups.append(Group(kind, min(total, COUNT_CAP), total > COUNT_CAP, hits))
    return groups
