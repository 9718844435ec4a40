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


@pytest.mark.django_db
def test_load_demo_is_complete_and_idempotent() -> None:
    from soegov.web.demo import load_demo

    first = load_demo()
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


def test_demo_command_without_serving(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SOEGOV_DATA_DIR"] = str(tmp_path)
    cmd = [sys.executable, "-m", "soegov", "demo", "--no-serve", "--port", "8123"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "http://127.0.0.1:8123/" in out.stdout
    assert "yn_filer" in out.stdout and "auditadmin" in out.stdout
    assert "未启用动态口令" in out.stdout
    assert (tmp_path / "soegov.sqlite3").exists()
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    verify = subprocess.run([sys.executable, "-m", "soegov", "audit", "verify"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert verify.returncode == 0 and "审计链完整" in verify.stdout
