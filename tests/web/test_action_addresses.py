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
