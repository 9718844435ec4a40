"""The supervisor's collector endpoint: signature, replay, idempotence, refusals, and the manual import's checks."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.collector.credentials import key_issue, key_revoke
from soegov.collector.models import CollectorReceipt
from soegov.core.errors import SoegovError
from soegov.exchange.models import ReceivedPackage, ReceivedRegulation
from soegov.signatures import sm2
from tests.collector.conftest import URL, Issued
from tests.exchange import samples
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_package_is_imported_and_answered_with_its_receipt(client: Any, issued: Issued) -> None:
    name, body = issued.package(samples.regulation())
    r = issued.post(client, name, body, package_id="pkg-1")
    assert r.status_code == 200, r.content
    receipt = r.json()
    assert (receipt["status"], receipt["outcome"], receipt["package_id"]) == ("accepted", "applied", "pkg-1")
    assert receipt["items"][0]["ok"] and "已接收" in receipt["items"][0]["message"]
    assert ReceivedRegulation.objects.filter(enterprise=issued.enterprise, active=True).count() == 1
    entry = AuditEntry.objects.get(action="collector.receive")
    assert issued.key.key_id in entry.actor_name and entry.after["status"] == "accepted"


def test_the_same_package_id_sent_again_gets_the_same_receipt_and_is_not_imported_twice(client: Any, issued: Issued) -> None:
    name, body = issued.package(samples.regulation())
    first = issued.post(client, name, body, package_id="pkg-1").json()
    again = issued.post(client, name, body, package_id="pkg-1")  # a new nonce: the sender lost the first answer
    assert again.status_code == 200 and again.json() == {**first, "resent": True}
    assert ReceivedPackage.objects.count() == 1 and CollectorReceipt.objects.count() == 1
    # Another package under the same id is a mistake, not a re-send.
    other_name, other = issued.package(samples.item())
    clash = issued.post(client, other_name, other, package_id="pkg-1")
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "package_id_reused"


def test_a_replayed_request_is_refused(client: Any, issued: Issued) -> None:
    name, body = issued.package(samples.regulation())
    headers = issued.headers(name, body)
    assert issued.post(client, name, body, headers=headers).status_code == 200
    replay = issued.post(client, name, body, headers=headers)
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "replay"


def test_a_tampered_package_is_refused_and_nothing_is_stored(client: Any, issued: Issued) -> None:
    name, body = issued.package(samples.regulation())
    headers = issued.headers(name, body)
    _, other = issued.package(samples.regulation(rate="2/3"))
    r = issued.post(client, name, other, headers=headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_signature"
    assert "签名后被改动" in r.json()["error"]["message"]
    assert not ReceivedPackage.objects.exists() and not CollectorReceipt.objects.exists()
    assert AuditEntry.objects.filter(action="collector.refuse").count() == 1


def test_unsigned_stale_revoked_and_foreign_requests_are_refused(client: Any, issued: Issued) -> None:
    name, body = issued.package(samples.regulation())
    bare = client.post(URL, data=body, content_type="application/octet-stream")
    assert bare.status_code == 401 and "X-Soegov-Key-Id" in bare.json()["error"]["message"]
    stale = issued.post(client, name, body, headers=issued.headers(name, body, now=time.time() - 3600))
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "clock_skew"
    # A package of another enterprise, signed with this one's key.
    other = EnterpriseFactory(jurisdiction=issued.enterprise.jurisdiction)
    foreign_name, foreign = issued.package(samples.regulation(), uscc=other.uscc)
    refused = issued.post(client, foreign_name, foreign)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_own_package"
    key_revoke(actor=None, key_id=issued.key.key_id)
    revoked = issued.post(client, name, body)
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "unknown_key"
    assert not ReceivedPackage.objects.exists()


def test_a_package_over_the_size_limit_is_refused_413(client: Any, issued: Issued, monkeypatch: Any) -> None:
    from soegov.collector import api
    from soegov.exchange import imports

    monkeypatch.setattr(imports, "MAX_ZIP_BYTES", 1048576)
    monkeypatch.setattr(api, "MAX_ZIP_BYTES", 1048576)
    name, _ = issued.package(samples.regulation())
    body = b"x" * (1048576 + 10)
    r = issued.post(client, name, body)
    assert r.status_code == 413 and r.json()["error"]["code"] == "package_too_large"
    assert "超过 1 MB" in r.json()["error"]["message"] and not CollectorReceipt.objects.exists()


def test_a_package_the_checks_refuse_is_a_rejected_receipt_naming_the_field(client: Any, issued: Issued) -> None:
    name, body = issued.package(samples.meeting(subjects=[samples.subject(codes=("F09-009",))]))
    r = issued.post(client, name, body)
    assert r.status_code == 400
    receipt = r.json()
    assert receipt["status"] == "rejected" and "F09-009" in receipt["items"][0]["message"]
    assert not ReceivedPackage.objects.exists() and CollectorReceipt.objects.get().status == "rejected"


def test_anomalies_come_back_in_the_receipt(client: Any, issued: Issued) -> None:
    item_name, item = issued.package(samples.item(meetings=("党委会", "董事会")))
    assert issued.post(client, item_name, item).status_code == 200
    party = samples.meeting(name="党委会前置研究", subjects=[samples.subject(sid="p1", name="研究购置设备", counsel=False)])
    r = issued.post(client, *issued.package(party))
    receipt = r.json()
    assert r.status_code == 200 and receipt["status"] == "accepted" and receipt["anomaly_count"] >= 2
    labels = {a["label"] for a in receipt["items"][0]["anomalies"]}
    assert "未经合法合规审查" in labels
    assert all(a["subject"] == "研究购置设备" and a["cause"] for a in receipt["items"][0]["anomalies"])


def test_a_bundle_partly_refused_is_a_207_receipt(client: Any, issued: Issued) -> None:
    good_name, good = issued.package(samples.item(code="F01-001"))
    clash = samples.item(code="F01-001")
    clash.item_id = "id-another"  # another item under the same code in one bundle: refused as a duplicate
    _, bad = issued.package(clash)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as bundle:
        bundle.writestr(good_name.replace(".zip", "_a.zip"), good)
        bundle.writestr(good_name.replace(".zip", "_b.zip"), bad)
    r = issued.post(client, f"{issued.enterprise.uscc}_0004_事项清单_20261120.zip", buf.getvalue())
    assert r.status_code == 207, r.content
    receipt = r.json()
    assert receipt["status"] == "partial" and [i["ok"] for i in receipt["items"]] == [True, False]
    assert "已存在" in receipt["items"][1]["message"]


def test_keys_are_issued_by_administrators_only_and_audited() -> None:
    ent = EnterpriseFactory()
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent)
    with pytest.raises(PermissionDenied):
        key_issue(actor=filer, uscc=ent.uscc)
    admin = UserFactory(role=Role.SECURITY_ADMIN)
    _, public = sm2.generate_keypair()
    key, private = key_issue(actor=admin, uscc=ent.uscc, public_key_hex=public.hex())
    assert private is None and key.public_key == public.hex()  # the enterprise's own key: nothing to hand over
    with pytest.raises(SoegovError, match="公钥无效"):
        key_issue(actor=admin, uscc=ent.uscc, public_key_hex="04abcd")
    with pytest.raises(SoegovError, match="没有统一社会信用代码"):
        key_issue(actor=admin, uscc="91530000000000000X")
    key_revoke(actor=admin, key_id=key.key_id)
    with pytest.raises(SoegovError, match="已于"):
        key_revoke(actor=admin, key_id=key.key_id)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["collector.key_issue", "collector.key_revoke"]


def test_nonces_are_forgotten_once_their_requests_would_be_too_old_anyway(client: Any, issued: Issued) -> None:
    import datetime as dt

    from django.utils import timezone

    from soegov.collector.models import CollectorNonce
    from soegov.collector.signing import MAX_SKEW_SECONDS

    name, body = issued.package(samples.regulation())
    assert issued.post(client, name, body).status_code == 200
    CollectorNonce.objects.update(seen_at=timezone.now() - dt.timedelta(seconds=2 * MAX_SKEW_SECONDS + 1))
    assert issued.post(client, *issued.package(samples.item())).status_code == 200
    assert CollectorNonce.objects.count() == 1  # the old one deleted, this request's kept


def test_the_supervisor_sees_a_reported_package_as_received_through_the_signed_endpoint(client: Any,
                                                                                      issued: Issued) -> None:
    from django.urls import reverse

    assert issued.post(client, *issued.package(samples.regulation())).status_code == 200
    client.force_login(UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=issued.enterprise.jurisdiction))
    page = client.get(reverse("exchange:received")).content.decode()
    assert "企业端报送（签名接口）" in page and f"{issued.enterprise.uscc}_0005_1000_20261120.zip" in page
