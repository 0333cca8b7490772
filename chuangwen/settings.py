"""The one settings module. Every deploy-time choice comes from an environment variable.

See docs/operations.md for the list; envconf's readers raise ConfigError on a bad value so a
misconfigured server refuses to start instead of running half-configured.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from chuangwen.envconf import (
    ConfigError,
    audit_key_file,
    audit_keys,
    data_dir,
    database_from_url,
    env_bool,
    env_choice,
    env_hosts,
    env_int,
    env_list,
    env_log_level,
    env_redis_url,
    env_str,
    env_time_zone,
    field_key,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
# Encrypted columns (volunteers' ID numbers); see docs/volunteers.md.
FIELD_KEY = field_key(DATA_DIR)
ALLOWED_HOSTS = env_hosts("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "chuangwen.audit.admin_config.AuditedAdminConfig",  # django.contrib.admin, audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "ninja",
    "chuangwen.core",
    "chuangwen.audit",
    "chuangwen.accounts",
    "chuangwen.org",
    "chuangwen.campaigns",
    "chuangwen.notifications",
    "chuangwen.indicators",
    "chuangwen.tasks",
    "chuangwen.problems",
    "chuangwen.points",
    "chuangwen.inspections",
    "chuangwen.surveys",
    "chuangwen.materials",
    "chuangwen.scoring",
    "chuangwen.bulletins",
    "chuangwen.assessments",
    "chuangwen.stars",
    "chuangwen.shops",
    "chuangwen.basemap",
    "chuangwen.placements",
    "chuangwen.honours",
    "chuangwen.exposure",
    "chuangwen.setup",
    "chuangwen.reports",
    "chuangwen.dashboard",
    "chuangwen.jobs",
    "chuangwen.meetings",
    "chuangwen.briefings",
    "chuangwen.ledger",
    "chuangwen.visits",
    "chuangwen.volunteers",
    "chuangwen.practice",
    "chuangwen.offline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chuangwen.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the body: an upload too large is refused unread.
    "chuangwen.core.middleware.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it leaves a message when it ends a session.
    "chuangwen.accounts.middleware.SessionPolicyMiddleware",
    "chuangwen.offline.middleware.DeviceMiddleware",  # queued entries from a revoked phone: refused
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "chuangwen.core.middleware.OutOfRangeMiddleware",
    "chuangwen.core.middleware.StorageErrorMiddleware",
]

ROOT_URLCONF = "chuangwen.urls"
CSRF_FAILURE_VIEW = "chuangwen.core.views.csrf_failure"
WSGI_APPLICATION = "chuangwen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chuangwen.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2 first: new and re-hashed passwords use it; the others only verify legacy hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("FAST_PASSWORD_HASHER", False):
    # Tests and benchmarks only: Argon2 costs ~50 ms per hash by design.
    PASSWORD_HASHERS.insert(0, "django.contrib.auth.hashers.MD5PasswordHasher")

# 等保 2.0 ("dengbao"): ≥ 8 characters, 3 of 4 character classes, optional expiry.
# OWASP ASVS L2 ("asvs"): ≥ 12 characters, no composition rules, no forced expiry.
PASSWORD_POLICY = env_choice("PASSWORD_POLICY", ("dengbao", "asvs"), "dengbao")
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0, minimum=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12 if PASSWORD_POLICY == "asvs" else 8},
    },
]
if PASSWORD_POLICY == "dengbao":
    AUTH_PASSWORD_VALIDATORS.append({"NAME": "chuangwen.accounts.passwords.CharacterClassValidator"})

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
# The same client address the audit log records (honours PROXY_COUNT without django-ipware),
# so behind nginx the lock is keyed by the visitor's address, not the proxy's.
AXES_CLIENT_IP_CALLABLE = "chuangwen.audit.services.client_ip"
AXES_VERBOSE = False

# Sessions: idle timeout and an absolute lifetime, both enforced by SessionPolicyMiddleware.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The TLS proxy redirects HTTP to HTTPS and sends Strict-Transport-Security itself (the nginx
    # configuration in docs/operations.md). Django doing it too would send HSTS twice and redirect
    # the load balancer's plain-HTTP /healthz checks, so `check --deploy` need not ask for them.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008"]

# Two-factor: TOTP is optional for everybody; REQUIRE_OTP_FOR_OFFICE forces it on office admins.
REQUIRE_OTP_FOR_OFFICE = env_bool("REQUIRE_OTP_FOR_OFFICE", False)
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Chuangwen")

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ConfigError(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, got {LANGUAGE_CODE!r}")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_time_zone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", ("local", "s3"), "local")
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
# Image decoding and the people detectors run in child processes (chuangwen.core.isolation);
# their fork server imports these modules once (they build the detectors).
ISOLATION_PRELOAD = ["chuangwen.materials.evidence.warm"]
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
# The Chinese font embedded in PDF bulletins (.ttf/.otf/.ttc); empty = search the usual places
# (fonts-noto-cjk on Debian). See chuangwen/bulletins/fonts.py.
PDF_FONT = env_str("PDF_FONT", "")
if PDF_FONT and not Path(PDF_FONT).is_file():
    raise ConfigError(f"PDF_FONT={PDF_FONT!r} does not exist")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

_static_backend = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if env_bool("STATIC_MANIFEST", False)
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Stored files no record references are deleted once older than this (chuangwen.core.sweep).
FILE_SWEEP_GRACE_HOURS = env_int("FILE_SWEEP_GRACE_HOURS", 24, minimum=1)
S3_CONNECT_TIMEOUT = env_int("S3_CONNECT_TIMEOUT", 3, minimum=1)  # seconds
S3_READ_TIMEOUT = env_int("S3_READ_TIMEOUT", 10, minimum=1)  # seconds
S3_MAX_ATTEMPTS = env_int("S3_MAX_ATTEMPTS", 2, minimum=1)  # the first try included
if MEDIA_STORAGE == "s3":
    # django-storages is only needed by deployments that choose S3; see docs/operations.md.
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY"),
            "secret_key": env_str("S3_SECRET_KEY"),
            "region_name": env_str("S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            # Names are random (chuangwen.core.storage.fresh_name): refuse to overwrite anyway.
            "file_overwrite": False,
        },
    }
    # A storage that accepts connections but never answers must fail within seconds, not
    # botocore's 3 × 60 s: the user is told to retry and no worker waits for minutes.
    try:
        from botocore.config import Config as _BotoConfig
    except ImportError as exc:
        raise ConfigError("MEDIA_STORAGE=s3 needs django-storages: pip install -e '.[s3]'") from exc

    _media["OPTIONS"]["client_config"] = _BotoConfig(
        connect_timeout=S3_CONNECT_TIMEOUT,
        read_timeout=S3_READ_TIMEOUT,
        retries={"total_max_attempts": S3_MAX_ATTEMPTS, "mode": "standard"},
    )
    if not _media["OPTIONS"]["bucket_name"]:
        raise ConfigError("MEDIA_STORAGE=s3 needs S3_BUCKET")
else:
    _media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {"default": _media, "staticfiles": {"BACKEND": _static_backend}}

MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "chuangwen",
        "url": REDIS_URL,
        "immediate": env_bool("HUEY_IMMEDIATE", False),
        "consumer": {"workers": env_int("WORKER_THREADS", 2, minimum=1), "worker_type": "thread"},
    }
elif not DATA_DIR.is_dir():
    # Only when the console script kept the folder from being created (help, or a command it
    # is about to refuse): opening the queue's file would fail, and nothing will be queued.
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "chuangwen", "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "chuangwen",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
        "consumer": {"workers": env_int("WORKER_THREADS", 2, minimum=1), "worker_type": "thread"},
    }

EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "chuangwen@localhost")
# Chat systems (企业微信, 钉钉, 飞书…) take notifications as a JSON POST to an incoming webhook.
NOTIFY_WEBHOOK_URL = env_str("NOTIFY_WEBHOOK_URL", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.locmem.EmailBackend"
)

# The audit log is never trimmed below this age (等保 asks for at least 180 days).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365, minimum=180)
# The chain is keyed (HMAC) with keys kept outside the database; see docs/operations.md.
AUDIT_KEY_FILE = audit_key_file(DATA_DIR)
AUDIT_KEYS = audit_keys(DATA_DIR)
# Signed checkpoints of the chain's head go to an append-only file (and the log, and a webhook
# when set) at this interval, so truncating the log is caught even by someone holding the database.
AUDIT_CHECKPOINT_FILE = Path(
    env_str("AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit-checkpoints.jsonl"))
).expanduser()
AUDIT_CHECKPOINT_MINUTES = env_int("AUDIT_CHECKPOINT_MINUTES", 60, minimum=5)
AUDIT_CHECKPOINT_WEBHOOK = env_str("AUDIT_CHECKPOINT_WEBHOOK", "")

SITE_NAME = env_str("SITE_NAME", "")
# Offline field work (docs/offline.md): change to make every phone refetch its cached pages.
OFFLINE_CACHE_SALT = env_str("OFFLINE_CACHE_SALT", "1")
# An entry captured offline longer ago than this is refused (the office enters it by hand).
OFFLINE_MAX_CAPTURE_DAYS = env_int("OFFLINE_MAX_CAPTURE_DAYS", 7, minimum=1)

# Problems (问题整改): return window, escalation thresholds and public intake limits.
# Defaults and meaning in chuangwen/problems/conf.py; every one is a campaign's choice.
PROBLEM_RETURN_WINDOW_HOURS = env_int("PROBLEM_RETURN_WINDOW_HOURS", 8, minimum=0)
PROBLEM_DUE_SOON_HOURS = env_int("PROBLEM_DUE_SOON_HOURS", 4, minimum=0)
PROBLEM_YELLOW_CARD_DAYS = env_int("PROBLEM_YELLOW_CARD_DAYS", 3, minimum=1)
PROBLEM_RED_CARD_DAYS = env_int("PROBLEM_RED_CARD_DAYS", 7, minimum=1)
PROBLEM_REPEAT_NOTICES = env_int("PROBLEM_REPEAT_NOTICES", 3, minimum=1)
PROBLEM_REPEAT_YELLOWS = env_int("PROBLEM_REPEAT_YELLOWS", 2, minimum=1)
PROBLEM_REWORK_ESCALATE = env_int("PROBLEM_REWORK_ESCALATE", 3, minimum=1)
PUBLIC_REPORTS_PER_IP_HOUR = env_int("PUBLIC_REPORTS_PER_IP_HOUR", 10, minimum=1)
PUBLIC_REPORTS_PER_DEVICE_DAY = env_int("PUBLIC_REPORTS_PER_DEVICE_DAY", 5, minimum=1)
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID", "")

# Materials (网报材料) evidence checks: how far a photo's EXIF time and GPS may be from what
# the unit stated, and how many of the 64 pHash bits may differ for "the same picture".
MATERIALS_CAPTURE_TOLERANCE_DAYS = env_int("MATERIALS_CAPTURE_TOLERANCE_DAYS", 3, minimum=0)
MATERIALS_PLACE_TOLERANCE_M = env_int("MATERIALS_PLACE_TOLERANCE_M", 1000, minimum=10)
MATERIALS_DUPLICATE_RADIUS = env_int("MATERIALS_DUPLICATE_RADIUS", 10, minimum=0)

# API lists: limit/offset with bounds (chuangwen.core.pagination) for any route left on the default.
NINJA_PAGINATION_CLASS = "chuangwen.core.pagination.Pagination"
NINJA_PAGINATION_MAX_LIMIT = 1000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_log_level("LOG_LEVEL", "WARNING")},
    # Audit checkpoints go to the log too (a second copy outside the database), whatever LOG_LEVEL.
    "loggers": {"chuangwen.audit.checkpoint": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
