"""三员分立 that holds (issue 14 item 2): the issue's bypass, step by step, and the dual control that stops it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from soegov.accounts import services
from soegov.accounts.models import AdminApproval, User
from soegov.accounts.roles import Role
from soegov.audit.models import AuditEntry
from tests.factories import PASSWORD, UserFactory
from tests.matters.conftest import attach_all, make_matter

pytestmark = pytest.mark.django_db
CHOSEN = "Chosen-By-Sysadmin#2026"
HOLDER = "Holder-Own-Secret#2026"


@pytest.fixture(autouse=True)
def _uploads(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("SOEGOV_DATA_DIR", str(tmp_path / "data"))


def _login(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _password_login(username: str, password: str) -> Client | None:
    c = Client()
    resp = c.post("/accounts/login/", {"username": username, "password": password})
    return c if resp.status_code == 302 and "_auth_user_id" in c.session else None


def test_sysadmin_cannot_create_an_audit_admin_he_can_log_into() -> None:
    sysadmin = UserFactory(role=Role.SYSTEM_ADMIN)
    c = _login(sysadmin)
    # The step 1: create an audit-admin account with a password he chooses.
    resp = c.post("/accounts/users/", {"username": "aud2", "full_name": "", "role": Role.AUDIT_ADMIN,
                                       "password": CHOSEN}, follow=True)
    assert "待安全管理员确认" in resp.content.decode()
    made = User.objects.get(username="aud2")
    assert not made.is_active and not made.has_usable_password() and not made.check_password(CHOSEN)
    # Step 2: log in as it — refused.
    assert _password_login("aud2", CHOSEN) is None
    # Nor can he approve his own request, or re-enable it by the toggle.
    approval = AdminApproval.objects.get(user=made)
    with pytest.raises(PermissionDenied):
        services.admin_approval_decide(actor=sysadmin, approval=approval, approve=True)
    assert c.post("/accounts/security/", {"approve": approval.pk}).status_code == 403
    c.post("/accounts/users/", {"toggle": made.pk})
    made.refresh_from_db()
    assert not made.is_active
    # Step 3: the audit export — 403 for the system administrator.
    assert c.get("/audit/export.csv").status_code == 403
    assert c.get("/audit/").status_code == 403


def test_every_admin_role_is_dual_controlled_and_the_holder_sets_the_first_password() -> None:
    sysadmin = UserFactory(role=Role.SYSTEM_ADMIN)
    security = UserFactory(role=Role.SECURITY_ADMIN)
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        made = services.user_create(actor=sysadmin, username=f"new_{role}", password=CHOSEN, role=role)
        assert not made.is_active, role
    made = User.objects.get(username=f"new_{Role.AUDIT_ADMIN}")
    approval = AdminApproval.objects.get(user=made)
    page = _login(security).get("/accounts/security/").content.decode()
    assert "new_audit_admin" in page and "新建管理员账号" in page
    resp = _login(security).post("/accounts/security/", {"approve": approval.pk}, follow=True)
    link = re.search(r"http://testserver(/accounts/first-password/[^/]+/[^/]+/)", resp.content.decode())
    assert link, resp.content.decode()[:2000]
    made.refresh_from_db()
    assert made.is_active and not made.has_usable_password()
    # Approving twice is refused; the link sets the password once, then is dead.
    with pytest.raises(Exception, match="已处理"):
        services.admin_approval_decide(actor=security, approval=approval, approve=True)
    anon = Client()
    assert "设置初始密码" in anon.get(link.group(1)).content.decode()
    bad = anon.post(link.group(1), {"password": "short", "password2": "short"})
    assert bad.status_code == 200 and "密码" in bad.content.decode()
    made.refresh_from_db()
    assert not made.has_usable_password()
    resp = anon.post(link.group(1), {"password": HOLDER, "password2": HOLDER})
    assert resp.status_code == 302
    assert anon.get(link.group(1)).status_code == 404
    assert _password_login("new_audit_admin", HOLDER) is not None
    actions = list(AuditEntry.objects.filter(object_id=str(made.pk), action__startswith="user.")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["user.create", "user.admin_request", "user.admin_approve", "user.first_password"]


def test_refused_request_leaves_the_account_off_and_reenabling_needs_approval_again() -> None:
    sysadmin = UserFactory(role=Role.SYSTEM_ADMIN)
    security = UserFactory(role=Role.SECURITY_ADMIN)
    auditor = UserFactory(role=Role.AUDIT_ADMIN)
    services.user_set_active(actor=sysadmin, user=auditor, active=False)
    auditor.refresh_from_db()
    assert not auditor.is_active
    services.user_set_active(actor=sysadmin, user=auditor, active=True)
    auditor.refresh_from_db()
    assert not auditor.is_active
    assert _password_login(auditor.username, PASSWORD) is None
    approval = AdminApproval.objects.get(user=auditor, decided_at__isnull=True)
    services.admin_approval_decide(actor=security, approval=approval, approve=False)
    auditor.refresh_from_db()
    assert not auditor.is_active
    services.user_set_active(actor=sysadmin, user=auditor, active=True)
    services.admin_approval_decide(actor=security, approval=AdminApproval.objects.get(user=auditor, decided_at=None),
                                   approve=True)
    assert _password_login(auditor.username, PASSWORD) is not None
    # Business accounts stay the system administrator's alone: enabled at once.
    filer = UserFactory(role=Role.ENTERPRISE_FILER, is_active=False)
    services.user_set_active(actor=sysadmin, user=filer, active=True)
    filer.refresh_from_db()
    assert filer.is_active


def test_sysadmin_reads_no_business_data_api_or_pages(tmp_path: Any) -> None:
    from soegov.accounts.services import token_create
    from tests.factories import EnterpriseFactory, JurisdictionFactory

    e = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="yn", policy_packs=["yining-2024"]), ownership="sole")
    filer = UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e)
    matter = attach_all(filer, make_matter(filer, e))
    attachment = matter.attachments.first()
    sysadmin = UserFactory(role=Role.SYSTEM_ADMIN)
    # The requests: GET /api/v1/attachments/N and /api/v1/matters/N returned 200.
    _, key = token_create(actor=sysadmin, name="probe")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    c = Client()
    assert c.get(f"/api/v1/attachments/{attachment.pk}", **auth).status_code == 404
    assert c.get(f"/api/v1/matters/{matter.pk}", **auth).status_code == 404
    assert c.get("/api/v1/matters", **auth).json() == []
    assert c.get("/api/v1/enterprises", **auth).json() == []
    # The filer reaches the same records (the test can fail).
    _, fkey = token_create(actor=filer, name="own")
    assert c.get(f"/api/v1/matters/{matter.pk}", HTTP_AUTHORIZATION=f"Bearer {fkey}").status_code == 200
    pages = _login(sysadmin)
    for url in (f"/matters/{matter.pk}/", "/matters/", "/enterprises/", f"/enterprises/{e.pk}/", "/meetings/",
                "/leaders/", "/followup/", reverse("exchange:received"), reverse("oversight:dashboard")):
        assert pages.get(url).status_code in (403, 404), url
    home = pages.get("/").content.decode()
    assert 'href="/matters/"' not in home and "可见企业" not in home and "用户管理" in home
