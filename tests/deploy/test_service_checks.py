"""Start-up checks of the services (broker, cache, object store, replica) and the S3-compatible store itself."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.files.base import ContentFile

from soegov.web import deploy_checks
from tests.deploy.s3 import KEYS, s3_client, s3_endpoint, s3_storages  # noqa: F401 (fixture)
from tests.jobs.stack import REDIS_URL, REPO, free_port, require_redis


def ids(messages: list[Any]) -> list[str]:
    return [m.id for m in messages]


def test_uploads_go_to_the_s3_bucket_and_come_back(s3_endpoint: str, settings: Any) -> None:  # noqa: F811
    from django.core.files.storage import storages

    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="soegov-files")
    settings.STORAGES = s3_storages(s3_endpoint, "soegov-files")
    store = storages["default"]
    data = "台账 2026\n".encode() + bytes(range(256))
    name = store.save("ledgers/ab/台账.csv", ContentFile(data))
    assert store.exists(name)
    with store.open(name, "rb") as fh:
        assert fh.read() == data
    stored = client.get_object(Bucket="soegov-files", Key=name)["Body"].read()
    assert stored == data
    # A second file of the same name is kept beside the first, never over it.
    other = store.save("ledgers/ab/台账.csv", ContentFile(b"second"))
    assert other != name and store.open(name).read() == data
    store.delete(name)
    assert not store.exists(name)


def test_the_bucket_check(s3_endpoint: str, settings: Any) -> None:  # noqa: F811
    s3_client(s3_endpoint).create_bucket(Bucket="there")
    settings.SOEGOV_S3_BUCKET = "there"
    settings.STORAGES = s3_storages(s3_endpoint, "there")
    assert deploy_checks.check_storage() == []
    settings.SOEGOV_S3_BUCKET = "missing"
    settings.STORAGES = s3_storages(s3_endpoint, "missing")
    [message] = deploy_checks.check_storage()
    assert message.id == "soegov.E123" and "没有存储桶“missing”" in message.msg
    settings.STORAGES = s3_storages(f"http://127.0.0.1:{free_port()}", "there")
    settings.SOEGOV_S3_BUCKET = "there"
    [message] = deploy_checks.check_storage()
    assert message.id == "soegov.E126" and "无法连接对象存储" in message.msg
    settings.STORAGES = s3_storages("ftp://files.example", "there")
    assert ids(deploy_checks.check_storage()) == ["soegov.E122"]


def test_the_broker_check(settings: Any) -> None:
    require_redis()
    settings.SOEGOV_BROKER_URL = ""
    assert deploy_checks.check_broker() == []
    settings.SOEGOV_BROKER_URL = REDIS_URL
    assert deploy_checks.check_broker() == []
    settings.SOEGOV_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    [message] = deploy_checks.check_broker()
    assert message.id == "soegov.E102" and "无法连接任务队列的 Redis" in message.msg
    settings.SOEGOV_BROKER_URL = "amqp://guest:secret@127.0.0.1:5672//"
    [message] = deploy_checks.check_broker()
    assert message.id == "soegov.E101" and "secret" not in message.msg


@pytest.mark.django_db
def test_the_cache_and_session_checks(settings: Any) -> None:
    require_redis()
    settings.SOEGOV_CACHE_URL = "redis://127.0.0.1:6379/1"
    assert deploy_checks.check_cache() == []
    settings.SOEGOV_CACHE_URL = f"redis://:pw@127.0.0.1:{free_port()}/1"
    [message] = deploy_checks.check_cache()
    assert message.id == "soegov.E111" and ":pw@" not in message.msg
    settings.SOEGOV_CACHE_URL = "db"
    assert ids(deploy_checks.check_cache()) == ["soegov.E113"]
    settings.SOEGOV_CACHE_URL = ""
    settings.SOEGOV_SESSION_STORE = "cache"
    assert ids(deploy_checks.check_cache()) == ["soegov.E114"]


def soegov(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    return subprocess.run([sys.executable, "-m", "soegov", *args], env={**base, **env}, cwd=REPO,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.own_database
def test_bad_configuration_stops_serve_at_start_with_a_message(s3_endpoint: str, tmp_path: Any) -> None:  # noqa: F811
    env = {"SOEGOV_DATA_DIR": str(tmp_path), "SOEGOV_CACHE_DIR": str(tmp_path / "cache")}
    port = str(free_port())
    done = soegov("serve", "--port", port, **env, SOEGOV_S3_BUCKET="nowhere", SOEGOV_S3_ENDPOINT_URL=s3_endpoint, **KEYS)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "对象存储" in done.stderr and "没有存储桶“nowhere”" in done.stderr and "未启动" in done.stderr
    done = soegov("worker", **env, SOEGOV_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert done.returncode == 2 and "soegov.E102" in done.stderr and "Traceback" not in done.stderr
    for name, value, words in [("DATABASE_REPLICA_URL", "posgtres//x", "DATABASE_REPLICA_URL 无法解析"),
                               ("SOEGOV_JOB_STALE_SECONDS", "一分钟", "SOEGOV_JOB_STALE_SECONDS='一分钟' 不是整数"),
                               ("SOEGOV_CACHE_URL", "memcached://x", "SOEGOV_CACHE_URL='memcached://x'"),
                               ("SOEGOV_SCHEDULE_MINUTES", "matters.remind=often", "应形如 matters.remind=30")]:
        done = soegov("serve", "--port", port, **env, **{name: value})
        assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr, done.stderr
