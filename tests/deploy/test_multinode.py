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
        st.migrate()
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
        assert shown.count("已接收（") == 2 and "全部接收：2 个数据包均已入库" in shown, shown[-2000:]
        assert "会议" in s.get(f"{b}/exchange/", timeout=30).text
        # The zips kept for the job are gone; the received packages are kept, by their hash, in the bucket.
        left = sorted(o["Key"] for o in client.list_objects_v2(Bucket="soegov-files").get("Contents", []))
        assert len(left) == 2 and all(k.startswith("files/") for k in left), left
    finally:
        st.close()


FILES_MAKE = (
    "import json, datetime as dt; from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory; "
    "from soegov.matters import editing; "
    "e = EnterpriseFactory(name='寻甸县城乡建设投资开发有限公司', ownership='sole', jurisdiction=JurisdictionFactory("
    "code='xd', name='寻甸县', supervisor='寻甸县财政局(国资委)', policy_packs=['xundian-2020'])); "
    "f = UserFactory(username='filer1', role='enterprise_filer', enterprise=e); "
    "UserFactory(username='inspector1', role='supervisor_inspector', jurisdiction=e.jurisdiction); "
    "m = editing.matter_create(actor=f, enterprise=e, matter_type='donation', title='向县慈善总会捐赠', "
    "amount='100000', occurred_on=dt.date(2026, 3, 2)); print(json.dumps([e.pk, m.pk, m.version]))")


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, page[:1000]
    return found.group(1)


def test_a_file_uploaded_through_one_server_is_downloaded_through_the_other_from_the_bucket(
        tmp_path: Path, s3_endpoint: str) -> None:  # noqa: F811
    """Two app servers, one worker, one database, the S3 store: attachments and ledgers cross machines."""
    import hashlib

    from tests.factories import PDF
    from tests.oversight.conftest import ledger_bytes

    require_redis()
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="soegov-files")
    st = Stack(tmp_path, SOEGOV_S3_BUCKET="soegov-files", SOEGOV_S3_ENDPOINT_URL=s3_endpoint, **KEYS)
    try:
        st.migrate()
        ent, matter, version = st.shell(FILES_MAKE)
        ports = [free_port(), free_port()]
        for i, port in enumerate(ports):
            st.start("serve", "--port", str(port), log=f"serve{i}", ready="服务地址")
        st.start("worker", "--concurrency=1", log="worker", ready="ready.")
        a, b = (f"http://127.0.0.1:{p}" for p in ports)
        # A filer uploads the legal opinion through server A.
        filer = login(a, "filer1", PASSWORD)
        token = _token(filer.get(f"{a}/matters/{matter}/", timeout=30).text)
        r = filer.post(f"{a}/matters/{matter}/attachments/", timeout=60, allow_redirects=False,
                       data={"csrfmiddlewaretoken": token, "kind": "legal_opinion", "version": str(version)},
                       files={"file": ("法律意见书.pdf", PDF, "application/pdf")}, headers={"Referer": f"{a}/matters/{matter}/"})
        assert r.status_code == 302, r.text[:1000]
        sha = hashlib.sha256(PDF).hexdigest()
        kept = [o["Key"] for o in client.list_objects_v2(Bucket="soegov-files").get("Contents", [])]
        assert kept == [f"files/{sha[:2]}/{sha}"], kept
        on_disk = [str(p) for p in tmp_path.rglob(f"*{sha}*")]
        assert on_disk == [], on_disk  # on no machine's disk
        # Server B lists it and serves it, read from the bucket.
        page = filer.get(f"{b}/matters/{matter}/", timeout=30).text
        link = re.search(r'href="(/matters/attachments/\d+/)"[^>]*>法律意见书\.pdf<', page)
        assert link, page[-3000:]
        got = filer.get(f"{b}{link.group(1)}", timeout=30)
        assert got.status_code == 200 and got.content == PDF
        assert got.headers["Content-Disposition"].startswith("attachment; filename*=utf-8''")
        assert got.headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in got.headers["Content-Security-Policy"]
        # Bytes changed in the bucket are refused by either server and the refusal is audited.
        client.put_object(Bucket="soegov-files", Key=f"files/{sha[:2]}/{sha}", Body=PDF.replace(b"595", b"596"))
        bad = filer.get(f"{a}{link.group(1)}", timeout=30)
        assert bad.status_code == 409 and "校验值" in bad.text
        assert st.sql("SELECT COUNT(*) FROM audit_auditentry WHERE action = 'file.corrupt' AND object_id = ?", (sha,))[0][0] == 1
        # An inspector's ledger uploaded through A is checked by the worker from the bucket; B shows the finding.
        inspector = login(a, "inspector1", PASSWORD)
        token = _token(inspector.get(f"{a}/oversight/ledgers/", timeout=30).text)
        r = inspector.post(f"{a}/oversight/ledgers/", timeout=60, allow_redirects=False,
                           data={"csrfmiddlewaretoken": token, "enterprise": str(ent), "window_days": "30"},
                           files={"file": ("2026年支付台账.csv", ledger_bytes(), "text/csv")},
                           headers={"Referer": f"{a}/oversight/ledgers/"})
        assert r.status_code == 302, r.text[:1000]
        where = r.headers["Location"]
        # Generous: in CI the worker shares two cores with the suite's other pytest worker and both servers.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            shown = inspector.get(f"{b}{where}", timeout=30).text
            # The findings are saved in the check's last stage, a moment before the job itself is marked done.
            if "疑似化整为零" in shown and "hx-get" not in shown:
                break
            time.sleep(1)
        assert "疑似化整为零" in shown and "hx-get" not in shown, shown[-2000:]
        ledger_sha = hashlib.sha256(ledger_bytes()).hexdigest()
        assert client.head_object(Bucket="soegov-files", Key=f"files/{ledger_sha[:2]}/{ledger_sha}")["ContentLength"] > 0
        assert not list((tmp_path / "data").rglob("ledgers"))
    finally:
        st.close()
