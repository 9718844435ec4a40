"""An action's address opened with GET (Enter pressed in the address bar after a form error left the browser
there) leads back to the object's page, never to a bare 405; other methods are still refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from soegov.accounts.roles import Role
from soegov.matters.models import Matter
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_get_of_an_action_goes_back_to_the_matter() -> None:
    e = EnterpriseFactory()
    m = Matter.objects.create(enterprise=e, policy="yining-2024", matter_type="donation", title="对外捐赠",
                              occurred_on=dt.date(2026, 3, 2), status="draft", route="approval")
    c = Client()
    c.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=e))
    back = c.get(f"/matters/{m.pk}/act/record_decision/")
    assert back.status_code == 302 and back["Location"] == f"/matters/{m.pk}/"
    assert c.put(f"/matters/{m.pk}/act/record_decision/").status_code == 405
    m.refresh_from_db()
    assert m.status == "draft"
    # Someone else's matter: the way back is the same 404 as the page itself.
    other = Client()
    other.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory()))
    assert other.get(f"/matters/{m.pk}/act/record_decision/", follow=True).status_code == 404


def _site_paths() -> list[str]:
    """Every address of the site's pages (not the REST API), its numbers as 1 and its words as "x"."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list, prefix: str) -> list[str]:
        out: list[str] = []
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                out += walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and not route.startswith("^"):
                out.append(prefix + route)
        return out

    import re

    paths = []
    for route in walk(get_resolver().url_patterns, "/"):
        path = re.sub(r"<int:\w+>", "1", route)
        path = re.sub(r"<(?:str|slug|path):\w+>", "x", path)
        if "<" not in path and not path.startswith("/api/"):
            paths.append(path)
    return paths


def test_no_address_of_the_site_answers_get_with_a_bare_405() -> None:
    c = Client()
    c.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=EnterpriseFactory()))
    paths = _site_paths()
    assert "/matters/1/act/x/" in paths and "/leaders/1/act/x/" in paths and len(paths) > 60
    bare = [path for path in paths if c.get(path).status_code == 405]
    assert bare == []
