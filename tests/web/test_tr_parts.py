"""A dashboard figure's articles in several regulations, joined by ；, read each in the page's language."""

from __future__ import annotations

from django.utils import translation

from soegov.web.templatetags.soegov_tags import tr_parts


def test_each_part_is_translated_and_the_chinese_stays_as_it_was() -> None:
    cite = "伊宁办法第二十九、三十条；寻甸办法第三十至三十二条"
    with translation.override("en"):
        assert tr_parts(cite) == "Yining measures arts. 29, 30; Xundian measures arts. 30–32"
    with translation.override("zh-hans"):
        assert tr_parts(cite) == cite
    assert tr_parts("") == ""
