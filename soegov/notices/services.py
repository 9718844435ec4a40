"""Writes of notices: a person's channels, the notices made for an event, and the outcome of each send.

Other apps call `notices_send(users=..., event=..., title=..., text=..., url=...)` beside their in-app
message; it records one Notice per person and chosen channel (and one for the group robot) once their
transaction commits, and hands them to the queue. Nothing is sent inside the caller's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from soegov.audit.services import acting_user, audit_record, snapshot
from soegov.core.errors import InputError, SoegovError
from soegov.notices import config, dingtalk, sms, wecom
from soegov.notices.models import Channel, Event, Notice, NoticeChannels, NoticeStatus
from soegov.notices.remote import Refused, TryLater

CHANNEL_FIELDS = ["wecom", "wecom_userid", "dingtalk", "dingtalk_userid", "sms", "mobile"]
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# 企业微信 UserID: 1–64 letters, digits and _-@. ; 钉钉 userid is of the same kind.
USERID = re.compile(r"^[A-Za-z0-9_.@\-]{1,64}$")
SEND_KIND = "notices.send"
CHANNEL_LABELS: dict[str, str] = {"wecom": "企业微信", "dingtalk": "钉钉", "sms": "短信"}


def channels_of(user: Any) -> NoticeChannels:
    """The person's channel record (unsaved and empty when he never chose)."""
    found = NoticeChannels.objects.filter(user_id=user.pk).first()
    return found or NoticeChannels(user=user, version=0)


def channels_save(*, actor: Any, user: Any, data: dict[str, Any], version: Any = None) -> NoticeChannels:
    """Save where the person reads notices; every problem names its field, nothing is half saved."""
    def on(name: str) -> bool:
        return str(data.get(name, "")) in {"1", "on", "true", "True"}

    addresses = {"wecom_userid": str(data.get("wecom_userid", "")).strip(),
                 "dingtalk_userid": str(data.get("dingtalk_userid", "")).strip(),
                 "mobile": re.sub(r"[\s-]", "", str(data.get("mobile", "")))}
    flags = {"wecom": on("wecom"), "dingtalk": on("dingtalk"), "sms": on("sms")}
    errors: list[SoegovError] = []
    for flag, addr, label in (("wecom", "wecom_userid", "企业微信账号"), ("dingtalk", "dingtalk_userid", "钉钉用户 ID")):
        name = CHANNEL_LABELS[flag]
        if addresses[addr] and not USERID.match(addresses[addr]):
            errors.append(InputError("bad_userid", f"{label}只能由 1–64 个字母、数字和 _-@. 组成", addr))
        if flags[flag] and not addresses[addr]:
            errors.append(InputError("address_missing", f"选择了{name}，请填写{label}", addr))
        if flags[flag] and not config.configured(flag):
            errors.append(InputError("channel_off", f"本系统尚未配置{name}，暂不能选择", flag))
    if addresses["mobile"] and not MOBILE.match(addresses["mobile"]):
        errors.append(InputError("bad_mobile", "手机号码应为 11 位数字，以 1 开头", "mobile"))
    if flags["sms"] and not addresses["mobile"]:
        errors.append(InputError("address_missing", "选择了短信，请填写手机号码", "mobile"))
    if flags["sms"] and not config.sms_configured():
        errors.append(InputError("channel_off", "本系统尚未配置短信网关，暂不能选择短信", "sms"))
    wanted: dict[str, Any] = {**flags, **addresses}
    if errors:
        first = errors[0]
        first.details = errors
        raise first
    with transaction.atomic():
        row, _ = NoticeChannels.objects.select_for_update().get_or_create(user_id=user.pk, defaults={"version": 0})
        if version not in (None, "") and str(version) != str(row.version):
            raise SoegovError("stale_version", "通知设置已在别处修改，请刷新页面后重试", "version", "stale version")
        before = snapshot(row, CHANNEL_FIELDS)
        for name, value in wanted.items():
            setattr(row, name, value)
        row.version += 1
        row.save()
        audit_record(actor=actor, action="notice.channels", obj=user, before=before, after=snapshot(row, CHANNEL_FIELDS))
    return row


def _targets(users: Iterable[Any]) -> list[tuple[Any, str, str]]:
    """(user, channel, address) for every channel each person chose that is configured; one query."""
    ids = {u.pk for u in users if getattr(u, "pk", None)}
    out: list[tuple[Any, str, str]] = []
    on = {c: config.configured(c) for c in ("wecom", "dingtalk", "sms")}
    for row in NoticeChannels.objects.filter(user_id__in=ids).select_related("user").order_by("user_id"):
        if not row.user.is_active:
            continue
        for channel, flag, address in (("wecom", row.wecom, row.wecom_userid),
                                       ("dingtalk", row.dingtalk, row.dingtalk_userid),
                                       ("sms", row.sms, row.mobile)):
            if flag and address and on[channel]:
                out.append((row.user, channel, address))
    return out


