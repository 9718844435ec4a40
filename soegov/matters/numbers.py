"""Document numbers (文号): the enterprise's request number and the supervisor's answer number, each allocated
under a row lock from its series."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.matters.documents import abbreviation
from soegov.matters.models import Matter
from soegov.matters.transitions import WRITER_GATE


def next_number(scope: str, series: str, year: int) -> int:
    """The next 文号 of a series, allocated under a row lock so two documents issued at once never share one."""
    from django.db import IntegrityError

    from soegov.matters.models import DocumentCounter

    try:
        with transaction.atomic():
            DocumentCounter.objects.get_or_create(scope=scope, series=series, year=year)
    except IntegrityError:  # created by a concurrent issue between our read and write: it exists now
        pass
    counter = DocumentCounter.objects.select_for_update().get(scope=scope, series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def issue_request_number(m: Matter) -> str:
    """The enterprise's 发文字号 of the matter's 请示/报告, given once when it is first issued and kept."""
    if not m.doc_number:
        year = timezone.localdate().year
        n = next_number(f"enterprise:{m.enterprise_id}", "request", year)
        m.doc_number = f"{abbreviation(m.enterprise.name)}〔{year}〕{n}号"
    return m.doc_number


@WRITER_GATE.on("matter.enterprise")
@transaction.atomic
def request_number_for(*, actor: Any, matter: Matter) -> str:
    """The 请示's 文号, issued now if the system draws up the 请示 before it is submitted (the version is not raised)."""
    m = Matter.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=matter.pk)
    if not m.doc_number:
        issue_request_number(m)
        m.save(update_fields=["doc_number"])
    matter.doc_number = m.doc_number
    return m.doc_number


def issue_answer_number(m: Matter) -> str:
    """The supervisor's 文号 of its 批复 or 备案回执, in the order answers are given in the year."""
    year = timezone.localtime(m.answered_at or timezone.now()).year
    n = next_number(f"jurisdiction:{m.enterprise.jurisdiction_id}", "answer", year)
    return f"{abbreviation(m.enterprise.jurisdiction.supervisor)}复〔{year}〕{n}号"
