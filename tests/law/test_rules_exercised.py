"""Every rule of the shipped packs is exercised by at least one law case."""

from __future__ import annotations

from pathlib import Path

import pytest

from soegov.policy import classify
from soegov.policy.loader import get_registry
from soegov.policy.yaml_files import read_yaml

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("policy", ["yining-2024", "xundian-2020"])
def test_every_rule_has_a_case(policy: str) -> None:
    fired: set[str] = set()
    for case in read_yaml(CASES / f"{policy}.yaml"):
        result = classify(case["input"], policy=policy)
        fired |= {ob["rule"] for ob in result["obligations"]}
        fired |= {n["rule"] for n in result["notes"] if "rule" in n}
    rules = {r.id for rule in get_registry().get(policy).rules for r in (rule, *rule.also)}
    assert sorted(rules - fired) == []