def notices_create(*, users: Iterable[Any], event: str, title: str, text: str, url: str = "") -> list[Notice]:
    """Record the notices for one event (each chosen channel of each person, and the robot); audited."""
    if event not in Event.values:
        raise ValueError(f"unknown notice event {event!r}")
    link = config.absolute_url(url)
    rows = [Notice(user=u, channel=c, event=event, address=a, title=title[:120], text=text, url=link[:500])
            for u, c, a in _targets(users)]
    if event in config.robot_events() and config.robot_configured():
        rows.append(Notice(user=None, channel=Channel.DINGTALK_ROBOT, event=event, address="群机器人",
                           title=title[:120], text=text, url=link[:500]))
    if not rows:
        return []
    with transaction.atomic():
        made = Notice.objects.bulk_create(rows)
        for n in made:
            audit_record(actor=None, actor_name="soegov notices", action="notice.create", obj=n,
                         after={"channel": n.channel, "event": n.event, "to": n.address, "title": n.title})
    return made


def notices_send(*, users: Iterable[Any], event: str, title: str, text: str, url: str = "") -> None:
    """After the caller's transaction commits: record the event's notices and queue them for sending."""
    people = list(users)

    def go() -> None:
        made = notices_create(users=people, event=event, title=title, text=text, url=url)
        if made:
            queue([n.pk for n in made])

    transaction.on_commit(go)


def queue(ids: list[int], *, actor: Any = None) -> None:
    """Hand notices to the task queue (one job for the batch)."""
    from soegov.jobs.services import job_start

    job_start(actor=actor, kind=SEND_KIND, params={"ids": ids}, target=f"notices:{ids[0]}",
              label=f"发送消息通知（{len(ids)} 条）")


def send_one(notice: Notice) -> None:
    """Send one notice on its channel; TryLater or Refused when it did not go."""
    args = {"title": notice.title, "text": notice.text, "url": notice.url}
    if not config.configured(notice.channel):
        raise Refused(f"本系统已不再配置{notice.get_channel_display()}")
    if notice.channel == Channel.WECOM:
        wecom.send(userid=notice.address, **args)
    elif notice.channel == Channel.DINGTALK:
        dingtalk.send_work_notice(userid=notice.address, **args)
    elif notice.channel == Channel.DINGTALK_ROBOT:
        dingtalk.send_robot(**args)
    else:
        sms.send(mobile=notice.address, **args)


@dataclass
class Outcome:
    """What one round of sending did."""

    sent: int = 0
    failed: int = 0
    later: list[str] = field(default_factory=list)


def _record(notice: Notice, status: str, error: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        before = {"status": notice.status, "attempts": notice.attempts}
        notice.status, notice.last_error, notice.tried_at = status, error[:2000], now
        notice.attempts += 1
        if status == "sent":
            notice.sent_at = now
        notice.save(update_fields=["status", "last_error", "tried_at", "attempts", "sent_at"])
        audit_record(actor=None, actor_name="soegov notices", action="notice.attempt", obj=notice, before=before,
                     after={"status": status, "attempts": notice.attempts, "error": error[:500]}, ip="")


def notices_deliver(ids: list[int], *, final: bool = False) -> Outcome:
    """Try every still-pending notice of the batch once; on the final round a TryLater marks it failed."""
    out = Outcome()
    for notice in Notice.objects.filter(pk__in=ids, status=NoticeStatus.PENDING).order_by("pk"):
        try:
            send_one(notice)
        except TryLater as exc:
            if final:
                _record(notice, "failed", f"多次重试仍未发出：{exc.message}")
                out.failed += 1
            else:
                _record(notice, "pending", f"{exc.message}；稍后自动重试")
            out.later.append(exc.message)
        except Refused as exc:
            _record(notice, "failed", exc.message)
            out.failed += 1
        else:
            _record(notice, "sent", "")
            out.sent += 1
    return out


def notices_resend(*, actor: Any, ids: list[int]) -> int:
    """Send failed notices again (an administrator, after fixing the cause); audited; returns how many."""
    with transaction.atomic():
        rows = list(Notice.objects.select_for_update().filter(pk__in=ids, status=NoticeStatus.FAILED))
        for n in rows:
            audit_record(actor=actor, action="notice.resend", obj=n, before={"status": n.status},
                         after={"status": NoticeStatus.PENDING})
        Notice.objects.filter(pk__in=[n.pk for n in rows]).update(status=NoticeStatus.PENDING)
        if rows:
            resend = [n.pk for n in rows]
            who = acting_user(actor)
            transaction.on_commit(lambda: queue(resend, actor=who))
    return len(rows)
