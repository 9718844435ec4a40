"""Role gates: who may open a page, and who may run a service on an enterprise's records.

A page declares its roles with `@role_required(roles, message)`. A service declares a `Gate` once (roles,
the refusal, and a scope rule saying whether an enterprise is the actor's) and wears it as a decorator,
`@WRITER.on("matter.enterprise")`, which checks the keyword argument `actor` against the enterprise found at
that path among the keyword arguments before the service runs. actor None is the system itself (the CLI,
the demo loader) and always passes; the audit trail records it as such. Refusals are PermissionDenied
(a 403 page, a 403 JSON error in the API), with the gate's own message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

P = ParamSpec("P")
R = TypeVar("R")
OUT_OF_SCOPE = "该企业不在您的范围内"
# Whether the enterprise is one the actor may act on (enterprises.permissions holds the rules).
ScopeRule = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Gate:
    """The roles that may do something, the message when another role tries, and the scope rule on the enterprise."""

    roles: Collection[str]
    refused: str
    scope: ScopeRule | None = None
    out_of_scope: str = OUT_OF_SCOPE

    def check(self, actor: Any, enterprise: Any = None) -> None:
        """PermissionDenied unless the actor holds one of the roles and the enterprise (when given) is in its scope."""
        if actor is None:
            return
        if actor.role not in self.roles:
            raise PermissionDenied(self.refused)
        if self.scope is not None and enterprise is not None and not self.scope(actor, enterprise):
            raise PermissionDenied(self.out_of_scope)

    def allows(self, actor: Any, enterprise: Any = None) -> bool:
        """Whether check() would let the actor through (for pages that show or hide an action)."""
        try:
            self.check(actor, enterprise)
        except PermissionDenied:
            return False
        return True

    def on(self, enterprise_at: str | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
        """Service decorator: the gate checked on kwargs['actor'] and the enterprise at a dotted path of the kwargs."""

        def decorate(service: Callable[P, R]) -> Callable[P, R]:
            @functools.wraps(service)
            def gated(*args: P.args, **kwargs: P.kwargs) -> R:
                self.check(kwargs.get("actor"), attribute_at(kwargs, enterprise_at) if enterprise_at else None)
                return service(*args, **kwargs)

            return gated

        return decorate


def attribute_at(kwargs: dict[str, Any], path: str) -> Any:
    """The value at a dotted path whose first part names a keyword argument ("matter.enterprise"); None past a None."""
    head, *rest = path.split(".")
    value = kwargs.get(head)
    for name in rest:
        if value is None:
            return None
        value = getattr(value, name)
    return value


def role_required(roles: Collection[str], refused: str) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """View decorator (under @login_required): PermissionDenied(refused) unless the user's role is one of `roles`.

    The roles stay on the view (`page_roles`), so what links to a page can offer it to exactly those roles.
    """

    def decorate(view: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
            if getattr(request.user, "role", None) not in roles:
                raise PermissionDenied(refused)
            return view(request, *args, **kwargs)

        gated.page_roles = frozenset(roles)  # type: ignore[attr-defined]
        return gated

    return decorate


def page_roles(view: Callable[..., Any]) -> frozenset[str]:
    """The roles a page's `role_required` admits (carried through functools.wraps decorators); none if it has no gate."""
    return frozenset(getattr(view, "page_roles", frozenset()))
