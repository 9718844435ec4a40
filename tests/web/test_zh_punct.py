"""Article texts are shown with full-width punctuation; numbers and times keep theirs (QA 21)."""

from __future__ import annotations

from typing import Any

import pytest

from soegov.accounts.roles import Role
from soegov.web.templatetags.soegov_tags import zh_punct
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory


@pytest.mark.parametrize(("raw", "shown"), [
    ("(一)企业年度投资计划、融资、担保项目,期权", "（一）企业年度投资计划、融资、担保项目，期权"),
    ("单笔金额20万元以上(不含20万元);", "单笔金额20万元以上（不含20万元）；"),
    ("金额 1,000,000 元,09:30 开会:", "金额 1,000,000 元，09:30 开会："),
    ("已是全角（一）", "已是全角（一）"),
    (None, ""),
])
def test_zh_punct(raw: Any, shown: str) -> None:
    assert zh_punct(raw) == shown


@pytest.mark.django_db
def test_regulation_page_shows_full_width_punctuation(client: Any) -> None:
    ent = EnterpriseFactory(jurisdiction=JurisdictionFactory(code="xd", policy_packs=["xundian-2020"]))
    client.force_login(UserFactory(role=Role.ENTERPRISE_FILER, enterprise=ent))
    page = client.get("/advisor/regulations/xundian-2020/").content.decode()
    assert "期权、期货等金融衍生业务" in page
    assert "融资、担保项目，期权" in page and "融资、担保项目,期权" not in page
