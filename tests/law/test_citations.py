"""Every citation a pack makes exists, and its quoted text is the seed's own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from soegov.policy.loader import get_registry
from soegov.policy.model import Pack
from soegov.policy.texts import Citation


def _seeds() -> Path:
    """shared/seeds beside the checkout (or beside any folder above it: worktrees sit deeper)."""
    here = Path(__file__).resolve()
    for folder in here.parents[2].parents:
        if (folder / "shared" / "seeds").is_dir():
            return folder / "shared" / "seeds"
    return here.parents[2].parent / "shared" / "seeds"


SEEDS = _seeds()
SEED_FILES = {"yining-2024": "yining-2024-soe-supervision.txt", "xundian-2020": "xundian-2020-sanzhong-yida.txt"}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _citations(pack: Pack) -> list[tuple[str, Citation]]:
    found: list[tuple[str, Citation]] = []
    for version in pack.versions:
        for rule in version.rules:
            for r in (rule, *rule.also):
                found.append((r.id, r.citation))
    found += [(f"clock {c.name}", c.citation) for c in pack.clocks.values()]
    found += [(f"kind note {n.code}", n.citation) for notes in pack.kind_notes.values() for n in notes]
    found += [("catch-all", c) for c in pack.catch_alls]
    found += [(f"parameter {p.name}", c) for p in pack.parameters.values() for c in p.references]
    if pack.scope_citation:
        found.append(("scope", pack.scope_citation))
    if pack.meeting:
        found += [(f"check {c.code}", c.citation) for c in pack.meeting.checks.values()]
        found += [(f"quorum {b}", m.citation) for b, m in pack.meeting.quorum.items()]
        found += [(f"passing {b}", m.citation) for b, m in pack.meeting.passing.items()]
    return found


PACKS = [get_registry().get(pack_id) for pack_id in SEED_FILES]


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found at {SEEDS}")
@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_every_quoted_text_is_in_the_seed(pack: Pack) -> None:
    seed = _squash((SEEDS / SEED_FILES[pack.id]).read_text(encoding="utf-8"))
    for where, cite in _citations(pack):
        if cite.document != pack.document:
            continue
        assert cite.text, where
        assert _squash(cite.text) in seed, f"{where}: quoted text not found in the seed: {cite.text[:40]}"


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_every_cited_article_and_item_exists(pack: Pack) -> None:
    for where, cite in _citations(pack):
        if cite.document != pack.document:
            assert (cite.document, cite.article) in pack.external, where
            continue
        article = pack.articles[cite.article]
        if cite.item is not None:
            item = article.item(cite.item)
            assert item is not None, where
            assert cite.text in (item.text, *item.subitems), where


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found at {SEEDS}")
def test_article_numbers_follow_the_article_map() -> None:
    # ARTICLES.md's table gives the opening words of each Yining article: the shipped copy agrees.
    pack = get_registry().get("yining-2024")
    rows = re.findall(r"^\| (\d+) \| [^|]+ \| ([^|]+) \|", (SEEDS / "ARTICLES.md").read_text(encoding="utf-8"), re.M)
    assert len(rows) == 32 == len(pack.articles)
    for number, opening in rows:
        assert pack.articles[int(number)].text.startswith(opening.split("…")[0].strip()), number


def test_xundian_articles_are_all_there() -> None:
    pack = get_registry().get("xundian-2020")
    assert sorted(pack.articles) == list(range(1, 35))
    assert len(pack.articles[21].items) == 5
    assert len(pack.articles[11].items[1].subitems) == 4
