"""Settings for the web app's tests (fast password hashing, TOTP off unless a test turns it on, a clean cache), and
the demo data loaded once per test process.

The demo (`soegov.demo.load.load_demo`) takes seconds to load, and many tests only need it there. A test asks for
the `demo` fixture instead of loading it (it returns the demo accounts, as `load_demo` does). The pattern is
Django's `TestCase.setUpTestData` stretched to the session, built from pytest-django's `django_db_setup` and
`django_db_blocker`:

- the session fixture `demo_db` loads the demo once into this process's test database (each pytest-xdist
  worker has its own), inside a transaction it leaves open (`tests/demo_db.py`);
- every test's own transaction (pytest-django's `db`) is then a savepoint within it and is rolled back after the
  test, so a test may change the demo freely and the next one still sees it as loaded
  (`tests/web/test_demo_shared.py` proves it);
- a test that does not ask for the demo never sees it: after the last demo test before it, the open transaction
  is rolled back (`pytest_runtest_teardown` below) and the demo loaded again before the next test that asks;
  so the demo tests are moved to the end of the run (`pytest_collection_modifyitems`), and each process loads the
  demo once;
- a transactional test (`transactional_db`, `live_server`: the browser tests) cannot share an open transaction,
  so it keeps its own `load_demo()`, as does a test that loads the demo at a moment of its own
  (`tests/matters/test_demo_dates.py`) and the test of the `soegov demo` command.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.demo_db import WEB_TEST_SETTINGS, DemoDatabase, storages_in

# The Django apps' test folders; the engine's tests run without Django fixtures.
WEB_TEST_DIRS = {
    "accounts", "advisor", "api", "audit", "backup", "browser", "collector", "core", "enterprises", "exchange", "followup",
    "hrsync", "inbox", "invariants",
    "jobs", "leaders", "matters", "meetings", "notices", "oversight", "search", "signatures", "sso", "web",
}
# The engine's, the calendar's and the ledger's tests: plain Python and DuckDB, no database. They are marked
# `engine`, and scripts/test runs them on SQLite only: run again on PostgreSQL they would test the same code.
ENGINE_TEST_DIRS = {"law", "policy", "calendar", "ledger"}
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
DEMO_DB = pytest.StashKey[DemoDatabase]()


@pytest.fixture(autouse=True)
def _web_test_settings(request: pytest.FixtureRequest) -> None:
    if request.node.path.parent.name not in WEB_TEST_DIRS:
        return
    settings = request.getfixturevalue("settings")
    for name, value in WEB_TEST_SETTINGS.items():
        setattr(settings, name, value)
    # Each test its own signing key folder (KEK and root certificate), as it has its own database.
    request.getfixturevalue("monkeypatch").setenv("SOEGOV_KEY_DIR", str(request.getfixturevalue("tmp_path") / "keys"))
    # ... and its own audit anchor folder, as the anchors name that database's entries.
    request.getfixturevalue("monkeypatch").setenv(
        "SOEGOV_AUDIT_ANCHOR_DIR", str(request.getfixturevalue("tmp_path") / "audit-anchors")
    )
    # Each test its own file store (soegov.core.files), so files left by one test are never seen by another.
    settings.STORAGES = storages_in(request.getfixturevalue("tmp_path") / "media")
    from django.core.cache import cache

    cache.clear()


# Signing PINs are stretched at a small scrypt cost in tests, as passwords are hashed with MD5 there: 86 ms a
# stretch at the real cost (keystore.SCRYPT, 2**15), 43 stretches in the same tests before and after the
# architecture step. The cost is stored with each sealed key and read back from it when the key is opened, so the
# code is the same; soegov processes a test starts use the real cost (tests/signatures/test_pin_cost.py).
TEST_SCRYPT = {"n": 2**10, "r": 8, "p": 1}


@pytest.fixture(scope="session", autouse=True)
def _small_pin_stretching_cost() -> Iterator[None]:
    from soegov.signatures import keystore

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keystore, "SCRYPT", TEST_SCRYPT)
        yield


@pytest.fixture(scope="session")
def demo_db(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoDatabase]:
    """The demo, loaded once into this process's test database (tests use `demo`, which also isolates them)."""
    state = DemoDatabase(django_db_blocker, tmp_path_factory.mktemp("demo"))
    state.load()
    request.config.stash[DEMO_DB] = state
    yield state
    del request.config.stash[DEMO_DB]
    state.unload()


@pytest.fixture
def demo(request: pytest.FixtureRequest, demo_db: DemoDatabase, db: None, settings: Any,
         monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """The demo data as loaded, for this test alone: what it writes is rolled back; returns the demo accounts."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        pytest.fail("a transactional test cannot share the demo's open transaction: call load_demo() itself")
    assert demo_db.loaded, "the demo was rolled back before a test that asks for it"
    # The demo's signatures, audit chain and files were made under its own folders.
    for name, value in demo_db.env().items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = storages_in(demo_db.media)
    return list(demo_db.accounts)


def _wants_demo(item: pytest.Item | None) -> bool:
    return item is not None and "demo_db" in getattr(item, "fixturenames", ())


def mark_engine_test(item: pytest.Item) -> None:
    """Mark a test under ENGINE_TEST_DIRS `engine`; refuse one there that asks for the database."""
    path = getattr(item, "path", None)
    if path is None or not ({p.name for p in path.parents} & ENGINE_TEST_DIRS):
        return
    # A test there that reaches the database would silently never run on PostgreSQL: refuse it instead.
    if item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        raise pytest.UsageError(f"{item.nodeid} uses the database: it belongs outside {sorted(ENGINE_TEST_DIRS)}")
    item.add_marker(pytest.mark.engine)


def refuse_own_database_on_the_runs(item: pytest.Item) -> None:
    """Refuse an `own_database` test that asks for the run's database: the PostgreSQL run leaves it out."""
    if item.get_closest_marker("own_database") is None:
        return
    if item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        raise pytest.UsageError(f"{item.nodeid} uses the run's database: it cannot be marked own_database")


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark the engine's tests and check the `own_database` ones (before `-m` selects by marker)."""
    mark_engine_test(item)
    refuse_own_database_on_the_runs(item)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests sharing the demo last, in their order, so that each process loads it once."""
    items[:] = [i for i in items if not _wants_demo(i)] + [i for i in items if _wants_demo(i)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Once a test's own transaction is rolled back: keep the demo for a next test that asks for it, else roll it back."""
    try:
        return (yield)
    finally:
        state = item.config.stash.get(DEMO_DB, None)
        if state is not None:
            if not _wants_demo(nextitem):
                state.unload()
            elif not state.loaded:
                state.load()
