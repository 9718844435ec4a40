"""Django settings for soegov; every deployment choice comes from the environment (SOEGOV_*, read by
soegov.web.env)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from soegov.collector.env import collector_settings, schedule
from soegov.identity.env import sso_settings
from soegov.notices.env import notice_settings
from soegov.paths import data_dir, keep_private, private_dir
from soegov.web.env import database_config, env_bool, env_int, secret_key

# Every Django process (serve, the workers, manage, tests) reads these settings first: from here on it creates
# files 0600 and folders 0700. soegov.cli does the same for the commands that never load Django.
keep_private()
BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = private_dir(data_dir())

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("SOEGOV_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("SOEGOV_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SOEGOV_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "django_cas_ng",
    "soegov.web",
    "soegov.accounts",
    "soegov.enterprises",
    "soegov.audit",
    "soegov.advisor",
    "soegov.api",
    "soegov.matters",
    "soegov.meetings",
    "soegov.followup",
    "soegov.exchange",
    "soegov.oversight",
    "soegov.leaders",
    "soegov.identity",
    "soegov.signatures",
    "soegov.hrsync",
    "soegov.jobs",
    "soegov.notices",
    "soegov.collector",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The account's language, else the cookie's, else zh-Hans (issue 18); Accept-Language is ignored.
    "soegov.web.language.ChosenLanguageMiddleware",
    "soegov.audit.middleware.RequestContextMiddleware",
    # The three administrators only from SOEGOV_ADMIN_NETWORKS (soegov.accounts.networks).
    "soegov.accounts.networks.AdminNetworkMiddleware",
    "soegov.web.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "soegov.accounts.middleware.SecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last, as its documentation asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "soegov.web.urls"
WSGI_APPLICATION = "soegov.web.wsgi.application"
ASGI_APPLICATION = "soegov.web.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "soegov.web.context_processors.navigation",
            ],
            # Every template names codes in words (pack_title, plain, ...) without loading the library first.
            "builtins": ["soegov.web.templatetags.soegov_tags"],
        },
    },
]

# SQLite under the data directory unless DATABASE_URL names another database (postgres://…). Connections
# are kept for SOEGOV_DB_CONN_MAX_AGE seconds and checked before reuse (0: a new one per request).
DATABASES = {"default": database_config("DATABASE_URL", os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'soegov.sqlite3'}")}
# A read replica (PostgreSQL streaming replica) serves the heavy read-only pages named in
# SOEGOV_REPLICA_VIEWS (soegov.web.replica); every write and everything else stays on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database_config("DATABASE_REPLICA_URL", os.environ["DATABASE_REPLICA_URL"])
    # In tests the replica is the primary itself, as a real replica would hold the same rows.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["soegov.web.replica.ReplicaRouter"]
SOEGOV_REPLICA_VIEWS = [v for v in os.environ.get(
    "SOEGOV_REPLICA_VIEWS",
    "oversight:dashboard,oversight:rows,matters:list,matters:ledger,meetings:decisions,exchange:received,"
    "audit:log,leaders:pay_ledger").split(",") if v]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

SOEGOV_PASSWORD_MIN_LENGTH = env_int("SOEGOV_PASSWORD_MIN_LENGTH", 12)
SOEGOV_PASSWORD_MIN_CLASSES = env_int("SOEGOV_PASSWORD_MIN_CLASSES", 3)
# 0 turns expiry off.
SOEGOV_PASSWORD_MAX_AGE_DAYS = env_int("SOEGOV_PASSWORD_MAX_AGE_DAYS", 90)
# API tokens: the longest validity a holder may choose, and refused tokens per client address and minute
# before the address is refused outright (429) for the rest of the minute.
SOEGOV_TOKEN_MAX_DAYS = env_int("SOEGOV_TOKEN_MAX_DAYS", 365)
SOEGOV_TOKEN_FAILURES_PER_MINUTE = env_int("SOEGOV_TOKEN_FAILURES_PER_MINUTE", 10)
# The one-time link with which the holder of an approved administrator account sets its first password.
PASSWORD_RESET_TIMEOUT = env_int("SOEGOV_FIRST_PASSWORD_LINK_HOURS", 24) * 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Ours rather than Django's: the same rule, with a message that is translated.
        "NAME": "soegov.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": SOEGOV_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "soegov.accounts.validators.ComplexityValidator",
        "OPTIONS": {"min_classes": SOEGOV_PASSWORD_MIN_CLASSES},
    },
    # The demo password, word/name + digits patterns (Passw0rd!234), keyboard walks; zxcvbn score 0–4.
    {
        "NAME": "soegov.accounts.validators.CommonPatternValidator",
        "OPTIONS": {"min_score": env_int("SOEGOV_PASSWORD_MIN_SCORE", 3)},
    },
    # The last N passwords (hashes kept in accounts.PasswordHistory) may not be chosen again.
    {
        "NAME": "soegov.accounts.validators.PasswordHistoryValidator",
        "OPTIONS": {"count": env_int("SOEGOV_PASSWORD_HISTORY", 5)},
    },
]

# Second factor: TOTP, required for the roles listed (supervisor staff and the three administrators).
SOEGOV_TOTP_REQUIRED = env_bool("SOEGOV_TOTP_REQUIRED", True)
SOEGOV_TOTP_REQUIRED_ROLES = [
    r
    for r in os.environ.get(
        "SOEGOV_TOTP_REQUIRED_ROLES",
        "supervisor_reviewer,supervisor_inspector,system_admin,security_admin,audit_admin",
    ).split(",")
    if r
]
OTP_TOTP_ISSUER = "soegov"

# Single sign-on (OpenID Connect, CAS) and which accounts may still log in by password: docs/web.md.
globals().update(sso_settings())
# 企业微信 / 钉钉 / SMS notices (soegov.notices; docs/notices.md).
globals().update(notice_settings())

# The group's HR interface read by `soegov hrsync run` and the scheduled sync (docs/hrsync.md).
SOEGOV_HRSYNC_URL = os.environ.get("SOEGOV_HRSYNC_URL", "").strip()
SOEGOV_HRSYNC_TOKEN = os.environ.get("SOEGOV_HRSYNC_TOKEN", "").strip()

# Idle timeout: a session unused for this many minutes is ended.
SOEGOV_IDLE_TIMEOUT_MINUTES = env_int("SOEGOV_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("SOEGOV_SESSION_MAX_AGE_SECONDS", 12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# SOEGOV_HTTPS=1 when the site is reached over HTTPS (usually through a reverse proxy that sets
# X-Forwarded-Proto): secure cookies, HSTS and redirects to https.
HTTPS = env_bool("SOEGOV_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SOEGOV_HSTS_SECONDS", 31536000) if HTTPS else 0
# Behind a reverse proxy: take the client address (audit trail, rate limits) from its X-Forwarded-For.
SOEGOV_TRUST_PROXY = env_bool("SOEGOV_TRUST_PROXY", False)
# The networks (CIDR, comma-separated) from which the three administrators may log in and use their pages and
# tokens; empty: from anywhere. Behind a proxy the address is the one SOEGOV_TRUST_PROXY trusts.
SOEGOV_ADMIN_NETWORKS = [n.strip() for n in os.environ.get("SOEGOV_ADMIN_NETWORKS", "").split(",") if n.strip()]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "soegov.web.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every response (django-csp). htmx and the CSS are served by soegov itself, so
# scripts and style sheets come only from here: no inline script, no eval (htmx's allowEval is off in
# base.html), no plugins, no framing, forms post only here. No inline style either, neither <style> nor
# style="" (style-src-attr 'none'): injected markup cannot restyle a page to mislead (a fake dialog over a
# button, hidden text); the templates lay out with classes of soegov.css (tests/web/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'none'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Lockout after repeated failures (django-axes), counted per user name.
AXES_FAILURE_LIMIT = env_int("SOEGOV_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SOEGOV_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking the account whatever address the attempts come from is stricter than the per-address
# lockout axes.W006 suggests: rotating addresses or user agents does not help a guesser.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

# Public engine endpoints of the API: requests per minute per client address.
SOEGOV_PUBLIC_RATE_PER_MINUTE = env_int("SOEGOV_PUBLIC_RATE_PER_MINUTE", 60)

# Caches (rate limits, throttles) and sessions. One app server: the defaults. Several: SOEGOV_CACHE_URL=redis://…
# (or `db`, a table in the database) so every server sees the same counters, and sessions in the database
# (default) or in that cache (SOEGOV_SESSION_STORE=cache / cached_db).
SOEGOV_CACHE_URL = os.environ.get("SOEGOV_CACHE_URL", "").strip()
# The task queue's name, also the prefix of every key soegov keeps in Redis (queue and cache): two
# deployments can share one Redis.
SOEGOV_QUEUE_NAME = os.environ.get("SOEGOV_QUEUE_NAME", "soegov").strip() or "soegov"
CACHES: dict[str, dict[str, Any]]
if not SOEGOV_CACHE_URL or SOEGOV_CACHE_URL == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "soegov"}}
elif SOEGOV_CACHE_URL in {"db", "database"}:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "soegov_cache"}}
elif SOEGOV_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": SOEGOV_CACHE_URL,
                          "KEY_PREFIX": SOEGOV_QUEUE_NAME, "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3}}}
else:
    raise ImproperlyConfigured(f"SOEGOV_CACHE_URL={SOEGOV_CACHE_URL!r}：应为 redis://主机:6379/1、db 或 locmem / "
                               "SOEGOV_CACHE_URL must be redis://…, db or locmem")
_SESSION_ENGINES = {"db": "django.contrib.sessions.backends.db", "cache": "django.contrib.sessions.backends.cache",
                    "cached_db": "django.contrib.sessions.backends.cached_db"}
SOEGOV_SESSION_STORE = os.environ.get("SOEGOV_SESSION_STORE", "db").strip() or "db"
if SOEGOV_SESSION_STORE not in _SESSION_ENGINES:
    raise ImproperlyConfigured(f"SOEGOV_SESSION_STORE={SOEGOV_SESSION_STORE!r}：应为 db、cache 或 cached_db / "
                               "SOEGOV_SESSION_STORE must be db, cache or cached_db")
SESSION_ENGINE = _SESSION_ENGINES[SOEGOV_SESSION_STORE]

# The interface is zh-Hans whatever the browser asks for (no LocaleMiddleware): Django's own messages
# must not turn English inside Chinese pages. English is the second language of the API and CLI texts.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
# The footer's 中文/English switch keeps the choice a year in a cookie, and on the account (web/language.py).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR.parent / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SOEGOV_STATIC_ROOT", str(DATA_DIR / "static")))
private_dir(STATIC_ROOT)
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files go through STORAGES["default"]: files under $SOEGOV_DATA_DIR/media on one machine, or an
# S3-compatible object store (MinIO, Ceph, a cloud's S3 API) shared by every app server and worker.
SOEGOV_S3_BUCKET = os.environ.get("SOEGOV_S3_BUCKET", "").strip()
if SOEGOV_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": SOEGOV_S3_BUCKET,
            "endpoint_url": os.environ.get("SOEGOV_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("SOEGOV_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("SOEGOV_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("SOEGOV_S3_REGION") or None,
            "location": os.environ.get("SOEGOV_S3_PREFIX", "").strip("/"),
            # MinIO and most on-premises S3 servers address buckets by path, not by host name.
            "addressing_style": os.environ.get("SOEGOV_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "verify": env_bool("SOEGOV_S3_VERIFY_TLS", True),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
# Uploads in the local store: files 0600, their folders 0700 (Django's defaults follow the umask, 0644/0755).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collectstatic (tests, development) whitenoise serves straight from the apps' static dirs.
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Matter attachments (soegov.matters): the largest file accepted, in bytes.
SOEGOV_UPLOAD_MAX_BYTES = int(os.environ.get("SOEGOV_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

# Deadline reminders go through Django's e-mail backend; the default prints them to the console.
EMAIL_BACKEND = os.environ.get("SOEGOV_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("SOEGOV_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SOEGOV_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("SOEGOV_EMAIL_FROM", "soegov@localhost")

# Long work on the task queue (soegov.jobs, Celery; docs/deploy.md). No SOEGOV_BROKER_URL: the embedded
# mode, messages as files under $SOEGOV_DATA_DIR/queue and a worker that `soegov serve` starts itself.
SOEGOV_BROKER_URL = os.environ.get("SOEGOV_BROKER_URL", "").strip()
# Run each job in the process that starts it (tests; a one-off command), no queue.
SOEGOV_JOBS_EAGER = env_bool("SOEGOV_JOBS_EAGER", False)
SOEGOV_JOB_HEARTBEAT_SECONDS = env_int("SOEGOV_JOB_HEARTBEAT_SECONDS", 10)
# A running job whose heartbeat is older than this lost its worker: the sweep sends it again.
SOEGOV_JOB_STALE_SECONDS = env_int("SOEGOV_JOB_STALE_SECONDS", 60)
SOEGOV_JOB_SWEEP_SECONDS = env_int("SOEGOV_JOB_SWEEP_SECONDS", 30)
# A job queued this long without starting is sent again (a broker restarted without its messages).
SOEGOV_JOB_REQUEUE_AFTER_SECONDS = env_int("SOEGOV_JOB_REQUEUE_AFTER_SECONDS", 900)
SOEGOV_JOB_MAX_ATTEMPTS = env_int("SOEGOV_JOB_MAX_ATTEMPTS", 3)
SOEGOV_JOB_RETRY_SECONDS = env_int("SOEGOV_JOB_RETRY_SECONDS", 30)
SOEGOV_JOB_KEEP_DAYS = env_int("SOEGOV_JOB_KEEP_DAYS", 90)
SOEGOV_BROKER_VISIBILITY_TIMEOUT = env_int("SOEGOV_BROKER_VISIBILITY_TIMEOUT", 6 * 3600)


def _schedule_minutes(raw: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        kind, _, minutes = part.partition("=")
        try:
            out[kind.strip()] = float(minutes)
        except ValueError:
            out[kind.strip()] = -1.0
        if not kind.strip() or not 0 <= out[kind.strip()] <= 7 * 24 * 60:
            raise ImproperlyConfigured(f"SOEGOV_SCHEDULE_MINUTES 中的 {part!r} 应形如 matters.remind=30（分钟，0 表示停用） / "
                                       "SOEGOV_SCHEDULE_MINUTES entries are kind=minutes")
    return out


# Periodic kinds' intervals, e.g. "matters.remind=30,followup.remind=60" (0 turns one off).
SOEGOV_SCHEDULE_MINUTES = _schedule_minutes(os.environ.get("SOEGOV_SCHEDULE_MINUTES", ""))
# Reporting to the supervisor's collector (soegov.collector; README "数据报送到国资委采集端").
globals().update(collector_settings())
SOEGOV_SCHEDULE_MINUTES = schedule(globals(), SOEGOV_SCHEDULE_MINUTES)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"denials_on_one_line": {"()": "soegov.web.log_filters.DenialsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SOEGOV_LOG_LEVEL", "WARNING")},
    "loggers": {"django.request": {"filters": ["denials_on_one_line"]}},
}
