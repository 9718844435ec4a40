"""INV-PACK-2 and INV-PACK-3: the tests left out of the PostgreSQL run (marked `engine` or `own_database`) are the
ones that cannot touch the run's database; one that asks for it stops the run instead of silently skipping
PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import mark_engine_test, refuse_own_database_on_the_runs

ROOT = Path(__file__).resolve().parents[1]


class _Collected:
    """The part of a collected pytest item the hook reads and writes."""

    def __init__(self, path: Path, fixturenames: tuple[str, ...] = (), django_db: bool = False) -> None:
        self.path = path
        self.fixturenames = fixturenames
        self.nodeid = f"{path.relative_to(ROOT.parent)}::test_x"
        self.markers: list[str] = ["django_db"] if django_db else []

    def get_closest_marker(self, name: str) -> Any:
        return name if name in self.markers else None

    def add_marker(self, marker: Any) -> None:
        self.markers.append(marker.name)


def test_an_engine_test_is_marked_and_a_web_test_is_not() -> None:
    engine = _Collected(ROOT / "ledger" / "test_x.py")
    web = _Collected(ROOT / "matters" / "test_x.py", fixturenames=("db",))
    mark_engine_test(engine)  # type: ignore[arg-type]
    mark_engine_test(web)  # type: ignore[arg-type]
    assert engine.markers == ["engine"] and web.markers == []


@pytest.mark.parametrize(("fixtures", "django_db"), [(("db",), False), (("transactional_db",), False), ((), True)])
def test_an_engine_test_that_asks_for_the_database_stops_the_run(fixtures: tuple[str, ...], django_db: bool) -> None:
    item = _Collected(ROOT / "policy" / "test_x.py", fixturenames=fixtures, django_db=django_db)
    with pytest.raises(pytest.UsageError, match="uses the database"):
        mark_engine_test(item)  # type: ignore[arg-type]


@pytest.mark.parametrize(("fixtures", "django_db"), [(("db",), False), (("live_server",), False), ((), True)])
def test_an_own_database_test_that_asks_for_the_runs_database_stops_the_run(fixtures: tuple[str, ...],
                                                                              django_db: bool) -> None:
    item = _Collected(ROOT / "web" / "test_x.py", fixturenames=fixtures, django_db=django_db)
    item.markers.append("own_database")
    with pytest.raises(pytest.UsageError, match="cannot be marked own_database"):
        refuse_own_database_on_the_runs(item)  # type: ignore[arg-type]
    # Without the marker, or marked and leaving the run's database alone, the test is collected as it is.
    item.markers.remove("own_database")
    refuse_own_database_on_the_runs(item)  # type: ignore[arg-type]
    own = _Collected(ROOT / "web" / "test_x.py", fixturenames=("tmp_path",))
    own.markers.append("own_database")
    refuse_own_database_on_the_runs(own)  # type: ignore[arg-type]
