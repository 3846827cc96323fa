"""Settings for Briefs CMS, read from the environment.

Every setting has a safe local default so that `make run` works on a fresh machine; with
DEBUG off the project refuses to start on an unsafe default (no secret key).
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Off unless set: a deploy that forgets it shows no debug pages (`make run` sets it on).
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"
elif not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (for local work, set DEBUG=true)."
    )
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "briefs_cms.apps.BriefsAdminConfig",  # Django's admin, with two-factor sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "apps.staff",
    "apps.agencies",
    "apps.people",
    "apps.briefings",
    "apps.feeds",
    "apps.search",
    "apps.background",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "apps.briefings.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Stored public pages are answered here, before sessions, users and URL resolving.
    "apps.briefings.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Readers' public pages may read from a replica (with DATABASE_REPLICA_URLS).
    "apps.briefings.replicas.ReplicaReadsMiddleware",
    # Addresses that moved (a changed slug, a merged document) answer 301, not 404.
    "apps.briefings.middleware.MovedPageMiddleware",
    # Sign-in throttling: last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user
# name from one address, that pair is locked out for AXES_COOLOFF_MINUTES, with a notice.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Two-factor sign-in for staff (django-otp, `apps.staff`): required wherever DEBUG is off.
# In local development a password is enough until the account has a device.
TWO_FACTOR_REQUIRED = not DEBUG
OTP_TOTP_ISSUER = "Briefs CMS"

ROOT_URLCONF = "briefs_cms.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "briefs_cms.wsgi.application"


def database(url):
    """A database's settings from its URL: connections kept and checked before each
    request; PostgreSQL through Django's backend with a health check that looks at the
    socket instead of a round trip (`briefs_cms.db.postgresql`)."""
    found = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if found["ENGINE"] == "django.db.backends.postgresql":
        found["ENGINE"] = "briefs_cms.db.postgresql"
    return found


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that a second process can serve the tests' database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}

REDIS_URL = os.environ.get("REDIS_URL", "")

# Read replicas (PostgreSQL standbys), comma-separated URLs: readers' public pages are
# read from them, everything else from the primary (`apps.briefings.replicas`). A replica
# serves a page only once it has replayed the change that made the content version, whose
# position is kept with the version in Redis: replicas need REDIS_URL.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
for _number, _url in enumerate(DATABASE_REPLICA_URLS, 1):
    DATABASES[f"replica{_number}"] = {**database(_url), "TEST": {"MIRROR": "default"}}
    # A standby that is down is noticed in seconds, not at the system's TCP timeout.
    DATABASES[f"replica{_number}"].setdefault("OPTIONS", {})["connect_timeout"] = 2
if DATABASE_REPLICA_URLS:
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS needs REDIS_URL: a replica serves a page only once it has "
            "replayed the latest change, whose position is kept with the content version in "
            "Redis."
        )
    DATABASE_ROUTERS = ["apps.briefings.replicas.ReplicaRouter"]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "briefs_cms.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["briefs_cms.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "briefs_cms.storage.StaticFilesStorage"
        )
    },
}


def s3_storage(bucket, **options):
    """An S3-compatible bucket, through django-storages, with the store's endpoint, region
    and keys from the environment."""
    endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "")  # other than AWS
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Unset: boto3 finds credentials itself (an instance role, ~/.aws).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # Another store's address is path-style (endpoint/bucket/name): it needs no
            # DNS name per bucket.
            "addressing_style": "path" if endpoint else None,
            "file_overwrite": False,
            **options,
        },
    }


# Uploads and their renditions: in MEDIA_ROOT on this machine, or, with
# AWS_STORAGE_BUCKET_NAME set, in an S3-compatible object store that every app server
# shares (django-storages), which pages link to. The objects are public images: linked
# without signatures, so that a cached page's links never expire; the bucket (or the CDN
# named by AWS_S3_CUSTOM_DOMAIN) serves them to anyone.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "")  # other than AWS
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")
    STORAGES["default"] = s3_storage(
        AWS_STORAGE_BUCKET_NAME,
        custom_domain=AWS_S3_CUSTOM_DOMAIN or None,
        querystring_auth=False,
        object_parameters={"CacheControl": "public, max-age=86400"},
    )
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGIN = f"https://{AWS_S3_CUSTOM_DOMAIN}"
    elif AWS_S3_ENDPOINT_URL:
        _endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
        MEDIA_ORIGIN = f"{_endpoint.scheme}://{_endpoint.netloc}"
    else:
        MEDIA_ORIGIN = f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
else:
    MEDIA_ORIGIN = ""

# Backups (`manage.py backup_archive`, apps/briefings/backups.py) go to a private bucket of
# their own when BACKUP_BUCKET_NAME is set (the media store's endpoint and keys), never to
# the public media bucket; otherwise to a folder. The newest BACKUP_KEEP are kept.
BACKUP_BUCKET_NAME = os.environ.get("BACKUP_BUCKET_NAME", "")
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
if BACKUP_BUCKET_NAME:
    STORAGES["backups"] = s3_storage(
        BACKUP_BUCKET_NAME, default_acl="private", querystring_auth=True
    )
else:
    STORAGES["backups"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": BACKUP_DIR},
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Spreadsheet imports: all or nothing, and only as much as a reasonable sheet holds.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "25")) * 1024 * 1024
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "250000"))
# Larger files are imported by a worker (`manage.py worker`), not within the request.
IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_KB", "512")) * 1024

# Background jobs (apps.background): Django's tasks framework, queued in the database
# (django-tasks-db) or, with TASKS_BACKEND=rq, in Redis (RQ, django-tasks-rq) at
# TASKS_REDIS_URL: a setting of its own, so that moving the cache never strands queued
# tasks. `manage.py worker` runs them either way. A running job writes a heartbeat every
# few seconds; on PostgreSQL one silent for JOB_STALE_SECONDS lost its worker and is
# queued again.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "rq":
    TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "")
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq needs TASKS_REDIS_URL, the Redis that holds the queue, e.g. "
            "redis://127.0.0.1:6379/2."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL}}
else:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND is {TASKS_BACKEND!r}: use 'database' (the default) or 'rq'."
    )
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "60"))

# Whole public pages and feeds are cached under the content version (off: every request
# renders, as in the benchmarks' cold runs). Shared caches (a CDN) may keep a page
# CDN_MAX_AGE seconds before revalidating it, which costs a 304.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
CDN_MAX_AGE = int(os.environ.get("CDN_MAX_AGE", "60"))
# Each process also keeps the pages it serves most in this much of its own memory.
PAGE_CACHE_MEMORY_MB = int(os.environ.get("PAGE_CACHE_MEMORY_MB", "32"))

# A search query is given up after this long (PostgreSQL's statement timeout), so that no
# query can hold a worker for long.
SEARCH_TIMEOUT_MS = int(os.environ.get("SEARCH_TIMEOUT_MS", "1500"))

# The authority of feed entry ids (tag URIs): a domain the publisher owns. Changing it
# changes every id, so feed readers would show every entry again.
FEED_TAG_AUTHORITY = os.environ.get("FEED_TAG_AUTHORITY", "briefs-cms.local")

# HTTPS: with DEBUG off, plain http is redirected, browsers are told to use https only
# (HSTS) and cookies are sent over https only. Each can be switched off by the environment,
# as the setups that serve plain http on loopback do (`make serve`, the benchmarks).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# Preloading HSTS is a commitment made with the browsers' list, not a setting's default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Behind a proxy that terminates TLS, name the header it sets (e.g. X-Forwarded-Proto):
# only then is the request taken as https when the header says so. A client's own header
# is never trusted otherwise (a forged one would turn canonical links to https).
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + proxy_header.upper().replace("-", "_").removeprefix("HTTP_"),
        "https",
    )

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (the public site has no JavaScript; the admin's is in files).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Images may come from the object store (MEDIA_ORIGIN), when uploads live there.
    "img-src": [CSP.SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Logs go to standard output, one line each (a request's error with its traceback after
# it), for the platform to collect; LOG_LEVEL sets how much.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}

# Errors are also reported to Sentry (or a compatible service) when SENTRY_DSN is set.
if SENTRY_DSN := os.environ.get("SENTRY_DSN", ""):
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # no user names, addresses or cookies leave the site
    )
