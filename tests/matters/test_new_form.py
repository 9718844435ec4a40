"""The new-matter form: every problem at once, what was typed kept, the advisor kept, Chinese labels (QA 14, 16)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from soegov.matters.models import Matter

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_empty_submit_names_the_type_and_the_title(filer: Any, enterprise: Any) -> None:
    r = _client(filer).post("/matters/new/", {"enterprise": enterprise.pk, "type": "", "title": "", "amount": "",
                                              "occurred_on": "2026-03-02", "date_confirmed": "1"})
    page = r.content.decode()
    assert r.status_code == 400
    assert "请选择事项类型" in page and "请填写事项名称" in page
    assert not Matter.objects.exists()


def test_every_field_in_error_is_marked_with_its_own_message(filer: Any, enterprise: Any) -> None:
    import re

    r = _client(filer).post("/matters/new/", {"enterprise": enterprise.pk, "type": "", "title": "", "amount": "abc",
                                              "occurred_on": "2026-02-30"})
    page = r.content.decode()
    assert r.status_code == 400
    for field, words in (("type", "请选择事项类型"), ("title", "请填写事项名称"), ("amount", "金额"),
                         ("occurred_on", "2026-02-30")):
        marked = re.search(rf'<(?:input|select)[^>]*name="{field}"[^>]*aria-invalid="true" aria-describedby="err_{field}"',
                           page)
        said = re.search(rf'<span class="field-error" id="err_{field}">([^<]+)</span>', page)
        assert marked and said and words in said.group(1), field
    assert 'name="description"' in page and 'aria-invalid="true"' not in page.split('name="description"')[1][:80]


def test_invalid_date_is_reported_as_invalid_and_kept(filer: Any, enterprise: Any) -> None:
    r = _client(filer).post("/matters/new/", {"enterprise": enterprise.pk, "type": "donation", "title": "向慈善总会捐赠",
                                              "amount": "100000", "occurred_on": "2026-02-30"})
    page = r.content.decode()
    assert r.status_code == 400
    assert "决策或发生日期“2026-02-30”应为 YYYY-MM-DD 格式的日期" in page
    assert 'value="2026-02-30"' in page and 'value="向慈善总会捐赠"' in page and 'value="100000"' in page
    assert not Matter.objects.exists()


def test_the_advisor_panel_stays_for_the_chosen_type_after_an_error(filer: Any, enterprise: Any) -> None:
    r = _client(filer).post("/matters/new/", {"enterprise": enterprise.pk, "type": "donation", "title": "",
                                              "amount": "100000", "occurred_on": "2026-03-02", "date_confirmed": "1"})
    page = r.content.decode()
    assert "请填写事项名称" in page
    assert "选择事项类型后显示须履行的义务" not in page
    assert "市属国有企业对外捐赠单次捐赠额度 5 万元及以上的事项" in page


def test_type_dropdowns_show_chinese_names_only(filer: Any) -> None:
    c = _client(filer)
    for url in ("/matters/new/", "/advisor/"):
        page = c.get(url).content.decode()
        assert "（asset_transfer）" not in page and "(asset_transfer)" not in page, url
        assert ">资产转让" in page or "资产转让</option>" in page, url


def test_inline_advisor_names_the_amount_in_chinese(filer: Any, enterprise: Any) -> None:
    r = _client(filer).post("/matters/preview/", {"enterprise": enterprise.pk, "type": "donation", "amount": "1,2",
                                                  "occurred_on": "2026-03-02", "date_confirmed": "1"}, HTTP_HX_REQUEST="true")
    page = r.content.decode()
    assert "金额" in page and "amount" not in page.replace('name="amount"', "")
