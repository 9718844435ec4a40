"""Every template says its words through Django's translation machinery (issue 18, the English UI): no Han
character outside a translate / blocktranslate tag, a `_("…")` filter argument or a comment, but for the few
places named below with the reason each is right; every tag is one Django reads (a tag split over two lines is
printed as text). The catalogue the site ships (django.mo) is the one compiled from django.po."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.template.base import TextNode

ROOT = Path(__file__).resolve().parents[2] / "soegov"
LOCALE = ROOT / "locale" / "en" / "LC_MESSAGES"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TRANSLATED = re.compile(
    r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}"
    r"|\{% translate .*?%\}|\{% blocktranslate.*?%\}.*?\{% endblocktranslate %\}"
    r"|_\(\"[^\"]*\"\)",
    re.S,
)

# (template, the Han text left as it is): why it is right.
ALLOWED = {
    ("web/templates/base.html", "中文"): "the language switch names Chinese in Chinese, for the reader who needs it",
    ("exchange/templates/exchange/regulations.html", "是"): "the value the form posts (the service reads 是/否), not text",
    ("exchange/templates/exchange/regulations.html", "否"): "the value the form posts (the service reads 是/否), not text",
    ("leaders/templates/leaders/enterprise.html", "关于公开选聘的决定"): "the default title of an official document, which stays Chinese",
    ("leaders/templates/leaders/leader.html", "经营业绩责任书"): "the default title of an official document, which stays Chinese",
    ("leaders/templates/leaders/leader.html", "关于企业负责人薪酬的决定"): "the default title of an official document, which stays Chinese",
}

# Templates not translated yet (issue 18 is worked app by app, in the order of the README's workflows). Each is
# expected to fail; once it is translated the test passes unexpectedly and it must leave this list.
NOT_YET: set[str] = set()

TEMPLATES = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/templates/**/*.html"))


def untranslated(name: str, source: str) -> list[str]:
    """The Han text of a template that no translate tag, `_()` argument or comment holds, less the allowed."""
    rest = TRANSLATED.sub(" ", source)
    runs = re.findall(r"[^\s<>{}\"]*[\u3400-\u9fff\uf900-\ufaff][^\s<>{}\"]*", rest)
    return [r for r in runs if (name, r) not in ALLOWED]


def test_the_check_finds_han_outside_translate_tags_and_nowhere_else() -> None:
    source = ('{% load i18n %}<h1>{% translate "待办" %}</h1>{# 注释 #}<p title="{% translate "提示" %}">'
              '{% blocktranslate with n=x %}共 {{ n }} 项{% endblocktranslate %}{{ d|date:_("Y年n月") }}</p>')
    assert untranslated("x.html", source) == []
    assert untranslated("x.html", source + "<p>未译</p>") == ["未译"]
    assert untranslated("x.html", '<input placeholder="例如">') == ["例如"]
    assert untranslated("web/templates/base.html", "<button>中文</button>") == []


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(
    strict=True, reason="issue 18: not translated yet")) if n in NOT_YET else n for n in TEMPLATES])
def test_template_text_goes_through_translation(name: str) -> None:
    assert untranslated(name, (ROOT / name).read_text(encoding="utf-8")) == []


def test_the_not_yet_list_names_only_templates_that_exist() -> None:
    assert set(TEMPLATES) >= NOT_YET


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_shipped_catalogue_is_compiled_from_the_po_file(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(LOCALE / "django.po")], check=True)
    with compiled.open("rb") as fresh, (LOCALE / "django.mo").open("rb") as shipped:
        assert gettext.GNUTranslations(shipped)._catalog == gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]


def _text_with_tags(nodelist: Any) -> Iterator[str]:
    for node in nodelist:
        if isinstance(node, TextNode) and ("{%" in node.s or "{{" in node.s):
            yield node.s
        for attr in getattr(node, "child_nodelists", ()):
            yield from _text_with_tags(getattr(node, attr, None) or [])


@pytest.mark.parametrize("name", TEMPLATES)
def test_no_tag_is_printed_as_text(name: str) -> None:
    """A tag Django cannot read (one spanning two lines) is printed as it stands, on the Chinese page too."""
    template = engines["django"].from_string((ROOT / name).read_text(encoding="utf-8"))
    assert [text[:80] for text in _text_with_tags(template.template.nodelist)] == []  # type: ignore[attr-defined]


def test_the_tag_check_sees_a_tag_split_over_two_lines() -> None:
    split = engines["django"].from_string('{% load i18n %}<p>{% translate "一行\n两行" %}</p>')
    assert len(list(_text_with_tags(split.template.nodelist))) == 1  # type: ignore[attr-defined]
