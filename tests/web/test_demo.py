"""`soegov demo`: demo jurisdictions, trees three levels deep, bodies, one account per role; idempotent."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from soegov.accounts.models import User
from soegov.accounts.roles import ROLE_LABELS
from soegov.enterprises.models import BodyMember, DecisionBody, Enterprise, Jurisdiction
from soegov.enterprises.uscc import validate_uscc


def test_load_demo_is_complete_and_idempotent(demo: list[tuple[str, str, str]]) -> None:
    from soegov.demo.load import load_demo

    first = demo
    # Listed in the order the README's workflows use the accounts, the administrators last.
    assert [a[0] for a in first] == ["yn_filer", "yn_reviewer", "xd_secretary", "xd_member", "xd_reviewer", "xd_inspector",
                                     "yn_inspector", "yn_leader", "yn_secretary", "xd_filer", "sysadmin", "secadmin",
                                     "auditadmin"]
    counts = (Enterprise.objects.count(), DecisionBody.objects.count(), BodyMember.objects.count(), User.objects.count())
    second = load_demo()
    assert first == second
    assert counts == (Enterprise.objects.count(), DecisionBody.objects.count(), BodyMember.objects.count(),
                      User.objects.count())
    assert {j.policy_packs[0] for j in Jurisdiction.objects.all()} == {"yining-2024", "xundian-2020"}
    for j in Jurisdiction.objects.all():
        assert set(j.enterprises.values_list("level", flat=True)) == {1, 2, 3}
    for e in Enterprise.objects.all():
        validate_uscc(e.uscc)
        assert e.bodies.exists()
    assert set(User.objects.values_list("role", flat=True)) == set(ROLE_LABELS)
    # Every body has exactly one principal and the boards a non-voting attendee.
    for body in DecisionBody.objects.all():
        assert body.members.filter(is_principal=True).count() == 1
    assert all(b.members.filter(voting=False).exists() for b in DecisionBody.objects.filter(kind="board"))
    # Nobody sits in both jurisdictions: the same name leading companies in Yining and in Xundian reads as one person.
    people = {j.code: set(BodyMember.objects.filter(body__enterprise__jurisdiction=j).values_list("name", flat=True))
              | set(User.objects.filter(jurisdiction=j).values_list("full_name", flat=True))
              | set(User.objects.filter(enterprise__jurisdiction=j).values_list("full_name", flat=True))
              for j in Jurisdiction.objects.all()}
    assert people["yining"] and people["xundian"] and people["yining"] & people["xundian"] == set()
    # The general managers the README's workflows name.
    gms = dict(BodyMember.objects.filter(role="general_manager", body__enterprise__level=1)
               .values_list("body__enterprise__name", "name"))
    assert gms["寻甸县城乡建设投资开发有限公司"] == "赵秀英" and gms["伊宁市城市建设投资集团有限公司"] == "赵长青"


@pytest.mark.own_database
def test_demo_command_without_serving(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SOEGOV_DEMO_DIR")}
    # The production folder is set; the demo must not use it (issue 14 item 6).
    env["SOEGOV_DATA_DIR"] = str(tmp_path / "prod")
    env["XDG_DATA_HOME"] = str(tmp_path / "share")
    cmd = [sys.executable, "-m", "soegov", "demo", "--no-serve", "--port", "8123"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "http://127.0.0.1:8123/" in out.stdout
    assert "yn_filer" in out.stdout and "auditadmin" in out.stdout
    assert "未启用动态口令" in out.stdout
    # The jurisdictions by name, supervisor and regulation, never by pack id.
    assert "  伊宁市　伊宁市国资委　适用《伊宁市市属国有企业监督管理办法》\n" in out.stdout
    assert "  寻甸县　寻甸县财政局(国资委)　适用《寻甸县县属国有及国有控股企业落实" in out.stdout
    assert "yining-2024" not in out.stdout and "xundian-2020" not in out.stdout
    demo = tmp_path / "share" / "soegov-demo"
    assert (demo / "soegov.sqlite3").exists() and str(demo / "soegov.sqlite3") in out.stdout
    assert not (tmp_path / "prod" / "soegov.sqlite3").exists()
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    # The demo keeps its keys (the audit key among them) in its own folder too.
    demo_env = {k: v for k, v in {**env, "SOEGOV_DATA_DIR": str(demo)}.items() if k != "SOEGOV_KEY_DIR"}
    verify = subprocess.run([sys.executable, "-m", "soegov", "audit", "verify"], env=demo_env, capture_output=True,
                            text=True, timeout=120)
    assert verify.returncode == 0 and "审计链完整" in verify.stdout
    # `serve` pointed at the demo's folder refuses to start, and says how to fix it.
    served = subprocess.run([sys.executable, "-m", "soegov", "serve", "--port", "8124"], env=demo_env,
                            capture_output=True, text=True, timeout=120)
    assert served.returncode == 2, served.stdout + served.stderr
    assert "拒绝启动" in served.stderr and "Soegov@Demo2026" in served.stderr and "--allow-demo-accounts" in served.stderr
    assert "soegov 服务地址" not in served.stdout


@pytest.mark.django_db
def test_serve_refusal_only_while_a_demo_account_opens_with_the_demo_password() -> None:
    from soegov.accounts.roles import Role
    from soegov.demo.accounts import DEMO_PASSWORD
    from soegov.web.cli import refuse_demo_accounts
    from tests.factories import UserFactory

    assert refuse_demo_accounts() is False
    # A real account of that name with its own password is not a demo account.
    user = UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN)
    assert refuse_demo_accounts() is False
    user.set_password(DEMO_PASSWORD)
    user.save()
    assert refuse_demo_accounts() is True
    user.is_active = False
    user.save()
    assert refuse_demo_accounts() is False
    UserFactory(username="xd_seat12", password=DEMO_PASSWORD)
    assert refuse_demo_accounts() is True


@pytest.mark.django_db
def test_demo_accounts_open_with_the_demo_password_hashed_once_and_keep_it_in_their_history() -> None:
    from soegov.accounts.models import PasswordHistory
    from soegov.accounts.roles import Role
    from soegov.demo.accounts import DEMO_PASSWORD, demo_user_create
    from tests.factories import EnterpriseFactory

    ent = EnterpriseFactory()
    one, two = (demo_user_create(username=name, role=Role.ENTERPRISE_FILER, enterprise=ent, full_name=name)
                for name in ("demo_one", "demo_two"))
    assert one.password == two.password  # hashed once: the password is the same, and published
    for user in (one, two):
        user.refresh_from_db()
        assert user.check_password(DEMO_PASSWORD) and not user.check_password(DEMO_PASSWORD + "x")
        # As set_password does: the demo password's hash is in the account's history, alone (no throwaway before it).
        assert list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)) == [user.password]
