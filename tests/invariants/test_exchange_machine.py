"""Hypothesis state machine over the national exchange import (0004 事项清单, 0005 制度, 0006 会议决策): random
batches of new, re-sent (修改), changed, deleted, malformed and replayed packages, bundled or not, imported by
random roles — refused ones included — through the queue's job as the import page does, with the exchange
invariants of docs/invariants.md (X1–X6) checked after every step. Bounded and derandomized in CI;
`scripts/stateful` walks longer random runs."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from typing import Any

import pytest
from django.test import Client
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from soegov.accounts.roles import Role
from soegov.exchange import imports
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from soegov.exchange.models import ReceivedItem, ReceivedMeeting, ReceivedPackage, ReceivedRegulation
from soegov.jobs.models import Job
from tests.exchange import samples
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.invariants.checks import broken
from tests.invariants.exchange_checks import (
    EXCHANGE,
    batch_accounts_for_every_package,
    pages_show_the_stored_anomalies,
)
from tests.invariants.machine import ServiceMachine, run_machine

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)
CODES = ["F01-001", "F01-002", "D01-001"]
MEETINGS = {"2026年第1次党委会": "党委会", "2026年第2次董事会": "董事会"}
PACKAGE_KINDS = ["item"] * 4 + ["item_other_id", "regulation", "regulation"] + ["meeting"] * 3 + ["malformed", "replay"]


class ExchangeImport(ServiceMachine):
    """One enterprise's packages reach the supervisor in random batches; the model says what should be stored."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, tuple[str, str]] = {}  # item id: (code, name) of the active items
        self.regulations: dict[str, str] = {}
        self.meetings: dict[str, str] = {}
        self.sent: list[tuple[str, bytes, Any]] = []
        self.n = 0
        self.last: tuple[Any, list[str], int, str] | None = None
        self.client = Client()
        self.client.force_login(self.world["actors"]["reviewer"])

    def _name(self, kind: str) -> str:
        self.n += 1
        return rec.zip_name(kind, DAY, self.world["enterprise"].uscc).replace(".zip", f"_{self.n}.zip")

    def _package(self, data: st.DataObject, kind: str) -> tuple[str, bytes, Any]:
        """(file name, bytes, record or None for a package that must be refused whatever is stored)."""
        oper = data.draw(st.sampled_from(["add", "add", "edit", "del"]))
        if kind in ("item", "item_other_id"):
            code = data.draw(st.sampled_from(CODES))
            record: Any = samples.item(code=code, meetings=data.draw(st.sampled_from([("党委会",), ("党委会", "董事会")])))
            record.item_name = f"事项{code}（第{data.draw(st.integers(1, 3))}版）"
            if kind == "item_other_id":
                record.item_id = f"other-{code}"
        elif kind == "regulation":
            record = samples.regulation()
            record.regulation_id, record.regulation_name = data.draw(st.sampled_from(
                [("reg-1", "党委会议事规则"), ("reg-1", "党委会议事规则（修订）"), ("reg-2", "董事会议事规则")]))
        elif kind == "meeting":
            name = data.draw(st.sampled_from(list(MEETINGS)))
            # Mostly codes of items stored now, so meetings are applied as often as refused.
            codes = sorted(c for c, _ in self.items.values()) * 4 + [*CODES, "F09-009"]
            subjects = [samples.subject(sid=f"s{i}", name=f"议题{i}", codes=(data.draw(st.sampled_from(codes)),),
                                        counsel=data.draw(st.booleans()),
                                        relations=(("2026年第1次党委会", f"议题{i}"),) if "董事会" in name else ())
                        for i in range(data.draw(st.integers(1, 2)))]
            record = samples.meeting(name=name, type_name=MEETINGS[name], subjects=subjects)
        elif kind == "replay" and self.sent:
            return data.draw(st.sampled_from(self.sent))  # a package applied before, sent again as it was
        else:
            good = p.build_zip(samples.item(), DAY)
            name, body = data.draw(st.sampled_from([
                (self._name(rec.ITEM), b"not a zip at all"), (self._name(rec.ITEM), good[: len(good) // 2]),
                ("事项清单.zip", good), (self._name(rec.MEETING), good)]))
            return name, body, None
        record.oper_type = oper
        return self._name(rec.kind_of(record)), p.build_zip(record, DAY), record

    @rule(data=st.data(), kinds=st.lists(st.sampled_from(PACKAGE_KINDS), min_size=1, max_size=3), bundle=st.booleans(),
          who=st.sampled_from(["reviewer"] * 6 + ["other_reviewer", "inspector", "filer"]))
    def import_batch(self, data: st.DataObject, kinds: list[str], bundle: bool, who: str) -> None:
        packages = [self._package(data, k) for k in kinds]
        files = [(name, body) for name, body, _ in packages]
        if bundle and len(files) > 1:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                for name, body in files:
                    z.writestr(name, body)
            files = [("数据包合集.zip", buf.getvalue())]
        before = ReceivedPackage.objects.count()
        job = self._do(f"batch by {who}", lambda: imports.import_start(actor=self.world["actors"][who], files=files))
        if job is None:
            assert ReceivedPackage.objects.count() == before, "a refused batch stored a package"
            self.last = None
            return
        job = Job.objects.get(pk=job.pk)
        self.last = (job, [name for name, _, _ in packages], before, who)
        records = {name: (body, record) for name, body, record in packages}
        # In the import's own order (items, rules, meetings), as the job lists them.
        for r in job.result.get("items", []):
            body, record = records.get(r["file"], (b"", None))
            self.outcomes[f"{'applied' if r['ok'] else 'refused'} {type(record).__name__}"] += 1
            if os.environ.get("SOEGOV_STATEFUL_VERBOSE") and not r["ok"]:
                print(r["message"])
            if record is None:
                assert not r["ok"], f"malformed package {r['file']} was applied: {r['message']}"
                continue
            if isinstance(record, rec.Item) and who == "reviewer":
                assert r["ok"] == self._item_applies(record), (record, r["message"], self.items)
            if r["ok"]:
                self.sent.append((r["file"], body, record))
                self._apply(record)

    def _item_applies(self, item: rec.Item) -> bool:
        """An add of a stored item is a change (re-sent); another item may not take a code in use; a change or a
        deletion needs the item stored."""
        if item.oper_type == "add":
            return item.item_id in self.items or item.item_code not in {c for c, _ in self.items.values()}
        return item.item_id in self.items

    def _apply(self, record: Any) -> None:
        """What an applied package does to the stored state (the model the database must match)."""
        if isinstance(record, rec.Item):
            if record.oper_type == "del":
                self.items.pop(record.item_id, None)
            else:
                self.items[record.item_id] = (record.item_code, record.item_name)
        elif isinstance(record, rec.Regulation):
            if record.oper_type == "del":
                self.regulations.pop(record.regulation_id, None)
            else:
                self.regulations[record.regulation_id] = record.regulation_name
        elif record.oper_type == "del":
            self.meetings.pop(record.meeting_id, None)
        else:
            self.meetings[record.meeting_id] = record.meeting_name

    @invariant()
    def every_invariant_holds(self) -> None:
        assert broken(EXCHANGE) == []
        ent = self.world["enterprise"]
        active = {"enterprise": ent, "active": True}
        # X3/X4: what is stored is what the applied packages did, and nothing of a refused one.
        assert {s: (c, n) for s, c, n in ReceivedItem.objects.filter(**active).values_list("sid", "code", "name")} \
            == self.items
        assert dict(ReceivedRegulation.objects.filter(**active).values_list("sid", "name")) == self.regulations
        assert dict(ReceivedMeeting.objects.filter(**active).values_list("sid", "name")) == self.meetings
        assert pages_show_the_stored_anomalies(self.world["actors"]["inspector"]) == []
        if self.last is not None:
            job, sent, before, who = self.last
            assert batch_accounts_for_every_package(job, sent, before) == []
            if who != "reviewer":
                return  # the page of another's job is not his to see
            page = self.client.get(f"/exchange/import/?job={job.pk}")
            assert page.status_code == imports.OUTCOMES[job.result["outcome"]], (page.status_code, job.result)


def test_the_exchange_import_keeps_every_invariant() -> None:
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xd-x", policy_packs=["xundian-2020"]))
    other = EnterpriseFactory()
    ExchangeImport.world = {"enterprise": ent, "actors": {
        "reviewer": UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=ent.jurisdiction),
        "other_reviewer": UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=other.jurisdiction),
        "inspector": UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=ent.jurisdiction),
        "filer": UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)}}
    run_machine(ExchangeImport, reached=("batch by reviewer", "applied Item", "refused Item", "applied Meeting",
                                         "refused NoneType", "batch by inspector refused"))
