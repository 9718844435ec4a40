"""The system administrator's SSO page: links made, refused, dismissed and removed, all audited; bad input is a
message, never a 500; the lists page with a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from soegov.identity import services
from soegov.identity.models import PendingLink, PendingStatus, SsoIdentity
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
ISSUER = "https://sso.example.gov.cn/o"


@pytest.fixture
def admin_client(client):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN, username="sysadmin"))
    return client


def _pending(n: int = 0) -> PendingLink:
    return services.record_unknown(provider="oidc", issuer=ISSUER, claim="sub", value=f"s-{n}",
                                   claims={"name": f"人员{n}", "preferred_username": f"p{n}", "secret": "kept out"})


def test_only_the_system_administrator_reaches_the_page(client) -> None:  # type: ignore[no-untyped-def]
    for role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.ENTERPRISE_FILER):
        client.force_login(UserFactory(role=role, enterprise=EnterpriseFactory() if role == Role.ENTERPRISE_FILER else None))
        assert client.get(reverse("identity:admin")).status_code == 403
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    page = client.get(reverse("home"))
    assert reverse("identity:admin") in page.content.decode()


def test_only_recognisable_claims_are_kept(admin_client) -> None:  # type: ignore[no-untyped-def]
    pending = _pending()
    assert pending.details == {"name": "人员0", "preferred_username": "p0"}
    assert pending.display_name == "人员0（p0）"


def test_the_three_administrators_cannot_be_linked(admin_client) -> None:  # type: ignore[no-untyped-def]
    pending = _pending()
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        target = UserFactory(role=role)
        resp = admin_client.post(reverse("identity:admin"), {"action": "link_pending", "pending": pending.pk,
                                                             "username": target.username}, follow=True)
        assert "三员账号只能以本地密码加动态口令登录" in resp.content.decode()
    assert not SsoIdentity.objects.exists()
    pending.refresh_from_db()
    assert pending.status == PendingStatus.PENDING


def test_link_dismiss_and_unlink_are_audited(admin_client) -> None:  # type: ignore[no-untyped-def]
    UserFactory(enterprise=EnterpriseFactory(), username="filer1")
    first, second = _pending(1), _pending(2)
    assert admin_client.post(reverse("identity:admin"), {"action": "link_pending", "pending": first.pk,
                                                         "username": "filer1"}).status_code == 302
    assert admin_client.post(reverse("identity:admin"), {"action": "dismiss", "pending": second.pk}).status_code == 302
    second.refresh_from_db()
    assert second.status == PendingStatus.DISMISSED
    identity = SsoIdentity.objects.get()
    # The same identity cannot be linked twice, nor a dismissed record linked afterwards.
    again = admin_client.post(reverse("identity:admin"), {"action": "link", "provider": "cas", "value": " ",
                                                          "username": "filer1"})
    assert again.status_code == 400
    assert admin_client.post(reverse("identity:admin"), {"action": "unlink", "identity": identity.pk}).status_code == 302
    assert not SsoIdentity.objects.exists()
    actions = list(AuditEntry.objects.filter(action__startswith="sso.").order_by("seq").values_list("action", flat=True))
    assert actions == ["sso.unknown_login", "sso.unknown_login", "sso.link", "sso.pending_resolve",
                       "sso.pending_dismiss", "sso.unlink"]
    unlink = AuditEntry.objects.get(action="sso.unlink")
    assert unlink.before["value"] == "s-1" and unlink.actor.username == "sysadmin"


@pytest.mark.parametrize("data", [
    {"action": "dismiss", "pending": "x"},
    {"action": "dismiss", "pending": "99999999999999999999999"},
    {"action": "unlink", "identity": "-1"},
    {"action": "link_pending", "pending": "abc", "username": "x"},
    {"action": "link_pending", "pending": "99999999999999999999999", "username": "x"},
    {"action": "link", "provider": "saml", "value": "v", "username": "u"},
    {"action": "link", "provider": "oidc", "value": "v" * 300, "username": "u"},
    {"action": "link", "provider": "oidc", "value": "v", "username": "nobody"},
    {"action": "whatever"},
])
def test_bad_input_is_a_message_never_a_500(admin_client, data: dict) -> None:  # type: ignore[type-arg, no-untyped-def]
    resp = admin_client.post(reverse("identity:admin"), data)
    assert resp.status_code in {302, 400, 404}


def test_linking_a_provider_that_is_not_configured_says_so(admin_client) -> None:  # type: ignore[no-untyped-def]
    UserFactory(enterprise=EnterpriseFactory(), username="filer2")
    resp = admin_client.post(reverse("identity:admin"), {"action": "link", "provider": "cas", "value": "zhang",
                                                         "username": "filer2"})
    assert resp.status_code == 400 and "未配置 CAS 登录" in resp.content.decode()


def test_lists_page_with_a_constant_number_of_queries(admin_client) -> None:  # type: ignore[no-untyped-def]
    ent = EnterpriseFactory()
    admin = UserFactory(role=Role.SYSTEM_ADMIN)

    def grow(n: int) -> None:
        start = PendingLink.objects.count()
        for i in range(start, start + n):
            _pending(i)
            user = UserFactory(enterprise=ent)
            services.link_create(actor=admin, provider="oidc", issuer=ISSUER, claim="sub", value=f"l-{i}",
                                 username=user.username)

    grow(3)
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(reverse("identity:admin")).status_code == 200
    grow(60)
    with CaptureQueriesContext(connection) as large:
        page = admin_client.get(reverse("identity:admin"))
    assert len(large) == len(small)
    assert "第 1 / 2 页" in page.content.decode()
