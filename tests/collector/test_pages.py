"""The security administrator's 企业报送密钥 page and the `soegov collector` commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.cli import main
from soegov.collector.credentials import key_issue
from soegov.collector.models import CollectorKey
from soegov.signatures import sm2
from tests.factories import EnterpriseFactory, UserFactory
from tests.querycount import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Any) -> Any:
    user = UserFactory(role=Role.SECURITY_ADMIN)
    client.force_login(user)
    return user


def test_a_key_issued_on_the_page_shows_its_private_key_once_and_keeps_only_the_public_one(client: Any, admin: Any) -> None:
    ent = EnterpriseFactory()
    page = client.get(reverse("home")).content.decode()
    assert "企业报送密钥" in page  # in the security administrator's menu
    r = client.post(reverse("collector:keys"), {"uscc": ent.uscc, "label": "2026 年报送"})
    assert r.status_code == 200
    text = r.content.decode()
    key = CollectorKey.objects.get()
    private = re.search(r"^([0-9a-f]{64})$", text, re.M)
    assert private and key.key_id in text and f"SOEGOV_COLLECTOR_KEY_ID={key.key_id}" in text
    assert sm2.public_key_of(bytes.fromhex(private.group(1))).hex() == key.public_key
    assert private.group(1) not in str(list(CollectorKey.objects.values()))
    assert private.group(1) not in client.get(reverse("collector:keys")).content.decode()  # shown once
    assert AuditEntry.objects.filter(action="collector.key_issue", actor=admin).count() == 1


def test_a_bad_uscc_is_named_and_revoking_is_audited(client: Any, admin: Any) -> None:
    r = client.post(reverse("collector:keys"), {"uscc": "91530000000000000X"})
    assert r.status_code == 400 and "没有统一社会信用代码为 91530000000000000X 的企业" in r.content.decode()
    key, _ = key_issue(actor=admin, uscc=EnterpriseFactory().uscc)
    r = client.post(reverse("collector:keys"), {"revoke": key.key_id}, follow=True)
    assert "已吊销报送密钥" in r.content.decode() and "已吊销" in r.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == admin


def test_only_the_security_administrator_manages_keys(client: Any) -> None:
    for role in (Role.ENTERPRISE_FILER, Role.SYSTEM_ADMIN, Role.SUPERVISOR_REVIEWER):
        client.force_login(UserFactory(role=role))
        assert client.post(reverse("collector:keys"), {"uscc": EnterpriseFactory().uscc}).status_code == 403
    assert not CollectorKey.objects.exists()


def test_the_key_list_costs_the_same_queries_at_ten_times_the_rows(client: Any, admin: Any) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            key_issue(actor=admin, uscc=EnterpriseFactory().uscc)

    add(3)
    few = queries(client, reverse("collector:keys"))
    add(27)
    assert queries(client, reverse("collector:keys")) == few


def test_the_commands_issue_list_revoke_and_send(tmp_path: Path, capsys: Any) -> None:
    ent = EnterpriseFactory(name="寻甸县城投公司")
    out = tmp_path / "k.key"
    assert main(["collector", "key", "issue", "--uscc", ent.uscc, "--out", str(out)]) == 0
    key = CollectorKey.objects.get()
    assert oct(out.stat().st_mode & 0o777) == "0o600" and key.key_id in capsys.readouterr().out
    assert main(["collector", "key", "issue", "--uscc", ent.uscc, "--out", str(out)]) == 2  # never overwritten
    assert "已存在" in capsys.readouterr().out
    assert main(["collector", "key", "list"]) == 0
    assert f"{key.key_id}\t寻甸县城投公司\t有效" in capsys.readouterr().out
    assert main(["collector", "key", "revoke", key.key_id]) == 0
    assert main(["collector", "key", "revoke", key.key_id]) == 2
    assert "已于" in capsys.readouterr().out
    assert main(["collector", "send"]) == 2  # no collector configured here
    assert "未配置国资委采集端" in capsys.readouterr().out
