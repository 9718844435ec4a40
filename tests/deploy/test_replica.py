"""A read replica serves the heavy read-only pages; logins, writes and every other page use the primary.

Real processes: `soegov serve` with DATABASE_REPLICA_URL pointing at a second database (a copy of the
primary, then changed, so the test can tell which one answered).
"""

from __future__ import annotations

import shutil
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tests.deploy.http import login
from tests.factories import PASSWORD
from tests.jobs.stack import Stack, free_port, require_redis

MAKE = (
    "import json; from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory; "
    "e = EnterpriseFactory(name='主库中的企业', jurisdiction=JurisdictionFactory(code='xd')); "
    "UserFactory(username='rev1', role='supervisor_reviewer', jurisdiction=e.jurisdiction); print(json.dumps(e.pk))")


def test_the_replica_serves_the_named_pages_only(tmp_path: Any) -> None:
    require_redis()
    st = Stack(tmp_path)
    try:
        st.migrate()
        pk = st.shell(MAKE)
        if st.pg_admin is not None:
            replica = f"{st.name}_replica"
            st._pg(f'CREATE DATABASE "{replica}" TEMPLATE "{st.name}"')
            replica_url = urlunsplit(urlsplit(st.database_url)._replace(path=f"/{replica}"))
        else:
            shutil.copy(tmp_path / "soegov.sqlite3", tmp_path / "replica.sqlite3")
            replica_url = f"sqlite:///{tmp_path / 'replica.sqlite3'}"
        st.sql("UPDATE enterprises_enterprise SET name = '副本中的企业' WHERE id = ?", (pk,), url=replica_url)
        # A reviewer created after the copy exists on the primary only: logging in must not read the replica.
        st.shell("import json; from tests.factories import UserFactory; from soegov.enterprises.models import "
                 "Jurisdiction; UserFactory(username='rev2', role='supervisor_reviewer', "
                 "jurisdiction=Jurisdiction.objects.get(code='xd')); print(json.dumps(1))")
        port = free_port()
        st.start("serve", "--port", str(port), log="serve", ready="服务地址", DATABASE_REPLICA_URL=replica_url,
                 SOEGOV_REPLICA_VIEWS="enterprises:list")
        base = f"http://127.0.0.1:{port}"
        s = login(base, "rev2", PASSWORD)
        listed = s.get(f"{base}/enterprises/", timeout=30).text
        assert "副本中的企业" in listed and "主库中的企业" not in listed
        detail = s.get(f"{base}/enterprises/{pk}/", timeout=30).text
        assert "主库中的企业" in detail and "副本中的企业" not in detail
        # The next request on the same server thread is back on the primary.
        for _ in range(10):
            assert "主库中的企业" in s.get(f"{base}/enterprises/{pk}/", timeout=30).text
    finally:
        st.close()
        if st.pg_admin is not None:
            st._pg(f'DROP DATABASE IF EXISTS "{st.name}_replica" WITH (FORCE)')
