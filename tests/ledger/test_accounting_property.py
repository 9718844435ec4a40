"""Property (issue 13.3, invariant L1): whatever mix of good and bad rows a ledger holds, every row is checked or
refused with its own row number, and an enterprise's purpose words make exactly their rows readable."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soegov.ledger.scan import scan_ledger

GOOD = "2026-02-{day:02d},甲公司{n},{amount},{purpose},non_production,"
# One fault per kind, each refused for its own field; "own" is a word only an enterprise's mapping makes readable.
FAULTS = {
    "amount": "2026-02-03,乙公司{n},1x2,other,non_production,",
    "date": "2026-02-30,丙公司{n},100,other,non_production,",
    "payee": "2026-02-04,,100,other,non_production,",
    "own": "2026-02-05,丁公司{n},100,办公楼装修,non_production,",
}
ROW = st.one_of(st.tuples(st.just("good"), st.integers(1, 28), st.integers(0, 10**7),
                          st.sampled_from(["other", "其他", "工程款", "goods_payment", " OTHER "])),
                st.tuples(st.sampled_from(sorted(FAULTS)), st.just(0), st.just(0), st.just("")))


def _scan(lines: list[str], words: dict[str, str] | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.csv"
        path.write_text("date,payee,amount,purpose,expense_class,contract_id\n" + "".join(f"{x}\n" for x in lines),
                        encoding="utf-8")
        return scan_ledger(path, policy="xundian-2020", level=1, ownership="sole", skip_invalid=True,
                           as_of="2026-03-01", purpose_words=words)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=12))
def test_every_row_is_checked_or_refused_with_its_number(rows: list[tuple[str, int, int, str]]) -> None:
    lines = [GOOD.format(day=d, n=n, amount=a, purpose=p) if kind == "good" else FAULTS[kind].format(n=n)
             for n, (kind, d, a, p) in enumerate(rows)]
    bad = {n + 2 for n, (kind, *_rest) in enumerate(rows) if kind != "good"}
    result = _scan(lines)
    assert result["stats"]["rows"] + result["stats"]["invalid_rows"] == len(rows)
    assert {r["row"] for r in result["refused"]} == bad
    for r in result["refused"]:
        assert all(f"第{r['row']}行" in p["message"] for p in r["problems"])
    mapped = _scan(lines, {"办公楼装修": "other"})
    own = {n + 2 for n, (kind, *_rest) in enumerate(rows) if kind == "own"}
    assert {r["row"] for r in mapped["refused"]} == bad - own
    assert mapped["stats"]["rows"] == result["stats"]["rows"] + len(own)
