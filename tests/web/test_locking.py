"""The shared optimistic lock's version check, and bad form values that must be a message, never a 500."""

from __future__ import annotations

import pytest

from soegov.accounts.roles import Role
from soegov.core.errors import InputError, SoegovError
from soegov.core.locking import check_version
from tests.factories import UserFactory


@pytest.mark.parametrize("seen", [None, "", 3, "3"])
def test_current_or_unsent_version_passes(seen: object) -> None:
    check_version(3, seen, "事项", "matter")


def test_stale_version_is_refused() -> None:
    with pytest.raises(SoegovError) as exc:
        check_version(3, "2", "事项", "matter")
    assert exc.value.code == "stale_version" and exc.value.path == "version"


def test_a_version_that_is_not_a_number_is_a_message() -> None:
    with pytest.raises(InputError) as exc:
        check_version(3, "abc", "事项", "matter")
    assert (exc.value.code, exc.value.path) == ("invalid_version", "version")


@pytest.mark.django_db
def test_user_toggle_with_a_bad_id_is_not_found_not_a_500(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    assert client.post("/accounts/users/", {"toggle": "abc"}).status_code == 404
