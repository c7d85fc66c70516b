"""Settings for every deployment, read from the environment (see the README table)."""

import base64
import hashlib
import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

# Personal data at rest (congress.crypto): Fernet keys, the first encrypts and all decrypt (rotation), and
# the key of the blind index that finds rows by ID number or phone. Development derives both from SECRET_KEY;
# production must set them (a write or read of personal data fails without).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY", "")
if DEBUG and not FIELD_ENCRYPTION_KEYS:
    FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(b"fields:" + SECRET_KEY.encode()).digest())]
if DEBUG and not FIELD_HASH_KEY:
    FIELD_HASH_KEY = hashlib.sha256(b"field-hash:" + SECRET_KEY.encode()).hexdigest()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "congress.consoleapp.ConsoleAdminConfig",  # django.contrib.admin with our console site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the project's own form templates (FORM_RENDERER)
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "auditlog",
    "django_ratelimit",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "congress",
    "deputies",
    "liaison_stations",
    "suggestions",
    "training",
    "activities",
    "livelihood",
    "cases",
    "seeding",  # demo and scale data: imports every app above, none imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "congress.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congress.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "congress.inputs.RefuseNulMiddleware",  # before anything reads a field or looks a key up
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "congress.middleware.SessionExpiryMiddleware",
    "congress.twofactor.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Inside the audit middleware, so access records carry the request's address.
    "congress.personal_data.AccessLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congress.urls"
WSGI_APPLICATION = "congress.wsgi.application"
AUTH_USER_MODEL = "congress.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Forms render with the project's templates, so a widget or form template in templates/ applies everywhere.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congress.context_processors.header",
            ],
            # {% error_summary form %} at the top of every form, without a {% load %} in each template.
            "builtins": ["congress.templatetags.form_errors"],
        },
    },
]

# The zero-setup default is a SQLite file; DATABASE_URL switches to Postgres.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'congress.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web process, worker and beat share one file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # SQLite cannot hold "unique, nulls not distinct"; model validation still enforces it there.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]
else:
    SILENCED_SYSTEM_CHECKS = []

# A streaming replica of the Postgres primary for heavy reads (statistics, dashboards, exports, API sync pages):
# only code inside congress.replica.reads() reads there, and never what the same request or task has written.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # A replica that does not answer costs a page this long before its reads fall back to the primary.
    DATABASES["replica"]["OPTIONS"] = {"connect_timeout": 3, **DATABASES["replica"].get("OPTIONS", {})}
    # Tests run against one database: the replica alias reads the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["congress.replica.Router"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Zero-setup mode serves from one process, so a per-process cache still counts every request.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]
# Per-process copies of the holiday table and policy overrides (congress.refcache) need a cache every process
# shares to learn of a change; with a per-process cache the worker would keep computing deadlines on a stale calendar.
REFCACHE_ENABLED = bool(REDIS_URL)
# Django's own Redis backend increments atomically, which is all django-ratelimit needs.
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]

# Public forms (citizens' opinions, public votes): submissions allowed per address and per phone.
PUBLIC_RATE_PER_IP = os.environ.get("PUBLIC_RATE_PER_IP", "30/h")
PUBLIC_RATE_PER_PHONE = os.environ.get("PUBLIC_RATE_PER_PHONE", "5/d")
# Password-reset emails asked for, per client address and per email address.
PASSWORD_RESET_RATE = os.environ.get("PASSWORD_RESET_RATE", "5/h")
# Behind a reverse proxy, the client address is in a header the proxy sets (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
# Login lockout (django-axes): five wrong passwords for one account from one address lock that pair out for
# half an hour; so do 20 failures from one address over any accounts (password spraying) and 20 for one account
# over any addresses (a distributed guess), each counted within the half hour. A successful login clears its own
# account's failures from its address. Every login and failure is kept (console: 访问尝试). congress/lockout.py
# gives each parameter list below its own limit.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "congress.lockout.LoginThrottleHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"], ["username"]]
LOGIN_FAILURE_LIMITS = {
    ("username", "ip_address"): AXES_FAILURE_LIMIT,
    ("ip_address",): int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20")),
    ("username",): int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "20")),
}
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "congress.views.locked_out"
# The client address as the rate limits read it: REMOTE_ADDR unless a proxy header is configured, never a
# forwarded header the client could forge.
AXES_IPWARE_META_PRECEDENCE_ORDER = [RATELIMIT_IP_META_KEY or "REMOTE_ADDR"]
# Map tiles for the station map; empty on an offline intranet (markers on a plain background).
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "")


