"""Notices on the real queue: Redis, a `soegov worker` process, and a platform that is down for a while.

The worker's first two tries meet a 502; the job goes back on the queue with Celery countdowns (backoff) and
the third try delivers. The notice shows each try; the audit trail shows the retries.
"""

from __future__ import annotations

from typing import Any

from tests.jobs.stack import Stack, require_redis
from tests.notices import platforms as pf

MAKE = ("import json; from soegov.accounts.models import User; from soegov.notices.models import NoticeChannels; "
        "from soegov.notices.services import notices_send; "
        "u = User.objects.create_user(username='yn_reviewer', password='x', role='supervisor_reviewer'); "
        "NoticeChannels.objects.create(user=u, wecom=True, wecom_userid='zhangsan'); "
        "notices_send(users=[u], event='review', title='待审核：关于转让股权的请示', text='请审核', url='/matters/1/'); "
        "print(json.dumps(u.pk))")


def test_a_worker_retries_with_backoff_until_the_platform_is_back(tmp_path: Any) -> None:
    require_redis()
    srv = pf.PlatformServer()
    srv.platforms.fail_next = 2
    st = Stack(tmp_path, SOEGOV_WECOM_CORP_ID=pf.CORP_ID, SOEGOV_WECOM_SECRET=pf.CORP_SECRET,
               SOEGOV_WECOM_AGENT_ID=str(pf.AGENT), SOEGOV_WECOM_API_URL=srv.url,
               SOEGOV_SITE_URL="https://soegov.example.gov.cn", SOEGOV_JOB_RETRY_SECONDS="1")
    try:
        st.migrate()
        worker = st.start("worker", "--concurrency=1", log="worker", ready="ready.")
        st.shell(MAKE)
        st.wait_for(lambda: st.sql("SELECT status FROM notices_notice")[0][0] == "sent", 90,
                    "notice never sent", proc=worker, log=st.root / "worker.log")
        [(status, attempts, error)] = st.sql("SELECT status, attempts, last_error FROM notices_notice")
        assert (status, attempts, error) == ("sent", 3, "")
        [(job_status, job_attempts)] = st.sql("SELECT status, attempts FROM jobs_job WHERE kind = 'notices.send'")
        assert (job_status, job_attempts) == ("succeeded", 3)
        retries = st.sql("SELECT COUNT(*) FROM audit_auditentry WHERE action = 'job.retry'")[0][0]
        assert retries == 2
        [msg] = srv.platforms.sent("wecom")
        assert msg["body"]["textcard"]["url"] == "https://soegov.example.gov.cn/matters/1/"
    finally:
        st.close()
        srv.stop()
