"""Two `soegov serve` processes on two ports, one database, one Redis: stateless app servers.

A user logged in through one server is logged in on the other (sessions in the shared Redis cache), and
what is written through one is read through the other.
"""

from __future__ import annotations

import re
from typing import Any

from tests.deploy.http import login
from tests.factories import PASSWORD
from tests.jobs.stack import Stack, free_port, require_redis

MAKE = ("import json; from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory; "
        "j = JurisdictionFactory(code='xd'); e = EnterpriseFactory(name='寻甸县城乡建设投资开发有限公司', jurisdiction=j); "
        "UserFactory(username='reviewer1', role='supervisor_reviewer', jurisdiction=j); print(json.dumps(e.pk))")


def test_two_app_servers_share_sessions_and_data(tmp_path: Any) -> None:
    require_redis()
    st = Stack(tmp_path, SOEGOV_CACHE_URL="redis://127.0.0.1:6379/0", SOEGOV_SESSION_STORE="cache")
    try:
        st.migrate()
        pk = st.shell(MAKE)
        ports = [free_port(), free_port()]
        for i, port in enumerate(ports):
            st.start("serve", "--port", str(port), "--threads", "4", log=f"serve{i}", ready="服务地址")
        a, b = (f"http://127.0.0.1:{p}" for p in ports)
        s = login(a, "reviewer1", PASSWORD)
        # The session made by server A is found by server B: it lives in Redis, not in A's memory.
        page = s.get(f"{b}/enterprises/{pk}/", timeout=30, allow_redirects=False)
        assert page.status_code == 200 and "寻甸县城乡建设投资开发有限公司" in page.text
        keys = st.sql("SELECT COUNT(*) FROM django_session")[0][0]
        assert keys == 0  # not in the database: SOEGOV_SESSION_STORE=cache
        # A token made through B (shown once, with its key) is listed by A, and the key works on A's API.
        page = s.get(f"{b}/accounts/tokens/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        made = s.post(f"{b}/accounts/tokens/", data={"csrfmiddlewaretoken": token.group(1), "name": "报送接口"},
                      headers={"Referer": f"{b}/accounts/tokens/"}, timeout=30).text
        key = re.search(r"Authorization: Bearer ([^<\s]+)", made)
        assert key, made[:2000]
        assert "报送接口" in s.get(f"{a}/accounts/tokens/", timeout=30).text
        import requests

        api = requests.get(f"{a}/api/v1/enterprises", headers={"Authorization": f"Bearer {key.group(1)}"}, timeout=30)
        assert api.status_code == 200 and [e["name"] for e in api.json()] == ["寻甸县城乡建设投资开发有限公司"]
        # Logging out on A ends the session on B too.
        logout_page = s.get(f"{a}/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout_page)
        assert token
        s.post(f"{a}/accounts/logout/", data={"csrfmiddlewaretoken": token.group(1)},
               headers={"Referer": f"{a}/"}, timeout=30)
        assert s.get(f"{b}/enterprises/{pk}/", timeout=30, allow_redirects=False).status_code == 302
    finally:
        st.close()
