"""Settings for Sáu Rõ. Every value that differs between machines comes from the environment."""
from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAURO_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Secrets come from the environment only; a production key must be long and random.
SECRET_KEY = env_str("SECRET_KEY")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])  # old keys, while rotating
_INSECURE_KEY_ALLOWED = DEBUG or env_bool("SAURO_ALLOW_INSECURE_KEY", False)
if not SECRET_KEY:
    if not _INSECURE_KEY_ALLOWED:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set (or DEBUG=1 for a development machine).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
elif not _INSECURE_KEY_ALLOWED and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters, e.g. from "
                               "python -c 'import secrets; print(secrets.token_urlsafe(64))'.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS: on unless DEBUG (make run serves http://127.0.0.1); the tests turn it off explicitly.
SAURO_HTTPS = env_bool("SAURO_HTTPS", not DEBUG)
# Behind a reverse proxy (nginx) that terminates TLS: trust its X-Forwarded-Proto and, in
# audit/context.py, the address it saw (the last X-Forwarded-For entry). Only set it when the
# proxy overwrites those headers; otherwise a client could claim any address.
SAURO_BEHIND_PROXY = env_bool("SAURO_BEHIND_PROXY", False)
if SAURO_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = SAURO_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe may speak plain HTTP
SECURE_HSTS_SECONDS = env_int("SAURO_HSTS_SECONDS", 365 * 24 * 3600) if SAURO_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SAURO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SAURO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = SAURO_HTTPS
CSRF_COOKIE_SECURE = SAURO_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page gets this policy (accounts/csp.py); no inline script or style anywhere.
SAURO_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)

