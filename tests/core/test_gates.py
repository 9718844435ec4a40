"""Role gates: a page's roles, and a service's roles and scope, each with its own refusal message."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from soegov.core.gates import Gate, attribute_at, role_required

WRITERS = Gate({"filer"}, "只有企业用户可以办理", lambda actor, e: e.owner == actor.name)


@WRITERS.on("matter.enterprise")
def write(*, actor: Any, matter: Any) -> str:
    return "written"


def _actor(role: str, name: str = "a") -> Any:
    return SimpleNamespace(role=role, name=name)


def test_the_gate_lets_the_right_role_in_scope_through_and_the_system_always() -> None:
    matter = SimpleNamespace(enterprise=SimpleNamespace(owner="a"))
    assert write(actor=_actor("filer"), matter=matter) == "written"
    assert write(actor=None, matter=matter) == "written"


def test_another_role_and_another_enterprise_are_refused_with_their_messages() -> None:
    matter = SimpleNamespace(enterprise=SimpleNamespace(owner="b"))
    with pytest.raises(PermissionDenied, match="只有企业用户可以办理"):
        write(actor=_actor("reviewer"), matter=matter)
    with pytest.raises(PermissionDenied, match="该企业不在您的范围内"):
        write(actor=_actor("filer"), matter=matter)
    assert not WRITERS.allows(_actor("filer"), matter.enterprise)
    assert WRITERS.allows(_actor("filer", "b"), matter.enterprise)


def test_no_enterprise_given_checks_the_role_only() -> None:
    assert attribute_at({"matter": None}, "matter.enterprise") is None
    WRITERS.check(_actor("filer"), None)
    with pytest.raises(PermissionDenied):
        WRITERS.check(_actor("reviewer"), None)


def test_a_page_gate_refuses_other_roles() -> None:
    @role_required({"filer"}, "您的角色无权访问")
    def page(request: Any) -> str:
        return "page"

    request = RequestFactory().get("/")
    request.user = _actor("filer")
    assert page(request) == "page"
    request.user = _actor("auditor")
    with pytest.raises(PermissionDenied, match="您的角色无权访问"):
        page(request)
