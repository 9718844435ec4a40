"""Properties over the whole fact space: never a silent verdict, and more money never means less scrutiny."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from soegov.core.errors import InputError
from soegov.policy import classify
from soegov.policy.catalogue import MATTER_TYPES, OWNERSHIPS
from soegov.policy.loader import get_registry

POLICIES = ("yining-2024", "xundian-2020")

# How much outside scrutiny an obligation brings; a verdict's weight is the sum.
_KIND_WEIGHT = {"leader_approval": 1, "collective_decision": 2, "post_filing": 3, "recommendation": 3, "report": 4,
                "prior_filing": 4,
                "approval": 5, "prohibited": 9}
_HIGH = {"city_government", "city_party_committee", "county_government"}


def _weight(result: dict[str, Any]) -> int:
    return sum(_KIND_WEIGHT[ob["kind"]] + (1 if ob["authority"] in _HIGH else 0) for ob in result["obligations"])


@st.composite
def matters(draw: st.DrawFn) -> dict[str, Any]:
    code = draw(st.sampled_from(sorted(MATTER_TYPES)))
    attrs: dict[str, Any] = {}
    for spec in MATTER_TYPES[code].attributes.values():
        if spec.kind == "bool":
            attrs[spec.name] = draw(st.booleans())
        elif spec.kind == "choice":
            attrs[spec.name] = draw(st.sampled_from(spec.choices))
        elif spec.kind == "int":
            attrs[spec.name] = draw(st.integers(min_value=1, max_value=30))
    return {
        "date": "2026-03-01",
        "enterprise": {"level": draw(st.integers(min_value=1, max_value=5)),
                       "ownership": draw(st.sampled_from(sorted(OWNERSHIPS)))},
        "type": code,
        "attributes": attrs,
    }


amounts = st.decimals(min_value=0, max_value=Decimal("100000000"), places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(matter=matters(), amount=amounts, policy=st.sampled_from(POLICIES))
def test_every_matter_yields_obligations_or_says_uncovered(matter: dict[str, Any], amount: Decimal, policy: str) -> None:
    matter["amount"] = str(amount)
    result = classify(matter, policy=policy)
    # `uncovered` says no item of the local text names the matter: a duty only an overlay (the national
    # layer) lays down, or one that merely follows from another's attachments (18.6), does not change it.
    following = {r.id for v in get_registry().get(policy).versions for r in v.after_rules}
    named = [ob for ob in result["obligations"]
             if not ob.get("finding") and ob["layer"] == "local" and ob["rule"] not in following]
    assert bool(named) != result["uncovered"]
    assert result["obligations"] or result["uncovered"]
    if result["uncovered"]:
        assert result["notes"], "an uncovered verdict always says why"
    for ob in result["obligations"]:
        assert ob["citation"]["article"] and ob["citation"]["text"]
        assert ob["why"]


@settings(max_examples=400, deadline=None)
@given(matter=matters(), a=amounts, b=amounts, policy=st.sampled_from(POLICIES))
def test_scrutiny_is_monotone_in_the_amount(matter: dict[str, Any], a: Decimal, b: Decimal, policy: str) -> None:
    low, high = sorted((a, b))
    try:
        lower = classify({**matter, "amount": str(low)}, policy=policy)
        higher = classify({**matter, "amount": str(high)}, policy=policy)
    except InputError:
        return
    assert _weight(lower) <= _weight(higher), (low, high, lower["obligations"], higher["obligations"])