def tile_source(url: str) -> list[str]:
    """The Content-Security-Policy source allowing the map tiles: the tile server's origin, with Leaflet's
    {s} subdomain placeholder as a wildcard."""
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured("MAP_TILES_URL must be an http(s) address.")
    return [f"{parts.scheme}://{parts.netloc.replace('{s}.', '*.')}"]


# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no inline code at
# all (tests/congress/test_security_headers.py keeps templates free of it); images also from data: URLs (Leaflet,
# QR codes) and the configured tile server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *tile_source(MAP_TILES_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page here uses.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "congress.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
# Two-factor sign-in (TOTP, django-otp) for everyone who reaches staff work or the console; tests turn it off
# by default (tests/conftest.py) and on where they test it.
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "人大代表工作平台")
# A wrong code doubles the wait before the next try (1 s, 2 s, 4 s, …) until a right one.
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
# Dates written one way on every page and in both languages (congress/formats/).
FORMAT_MODULE_PATH = ["congress.formats"]
DATE_FORMAT = SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "Y-m-d H:i"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files: outside the web root, served by no URL (MEDIA_URL is never routed); views that check access hand
# them out (congress/uploads.py), under random names on disk.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
for _public in [STATIC_ROOT, *STATICFILES_DIRS]:
    _media, _public = MEDIA_ROOT.resolve(), _public.resolve()
    if _media.is_relative_to(_public) or _public.is_relative_to(_media):
        raise ImproperlyConfigured("MEDIA_ROOT must lie outside STATIC_ROOT and the static folders.")
