"""System checks of the services a deployment depends on: broker, cache, object store, read replica.

Registered as deployment checks (tag `soegov_services`): `soegov serve`, `soegov worker` and
`soegov scheduler` run them before they start (soegov.web.cli.system_checks), as do `soegov check
--deploy` and `soegov manage check --deploy`, so a wrong URL,
an unreachable Redis or a missing bucket is a clear message at start-up instead of a failure at the
first upload or the first job. Each check answers within a few seconds.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

TAG = "soegov_services"
TIMEOUT = 3


def _redis_ping(url: str) -> str | None:
    """None when the Redis server at url answers PING, else why not."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
        client.ping()
        client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


def _where(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def check_broker(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The task queue's broker: a Redis URL that answers (nothing to check in the embedded mode)."""
    url = settings.SOEGOV_BROKER_URL
    if not url:
        return []
    scheme = urlsplit(url).scheme
    if scheme not in {"redis", "rediss"}:
        return [checks.Error(f"SOEGOV_BROKER_URL 的协议“{scheme or url}”不受支持：任务队列使用 Redis",
                             hint="例如 SOEGOV_BROKER_URL=redis://127.0.0.1:6379/0；不设置则使用内嵌队列（单机）",
                             id="soegov.E101")]
    problem = _redis_ping(url)
    if problem:
        return [checks.Error(f"无法连接任务队列的 Redis（{_where(url)}）：{problem}",
                             hint="请确认 Redis 已启动、地址与密码正确、防火墙放行；或不设置 SOEGOV_BROKER_URL 使用内嵌队列",
                             id="soegov.E102")]
    return []


def check_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The shared cache (Redis or a database table) answers; sessions in a cache need a shared one."""
    out: list[checks.CheckMessage] = []
    url = settings.SOEGOV_CACHE_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        problem = _redis_ping(url)
        if problem:
            out.append(checks.Error(f"无法连接缓存 Redis（{_where(url)}）：{problem}",
                                    hint="请检查 SOEGOV_CACHE_URL，或设为 db 使用数据库表作缓存", id="soegov.E111"))
    elif url in {"db", "database"}:
        from django.db import connection

        try:
            tables = connection.introspection.table_names()
        except Exception as exc:
            out.append(checks.Error(f"无法连接数据库以检查缓存表：{exc}", id="soegov.E112"))
        else:
            if "soegov_cache" not in tables:
                out.append(checks.Error("缓存表 soegov_cache 尚未建立（SOEGOV_CACHE_URL=db）",
                                        hint="请先运行 soegov migrate", id="soegov.E113"))
    shared = url.startswith(("redis://", "rediss://", "unix://")) or url in {"db", "database"}
    if settings.SOEGOV_SESSION_STORE == "cache" and not shared:
        out.append(checks.Error("SOEGOV_SESSION_STORE=cache 需要各服务器共享的缓存，而当前缓存只在本进程内",
                                hint="请同时设置 SOEGOV_CACHE_URL=redis://…，或使用 SOEGOV_SESSION_STORE=db",
                                id="soegov.E114"))
    return out


def check_storage(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The S3-compatible bucket exists and the keys may use it (nothing to check for local files)."""
    bucket = settings.SOEGOV_S3_BUCKET
    if not bucket:
        return []
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        return [checks.Error("已设置 SOEGOV_S3_BUCKET，但未安装对象存储支持（django-storages[s3]）",
                             hint="pip install 'soegov[s3]'", id="soegov.E121")]
    options = settings.STORAGES["default"]["OPTIONS"]
    endpoint = options.get("endpoint_url")
    if endpoint and urlsplit(endpoint).scheme not in {"http", "https"}:
        return [checks.Error(f"SOEGOV_S3_ENDPOINT_URL“{endpoint}”不是 http(s) 地址",
                             hint="例如 https://minio.example.gov.cn:9000", id="soegov.E122")]
    client = boto3.session.Session().client(
        "s3", endpoint_url=endpoint, aws_access_key_id=options.get("access_key"),
        aws_secret_access_key=options.get("secret_key"), region_name=options.get("region_name"),
        verify=options.get("verify", True),
        config=Config(connect_timeout=TIMEOUT, read_timeout=TIMEOUT, retries={"max_attempts": 1},
                      s3={"addressing_style": options.get("addressing_style", "path")}, signature_version="s3v4"))
    where = endpoint or "AWS S3"
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in {"404", "NoSuchBucket", "NotFound"}:
            return [checks.Error(f"对象存储 {where} 上没有存储桶“{bucket}”", hint="请先建立该存储桶，或改正 SOEGOV_S3_BUCKET",
                                 id="soegov.E123")]
        if code in {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"}:
            return [checks.Error(f"对象存储 {where} 拒绝访问存储桶“{bucket}”（{code}）",
                                 hint="请检查 SOEGOV_S3_ACCESS_KEY / SOEGOV_S3_SECRET_KEY 及其对该桶的权限",
                                 id="soegov.E124")]
        return [checks.Error(f"对象存储 {where} 检查存储桶“{bucket}”出错：{exc}", id="soegov.E125")]
    except (BotoCoreError, OSError, ValueError) as exc:
        return [checks.Error(f"无法连接对象存储 {where}：{exc}", hint="请检查 SOEGOV_S3_ENDPOINT_URL 与网络",
                             id="soegov.E126")]
    return []


def check_replica(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The read replica, when configured, accepts connections."""
    if "replica" not in settings.DATABASES:
        return []
    from django.db import connections

    try:
        connections["replica"].ensure_connection()
    except Exception as exc:
        return [checks.Error(f"无法连接只读副本数据库（DATABASE_REPLICA_URL）：{exc}".strip(),
                             hint="请检查 DATABASE_REPLICA_URL，或不设置它（只用主库）", id="soegov.E131")]
    finally:
        connections["replica"].close()
    return []


def register() -> None:
    """Register the service checks as deployment checks."""
    for check in (check_broker, check_cache, check_storage, check_replica):
        checks.register(check, TAG, deploy=True)

