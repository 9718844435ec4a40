"""Two app servers, one worker, one database, Redis and an S3-compatible store (moto's server on 127.0.0.1).

A supervisor uploads packages through server A; they are kept in the bucket, not on A's disk; the worker (a
third process) reads them from the bucket and imports them; server B shows the result and the received
meeting. Nothing of the upload stays in any process's data directory.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

from tests.deploy.http import login
from tests.deploy.s3 import KEYS, s3_client, s3_endpoint  # noqa: F401 (fixture)
from tests.factories import PASSWORD
from tests.jobs.stack import Stack, free_port, require_redis

DAY = dt.date(2026, 11, 20)
MAKE = ("import json; from tests.factories import EnterpriseFactory, UserFactory; e = EnterpriseFactory(); "
        "UserFactory(username='reviewer1', role='supervisor_reviewer', jurisdiction=e.jurisdiction); "
        "print(json.dumps(e.uscc))")


def packages(uscc: str) -> list[tuple[str, bytes]]:
    from soegov.exchange import packages as p
    from soegov.exchange import records as rec
    from tests.exchange import samples

    return [(rec.zip_name(rec.kind_of(r), DAY, uscc), p.build_zip(r, DAY))
            for r in (samples.item(meetings=("党委会",)), samples.meeting())]


def test_upload_through_one_server_worker_reads_the_bucket_other_server_shows_it(
        tmp_path: Path, s3_endpoint: str) -> None:  # noqa: F811
    require_redis()
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="soegov-files")
    st = Stack(tmp_path, SOEGOV_S3_BUCKET="soegov-files", SOEGOV_S3_ENDPOINT_URL=s3_endpoint, **KEYS)
    try:
        st.run("migrate")
        uscc = st.shell(MAKE)
        ports = [free_port(), free_port()]
        for i, port in enumerate(ports):
            st.start("serve", "--port", str(port), log=f"serve{i}", ready="服务地址")
        a, b = (f"http://127.0.0.1:{p}" for p in ports)
        s = login(a, "reviewer1", PASSWORD)
        page = s.get(f"{a}/exchange/import/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        r = s.post(f"{a}/exchange/import/", data={"csrfmiddlewaretoken": token.group(1)},
                   files=[("files", (n, d, "application/zip")) for n, d in packages(uscc)],
                   headers={"Referer": f"{a}/exchange/import/"}, timeout=60, allow_redirects=False)
        assert r.status_code == 302, r.text[:1000]
        where = r.headers["Location"]
        # Kept in the bucket (no worker yet), not on the app server's disk.
        kept = [o["Key"] for o in client.list_objects_v2(Bucket="soegov-files").get("Contents", [])]
        assert len(kept) == 2 and all(k.startswith("exchange/imports/") for k in kept)
        assert not list((tmp_path / "data").rglob("*.zip"))
        st.start("worker", "--concurrency=1", log="worker", ready="ready.")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            shown = s.get(f"{b}{where}", timeout=30).text
            if "导入结果" in shown:
                break
            time.sleep(1)
        assert shown.count("已接收（") == 2 and "已接收 2 个数据包" in shown, shown[-2000:]
        assert "会议" in s.get(f"{b}/exchange/", timeout=30).text
        # The zips kept for the job are gone; the received packages are kept, by their hash, in the bucket.
        left = sorted(o["Key"] for o in client.list_objects_v2(Bucket="soegov-files").get("Contents", []))
        assert len(left) == 2 and all(k.startswith("files/") for k in left), left
    finally:
        st.close()
