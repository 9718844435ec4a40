"""Every notices test sends to a local stand-in of the platforms, configured as an operator would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notices import platforms as pf


@pytest.fixture
def server() -> Iterator[pf.PlatformServer]:
    """The platforms' stand-in on 127.0.0.1, stopped at the end of the test."""
    srv = pf.PlatformServer()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def configured(settings: pytest.FixtureRequest, server: pf.PlatformServer) -> pf.PlatformServer:
    """Every channel configured against the stand-in; jobs retry at once (eager queue)."""
    pf.configure(settings, server)
    return server