# Sessions end when the browser closes, after 8 hours in any case, and after an hour untouched
# (accounts/middleware.py enforces both, since a saved session would otherwise keep sliding).
SESSION_COOKIE_AGE = env_int("SAURO_SESSION_MAX_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SAURO_SESSION_IDLE_SECONDS = env_int("SAURO_SESSION_IDLE_SECONDS", 3600)

# Sign-in throttling (accounts/lockout.py): after `slow_after` failures within `window` seconds
# each further attempt must wait (2 s, 4 s, 8 s … at most 60 s); at `lock_after` failures the
# account or address is locked for `lock` seconds. An office shares one address, hence its higher limits.
_LOGIN_WINDOW = env_int("SAURO_LOGIN_WINDOW_SECONDS", 15 * 60)
_LOGIN_LOCK = env_int("SAURO_LOGIN_LOCK_SECONDS", 15 * 60)
SAURO_LOGIN_LIMITS = {
    "account": {"slow_after": env_int("SAURO_LOGIN_ACCOUNT_SLOW_AFTER", 3),
                "lock_after": env_int("SAURO_LOGIN_ACCOUNT_LOCK_AFTER", 8),
                "window": _LOGIN_WINDOW, "lock": _LOGIN_LOCK, "max_delay": 60},
    "address": {"slow_after": env_int("SAURO_LOGIN_ADDRESS_SLOW_AFTER", 20),
                "lock_after": env_int("SAURO_LOGIN_ADDRESS_LOCK_AFTER", 50),
                "window": _LOGIN_WINDOW, "lock": _LOGIN_LOCK, "max_delay": 60},
}

# Two-factor sign-in (TOTP, django-otp): required for the people roles/policy.two_factor_required names.
OTP_TOTP_ISSUER = "Sáu Rõ"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "viewflow",
    "viewflow.workflow",
    "roles",
    "tasks",
    "workflow",
    "notifications",
    "inspection",
    "audit",
    "indicators",
    "reports",
    "dashboards",
    "api",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accounts.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.outage.DatabaseOutageMiddleware",  # the database away: a 503 page, not a 500 (issue 8)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "audit.middleware.AuditOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionExpiryMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# viewflow must not append its own middleware behind our back.
VIEWFLOW = {"AUTOREGISTER": False}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "notifications.context.unread_count",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sauro.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A streaming replica for the dashboards, downloads and the read-only API (config/routers.py,
# docs/deployment.md); unset, everything reads the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**database_from_url(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    MIDDLEWARE.append("config.routers.ReplicaReadsMiddleware")
    SAURO_REPLICA_URL_NAMES = env_list("SAURO_REPLICA_URL_NAMES", [
        "dashboards_index", "commune_dashboard", "unit_scorecard", "directing_area", "province_overview",
        "appendix_download", "report_download", "api_plans", "api_plan", "api_plan_tasks", "api_plan_indicators",
        "api_indicator_figures", "api_task", "api_occurrences", "api_occurrence"])

AUTH_USER_MODEL = "roles.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "viewflow"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded plan files: refuse anything larger before reading it.
SAURO_IMPORT_MAX_BYTES = env_int("SAURO_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# Submitted output files (decisions, plans, reports): the largest accepted, and where they are kept,
# outside MEDIA_ROOT so that nothing serves them except the permission-checked download view.
SAURO_UPLOAD_MAX_BYTES = env_int("SAURO_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
PRIVATE_MEDIA_ROOT = Path(env_str("SAURO_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Several web hosts: collected static files and uploads on storage they all mount (docs/deployment.md).
if env_str("SAURO_STATIC_ROOT"):
    STATIC_ROOT = Path(env_str("SAURO_STATIC_ROOT"))
if env_str("SAURO_MEDIA_ROOT"):
    MEDIA_ROOT = Path(env_str("SAURO_MEDIA_ROOT"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/.
REDIS_URL = env_str("REDIS_URL")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _queue_dir = VAR_DIR / "queue"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "queue-processed"),
        "store_processed": False,
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The data API (api/): read-only JSON for other systems of the province, behind the same policy.
# An API key ("Authorization: Bearer …") acts as its person; a logged-in browser's session works too.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sáu Rõ API",
    "DESCRIPTION": "Read-only data of Resolution 57 action plans: plans, tasks, occurrences, indicators, "
                   "notifications. Every answer is narrowed to what the caller may see.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # 3.1: a nullable reference is "oneOf: [ref, null]", which strict validators read as meant.
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.error_responses_add"],
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "tasks.models.PlanStatus", "PlanKindEnum": "tasks.models.PlanKind",
        "OutputKindEnum": "tasks.models.OutputKind", "TargetKindEnum": "tasks.models.TargetKind",
        "UnitKindEnum": "roles.models.UnitKind", "OccurrenceStatusEnum": "workflow.models.OccurrenceStatus",
        "ContributionStatusEnum": "workflow.models.ContributionStatus",
        "ExtensionStatusEnum": "workflow.models.ExtensionStatus",
        "OccurrenceUrgencyEnum": ["overdue", "due_soon", "on_time", ""],
        "NotificationUrgencyEnum": ["overdue", "due", "due_soon", "other"],
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sauro@localhost")
# Where the site is reached from outside: links in emails are built on it.
SAURO_BASE_URL = env_str("SAURO_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "workflow.heartbeat", "schedule": 60.0},
    # Recurring tasks get their next occurrence ahead of time, every night and once at noon.
    "occurrences-generate": {"task": "workflow.occurrences_generate", "schedule": crontab(minute=15, hour="1,12")},
    # Indicator figures owed are created ahead the same way, before the morning sweep chases them.
    "figures-generate": {"task": "indicators.figures_generate", "schedule": crontab(minute=20, hour="1,12")},
    # Reminders and escalations: early in the working day, and again at noon for what changed.
    "escalations-run": {"task": "workflow.escalations_run", "schedule": crontab(minute=0, hour="7,12")},
    # Notifications: queued emails go out every minute; each person's digest at 06:30.
    "deliveries-send-email": {"task": "notifications.deliveries_send", "schedule": 60.0, "args": ("email",)},
    "digests-send": {"task": "notifications.digests_send", "schedule": crontab(minute=30, hour=6)},
    # Periodic reports: from the 1st to the 9th, the drafts of the periods just ended (a no-op on other days).
    "report-drafts-prepare": {"task": "reports.drafts_prepare", "schedule": crontab(minute=30, hour=5)},
}
