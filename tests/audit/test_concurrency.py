"""Concurrent writers keep one unbroken chain (the head row lock serialises them on PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from soegov.audit.services import audit_record, audit_verify


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run by scripts/test with DATABASE_URL)")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                audit_record(actor=None, action="test.concurrent", object_repr=f"{n}-{i}")
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = audit_verify()
    assert result.ok, result.problems
    assert result.checked == 60