# The largest file of each kind, checked with its type by content; a file past the largest limit stops being
# written to disk as it arrives (congress.uploads.CappedUploadHandler).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
UPLOAD_MAX_BYTES_BY_KIND = {"xlsx": int(os.environ.get("ROSTER_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))}
# Zip bombs: every ZIP-based upload (.xlsx, .docx) is refused before any parser opens it when its members would
# unpack to more than this in all, or one member is compressed more than UPLOAD_ZIP_MAX_RATIO times, or it holds more
# than UPLOAD_ZIP_MAX_ENTRIES members (congress.uploads.archive_problem). A 100,000-row roster unpacks to 130 MB.
UPLOAD_ZIP_MAX_BYTES = int(os.environ.get("UPLOAD_ZIP_MAX_BYTES", 300 * 1024 * 1024))
UPLOAD_ZIP_MAX_RATIO = 100
UPLOAD_ZIP_MAX_ENTRIES = 1000
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "congress.uploads.CappedUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a form's text fields; the longest text field holds 30,000 characters
# The staff's nomination list offers up to 1,000 deputies at once, each a checkbox.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # a case takes at most 8 files
STORAGES = {
    "default": {"BACKEND": "congress.uploads.PrivateStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: production defaults, relaxed only by DEBUG or explicit variables.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# A session ends 8 hours after login however busy (congress.middleware.SessionExpiryMiddleware), after
# SESSION_IDLE_MINUTES without a request, and when the browser closes (shared office computers).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "congress.views.csrf_failure"
# Webhook receivers must be public https addresses (congress.outbound); these networks (comma-separated CIDRs,
# e.g. 10.20.0.0/16) are intranet receivers the operator allows, which may then be private and plain http.
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS")
for _network in WEBHOOK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"WEBHOOK_ALLOWED_NETWORKS: {_network} is not a network (CIDR).") from _error

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
# The site's address as people reach it (https://renda.example.gov.cn): links in e-mail are put under it.
SITE_URL = os.environ.get("SITE_URL", "")
# Where django.core.mail.backends.filebased.EmailBackend writes each message.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# Without DEBUG there is no SMS until a provider's backend is named: the console backend delivers nothing, and
# pages needing a text (the public vote's phone check) then say the service is unavailable (congress/checks.py).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "congress.notifications.ConsoleSmsBackend" if DEBUG else "")
# The providers' adapters (congress/sms): congress.sms.AliyunSmsBackend or congress.sms.GatewaySmsBackend.
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
SMS_TIMEOUT_SECONDS = float(os.environ.get("SMS_TIMEOUT_SECONDS", "10"))
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_REGION = os.environ.get("SMS_ALIYUN_REGION", "cn-hangzhou")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_APP_ID = os.environ.get("SMS_GATEWAY_APP_ID", "")
SMS_GATEWAY_SECRET = os.environ.get("SMS_GATEWAY_SECRET", "")
# The secret part of the address Alibaba Cloud pushes delivery receipts to (/sms/receipts/aliyun/<token>/); empty:
# that address answers 404. The gateway's receipts (/sms/receipts/gateway/) are signed with SMS_GATEWAY_SECRET.
SMS_RECEIPT_TOKEN = os.environ.get("SMS_RECEIPT_TOKEN", "")
# Message kind → provider template: {"vote_code": {"template": "SMS_123", "params": {"code": "code"}}} (JSON; the
# kinds and their parameters are in congress/sms/kinds.py).
try:
    SMS_TEMPLATES = json.loads(os.environ.get("SMS_TEMPLATES", "") or "{}")
except ValueError as _error:
    raise ImproperlyConfigured(f"SMS_TEMPLATES is not valid JSON: {_error}") from _error
if not isinstance(SMS_TEMPLATES, dict):
    raise ImproperlyConfigured("SMS_TEMPLATES must be a JSON object of message kind → template.")

# Enterprise messaging groups (企业微信 / 钉钉 group robots), congress.messaging: JSON of robot name → {"kind":
# "wecom" | "dingtalk", "url", "secret" (钉钉 signing), "msgtype": "markdown" | "text", "congresses": [division codes]}.
try:
    MESSAGING_ROBOTS = json.loads(os.environ.get("MESSAGING_ROBOTS", "") or "{}")
except ValueError as _error:
    raise ImproperlyConfigured(f"MESSAGING_ROBOTS is not valid JSON: {_error}") from _error
MESSAGING_TIMEOUT_SECONDS = float(os.environ.get("MESSAGING_TIMEOUT_SECONDS", "10"))

# Celery: without REDIS_URL a filesystem broker under var/ needs no server at all.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task taken by a worker that then died returns to the queue after this many seconds (acks_late);
        # it must stay longer than the longest task, or a running task is handed to a second worker.
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
        # An unreachable Redis host fails a publish within seconds (the message waits in the outbox)
        # instead of holding the user's request for the system's TCP timeout.
        "socket_connect_timeout": 5,
    }
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "congress.tasks.sweep_deadlines": {"queue": "reminders"},
    "congress.tasks.deliver_notification": {"queue": "reminders"},
    "congress.tasks.deliver_notifications": {"queue": "reminders"},
    "congress.tasks.send_sms": {"queue": "reminders"},
    "congress.tasks.deliver_webhook": {"queue": "webhooks"},
    "congress.tasks.send_robot_message": {"queue": "webhooks"},
    "congress.tasks.requeue_webhooks": {"queue": "webhooks"},
    "congress.tasks.run_console_job": {"queue": "imports"},
    "deputies.tasks.*": {"queue": "imports"},
    "liaison_stations.tasks.*": {"queue": "reminders"},
    "suggestions.tasks.*": {"queue": "reminders"},
    "training.tasks.*": {"queue": "reminders"},
    "cases.tasks.*": {"queue": "default"},
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "congress.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["congress.api.auth.ClientRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": [
        "congress.api.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "congress.api.pagination.PageOrCursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "congress.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "人大代表工作平台 API (People's-congress deputy work)",
    "DESCRIPTION": "REST API for provincial integrations. Send `Authorization: Bearer <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "congress.api.schema.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "RegionLevelEnum": "congress.models.RegionLevel",
        "LevelEnum": "congress.models.Level",
        "SuggestionKindEnum": "suggestions.models.Kind",
        "RoleEnum": "suggestions.models.UnitRole",
        "GroupKindEnum": "deputies.models.GroupKind",
        "GroupRoleEnum": "deputies.models.GroupRole",
    },
}

AUDITLOG_INCLUDE_ALL_MODELS = False

# ID numbers and phones are masked in every log line and error report (congress.redaction).
DEFAULT_EXCEPTION_REPORTER = "congress.redaction.PersonalDataExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "congress.redaction.PersonalDataReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "congress.redaction.PersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SITE_NAME = _("People's congress deputy work")
