"""Applying what the HR system says: people, leader posts and decision-body memberships, all or nothing.

A preview is the same run inside a transaction that is rolled back, so what it reports is exactly what applying
would do. The sync acts as the system (actor None) in the registry and leaders services, which audit every
record they change; the run itself is audited with who started it. It never creates accounts, grants roles,
changes an account's enterprise or disables one (三员分立): where HR says a person left or moved, the report
asks the system administrator to review the account.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from soegov.accounts.models import User
from soegov.accounts.roles import Role
from soegov.accounts.services import user_set_full_name
from soegov.audit.services import acting_user, audit_record
from soegov.core.errors import InputError, SoegovError
from soegov.enterprises import services as registry
from soegov.enterprises.models import BodyKind, BodyMember, DecisionBody, Enterprise, MemberRole
from soegov.hrsync.dataset import Dataset, MemberRow, PostRow
from soegov.hrsync.models import HrAssignment, HrPerson, RunStatus, SyncRun
from soegov.leaders import records
from soegov.leaders.models import Leader, Post

# The sections of a report, in the order the page shows them.
SECTIONS = {
    "joined": "新入职（人事系统新增人员）",
    "left": "离职",
    "moved": "调动（所在企业变化）",
    "renamed": "姓名变化",
    "posts_started": "新任领导职务",
    "posts_ended": "领导职务结束",
    "posts_changed": "领导职务任期变化",
    "members_added": "新增决策机构成员",
    "members_ended": "决策机构成员任期结束",
    "members_changed": "决策机构成员信息变化",
    "bodies_created": "新建决策机构",
    "accounts_renamed": "账号姓名随人事系统更新",
    "accounts_to_review": "请系统管理员处理的账号（同步不停用账号、不改角色和所属企业）",
    "notes": "说明",
}


def require_operator(actor: Any) -> None:
    """Only the system administrator (or the system itself: CLI, scheduler) runs the sync."""
    if actor is not None and actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以运行人事同步")


class _Report:
    def __init__(self) -> None:
        self.items: dict[str, list[str]] = {k: [] for k in SECTIONS}

    def add(self, section: str, text: str) -> None:
        self.items[section].append(text)

    def as_json(self) -> dict[str, Any]:
        return {"counts": {k: len(v) for k, v in self.items.items()}, "items": self.items}


def _wrap(where: str, pid: str, exc: SoegovError) -> InputError:
    return InputError(exc.code, f"{where}（工号 {pid}）：{exc.message}", exc.path, exc.message_en)


def _day_before(day: dt.date, start: dt.date | None) -> dt.date:
    end = day - dt.timedelta(days=1)
    return max(end, start) if start else end


class _Sync:
    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.report = _Report()
        self.enterprises = {e.pk: e for e in Enterprise.objects.filter(
            pk__in=ds.scope | {p.unit for p in ds.people.values()})}
        self.people: dict[str, HrPerson] = {}

    def run(self) -> dict[str, Any]:
        self._people()
        self._posts()
        self._members()
        return self.report.as_json()

    # --- people -----------------------------------------------------------------------------------
    def _people(self) -> None:
        ds, rep = self.ds, self.report
        existing = {p.employee_no: p for p in HrPerson.objects.select_for_update(of=("self",)).select_related("unit", "user")
                    .filter(Q(employee_no__in=list(ds.people)) | Q(unit_id__in=ds.scope, active=True))}
        names = {p.username for p in ds.people.values() if p.username}
        users = {u.username: u for u in User.objects.filter(username__in=names)}
        for pid, row in ds.people.items():
            unit = self.enterprises[row.unit]
            hp = existing.get(pid)
            label = f"{row.name}（{pid}）"
            user = users.get(row.username) if row.username else None
            if row.username and user is None:
                rep.add("notes", f"{label}：账号 {row.username} 不存在，未关联（账号由系统管理员创建）")
            if hp is None:
                hp = HrPerson.objects.create(employee_no=pid, name=row.name, unit=unit, active=not row.left,
                                             user=user)
                audit_record(actor=None, action="hrsync.person_create", obj=hp, actor_name="人事同步",
                             after={"employee_no": pid, "name": row.name, "unit": unit.pk, "active": not row.left,
                                    "user": user.pk if user else None})
                if not row.left:
                    rep.add("joined", f"{label}，{unit.name}")
            else:
                before = {"name": hp.name, "unit": hp.unit_id, "active": hp.active, "user": hp.user_id}
                if hp.name != row.name:
                    rep.add("renamed", f"{pid}：{hp.name} → {row.name}")
                if hp.unit_id != row.unit and not row.left:
                    rep.add("moved", f"{label}：{hp.unit.name} → {unit.name}")
                if hp.active and row.left:
                    rep.add("left", f"{label}，{hp.unit.name}")
                elif not hp.active and not row.left:
                    rep.add("joined", f"{label}，{unit.name}（重新在职）")
                hp.name, hp.unit, hp.active = row.name, unit, not row.left
                if user is not None:
                    hp.user = user
                after = {"name": hp.name, "unit": hp.unit_id, "active": hp.active, "user": hp.user_id}
                if after != before:
                    hp.updated_at = timezone.now()
                    hp.save()
                    audit_record(actor=None, action="hrsync.person_update", obj=hp, actor_name="人事同步",
                                 before=before, after=after)
                if hp.user_id and hp.user is not None and hp.user.is_active and (row.left or before["unit"] != row.unit):
                    what = "已离职" if row.left else f"已调至{unit.name}"
                    rep.add("accounts_to_review", f"{label}{what}，账号 {hp.user.username} 仍为启用状态")
            if hp.user is not None and hp.user.full_name != row.name:
                user_set_full_name(actor=None, user=hp.user, full_name=row.name)
                rep.add("accounts_renamed", f"账号 {hp.user.username}：{row.name}")
            self.people[pid] = hp
        for pid, hp in existing.items():
            if pid in ds.people or not hp.active:
                continue
            hp.active = False
            hp.updated_at = timezone.now()
            hp.save(update_fields=["active", "updated_at"])
            audit_record(actor=None, action="hrsync.person_update", obj=hp, actor_name="人事同步",
                         before={"active": True}, after={"active": False})
            rep.add("left", f"{hp.name}（{pid}），{hp.unit.name}（人事系统中已无此人）")
            if hp.user is not None and hp.user.is_active:
                rep.add("accounts_to_review", f"{hp.name}（{pid}）已不在人事系统中，账号 {hp.user.username} 仍为启用状态")
            self.people[pid] = hp

    def _serving(self, pid: str, end: dt.date | None) -> bool:
        return self.people[pid].active and (end is None or end >= self.ds.as_of)

    def _assignments(self, prefix: str) -> dict[str, HrAssignment]:
        return {a.key: a for a in HrAssignment.objects.select_for_update(of=("self",))
                .filter(person__in=list(self.people.values()), key__startswith=prefix)
                .select_related("person", "leader__enterprise", "member__body__enterprise")}

    def _in_scope(self, key: str) -> bool:
        return int(key.split(":")[2]) in self.ds.scope

    # --- leader posts -----------------------------------------------------------------------------
    def _posts(self) -> None:
        current = self._assignments("post:")
        wanted = {p.key: p for p in self.ds.posts}
        for key, p in wanted.items():
            try:
                self._post(p, current.get(key))
            except SoegovError as exc:
                raise _wrap(p.where, p.person, exc) from None
        for key, a in current.items():
            if key in wanted or not a.active or not self._in_scope(key):
                continue
            self._end_post(a, None)

    def _post(self, p: PostRow, a: HrAssignment | None) -> None:
        hp = self.people[p.person]
        ent = self.enterprises[p.enterprise]
        label = f"{hp.name}（{p.person}）{ent.name} {Post(p.post).label}"
        leader = a.leader if a is not None else None
        if not self._serving(p.person, p.end):
            if a is not None and a.active:
                self._end_post(a, p.end)
            return
        if leader is not None and leader.active:
            if (leader.name, leader.term_start, leader.term_end) != (hp.name, p.start, p.end):
                records.leader_update(actor=None, leader=leader, name=hp.name, term_start=p.start,
                                      term_end=p.end, active=True)
                self.report.add("posts_changed", f"{label}：任期 {p.start or '—'} 至 {p.end or '—'}")
            return
        taken = HrAssignment.objects.filter(leader__isnull=False).values("leader_id")
        leader = (Leader.objects.filter(enterprise=ent, post=p.post, name=hp.name, active=True)
                  .exclude(pk__in=taken).first())
        if leader is None:
            leader = records.leader_create(actor=None, enterprise=ent, name=hp.name, post=p.post, term_start=p.start,
                                           term_end=p.end, user=hp.user)
            self.report.add("posts_started", label)
        elif (leader.term_start, leader.term_end) != (p.start, p.end):
            records.leader_update(actor=None, leader=leader, name=hp.name, term_start=p.start, term_end=p.end,
                                  active=True)
        if a is None:
            HrAssignment.objects.create(person=hp, key=p.key, leader=leader)
        else:
            a.leader, a.active = leader, True
            a.save(update_fields=["leader", "active"])

    def _end_post(self, a: HrAssignment, end: dt.date | None) -> None:
        leader = a.leader
        if leader is not None and leader.active:
            finish = end or _day_before(self.ds.as_of, leader.term_start)
            records.leader_update(actor=None, leader=leader, name=leader.name, term_start=leader.term_start,
                                  term_end=finish, active=False)
            self.report.add("posts_ended", f"{leader.name}（{a.person.employee_no}）{leader.enterprise.name} "
                                           f"{leader.get_post_display()}，至 {finish}")
        a.active = False
        a.save(update_fields=["active"])

    # --- decision-body memberships ----------------------------------------------------------------
    def _members(self) -> None:
        current = self._assignments("member:")
        wanted = {m.key: m for m in self.ds.members}
        # Ends first: a principal leaving and another arriving in one run must not meet as two principals.
        for key, a in current.items():
            if a.active and self._in_scope(key) and (key not in wanted or not self._serving(
                    wanted[key].person, wanted[key].end)):
                m = wanted.get(key)
                try:
                    self._end_member(a, m.end if m else None)
                except SoegovError as exc:
                    raise _wrap(m.where if m else "", a.person.employee_no, exc) from None
        for key, m in wanted.items():
            if not self._serving(m.person, m.end):
                continue
            try:
                self._member(m, current.get(key))
            except SoegovError as exc:
                raise _wrap(m.where, m.person, exc) from None

    def _body(self, ent: Enterprise, kind: str) -> DecisionBody:
        body = DecisionBody.objects.filter(enterprise=ent, kind=kind).first()
        if body is None:
            body = registry.body_create(actor=None, enterprise=ent, kind=kind)
            self.report.add("bodies_created", f"{ent.name} {BodyKind(kind).label}")
        return body

    def _member(self, m: MemberRow, a: HrAssignment | None) -> None:
        hp = self.people[m.person]
        ent = self.enterprises[m.enterprise]
        label = f"{hp.name}（{m.person}）{ent.name} {BodyKind(m.body).label} {MemberRole(m.role).label}"
        member = a.member if a is not None else None
        fields = {"name": hp.name, "role": m.role, "is_principal": m.principal, "voting": m.voting,
                  "term_start": m.start, "term_end": m.end}
        if member is not None and (member.term_end is None or member.term_end >= self.ds.as_of):
            now = {k: getattr(member, k) for k in fields}
            if now != fields:
                registry.member_update(actor=None, member=member, **fields)
                self.report.add("members_changed", label)
            return
        body = self._body(ent, m.body)
        taken = HrAssignment.objects.filter(member__isnull=False).values("member_id")
        member = (BodyMember.objects.filter(body=body, name=hp.name).filter(Q(term_end__isnull=True)
                  | Q(term_end__gte=self.ds.as_of)).exclude(pk__in=taken).first())
        if member is None:
            member = registry.member_add(actor=None, body=body, **fields)
            self.report.add("members_added", label)
        elif {k: getattr(member, k) for k in fields} != fields:
            registry.member_update(actor=None, member=member, **fields)
            self.report.add("members_changed", label)
        if hp.user_id and member.user_id is None:
            # The member's own account casts their ballot (meetings): tie it when HR names the account.
            BodyMember.objects.filter(pk=member.pk).update(user=hp.user_id)
            audit_record(actor=None, action="member.user_link", obj=member, actor_name="人事同步",
                         before={"user": None}, after={"user": hp.user_id})
        if a is None:
            HrAssignment.objects.create(person=hp, key=m.key, member=member)
        else:
            a.member, a.active = member, True
            a.save(update_fields=["member", "active"])

    def _end_member(self, a: HrAssignment, end: dt.date | None) -> None:
        member = a.member
        if member is not None and (member.term_end is None or member.term_end >= self.ds.as_of):
            finish = end or _day_before(self.ds.as_of, member.term_start)
            registry.member_update(actor=None, member=member, name=member.name, role=member.role,
                                   is_principal=member.is_principal, voting=member.voting,
                                   term_start=member.term_start, term_end=finish)
            self.report.add("members_ended", f"{member.name}（{a.person.employee_no}）{member.body.enterprise.name} "
                                             f"{member.body.name}，至 {finish}")
        a.active = False
        a.save(update_fields=["active"])


def _record(run: SyncRun, actor: Any, action: str, **extra: Any) -> None:
    run.finished_at = timezone.now()
    run.save()
    audit_record(actor=actor, action=action, obj=run,
                 after={"source": run.source, "digest": run.digest, "status": run.status,
                        "as_of": run.as_of.isoformat() if run.as_of else None,
                        "counts": run.report.get("counts", {}), **extra})


def sync_run(*, actor: Any, dataset: Dataset, source: str, trigger: str = "page", dry_run: bool = False,
             previewed: SyncRun | None = None) -> SyncRun:
    """Preview (dry_run) or apply the dataset in one transaction; a refusal changes nothing and is recorded."""
    require_operator(actor)
    run = SyncRun(actor=acting_user(actor), trigger=trigger, source=source[:255], digest=dataset.digest,
                  as_of=dataset.as_of, applied_from=previewed)
    try:
        with transaction.atomic():
            report = _Sync(dataset).run()
            run.report = report
            if dry_run:
                transaction.set_rollback(True)
            else:
                run.status = RunStatus.APPLIED
                _record(run, actor, "hrsync.apply")
                if previewed is not None:
                    SyncRun.objects.filter(pk=previewed.pk).update(status=RunStatus.SUPERSEDED)
    except SoegovError as exc:
        run.status, run.error, run.report = RunStatus.FAILED, exc.message, {}
        with transaction.atomic():
            _record(run, actor, "hrsync.failed", error=exc.message)
        raise
    if dry_run:
        run.status = RunStatus.PREVIEWED
        run.dataset = dataset.as_json()
        with transaction.atomic():
            _record(run, actor, "hrsync.preview")
    return run


def sync_failed(*, actor: Any, source: str, trigger: str, error: SoegovError) -> SyncRun:
    """Record a run that could not read or check its source: nothing was changed."""
    require_operator(actor)
    run = SyncRun(actor=acting_user(actor), trigger=trigger, source=source[:255], status=RunStatus.FAILED,
                  error=error.message)
    with transaction.atomic():
        _record(run, actor, "hrsync.failed", error=error.message)
    return run


def apply_preview(*, actor: Any, run: SyncRun) -> SyncRun:
    """Apply a previewed run's data, exactly as previewed (the report may differ if the records changed since)."""
    require_operator(actor)
    if run.status != RunStatus.PREVIEWED or not run.dataset:
        raise InputError("not_previewed", "该记录不是待应用的预览（可能已应用或已过期），请重新预览", "run", "not an open preview")
    return sync_run(actor=actor, dataset=Dataset.from_json(run.dataset), source=run.source, trigger=run.trigger,
                    previewed=run)
