"""The vote modes an English page names are the 0005 dictionary's own (issue 18): exchange.models spells them out
for the catalogue, exchange.checks composes them, and each has its English in the shipped catalogue."""

from __future__ import annotations

from django.utils import translation

from soegov.exchange import checks
from soegov.exchange.models import VOTE_MODE_WORDS
from soegov.web.templatetags.soegov_tags import tr


def test_the_written_out_vote_modes_are_the_dictionarys() -> None:
    assert sorted(VOTE_MODE_WORDS) == sorted(checks.DEFAULT_DICTIONARIES.vote_modes)


def test_every_vote_mode_reads_in_english() -> None:
    with translation.override("en"):
        english = {mode: tr(mode) for mode in VOTE_MODE_WORDS}
    assert english["赞成票超过到会成员人数的2/3"] == "Yes votes above 2/3 of the members present"
    assert all(word != mode and word.isascii() for mode, word in english.items())
