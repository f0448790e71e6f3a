"""SI-PUTRI settings. Every deployment-specific value comes from the environment."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from siputri.env import cache_settings, email_settings, envbool, envint, envlist, envrate, envstr, read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
# The development settings `make run` writes; ignored when the environment sets DEBUG=0.
read_env_file(BASE_DIR / ".env")

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Development only: a key kept in var/ so that sign-ins survive a restart of `make run`.
    _key_file = BASE_DIR / "var" / "dev-secret-key"
    if not _key_file.exists():
        _key_file.parent.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(get_random_secret_key())
    SECRET_KEY = _key_file.read_text().strip()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# A survey refused for its CSRF cookie comes back with the answers kept (never a bare 403).
CSRF_FAILURE_VIEW = "surveys.views_survey.csrf_failure"
SITE_NAME = envstr("SITE_NAME", "SI-PUTRI Kabupaten Ogan Komering Ilir")
# The address people use to reach the site, for links in emails.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "auditlog",
    "accounts",
    "agencies",
    "standards",
    "surveys",
    "kiosks",
    "evaluations",
    "reports",
    "documents",
    "api",
    "demo",
    "outbox",
    "operations",
]

MIDDLEWARE = [
    "operations.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "siputri.middleware.CompressPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "siputri.middleware.LanguageMiddleware",
    "siputri.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "siputri.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "siputri.urls"
WSGI_APPLICATION = "siputri.wsgi.application"

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
                "accounts.context_processors.navigation",
                "accounts.context_processors.regency",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'siputri.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = cache_settings(envstr("CACHE_URL") or envstr("REDIS_URL"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Two-factor sign-in (optional, super admins and evaluators): the name the authenticator app shows.
OTP_TOTP_ISSUER = "SI-PUTRI"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "standards:home"

# Login throttling: a username is locked out from one address after repeated failures
# (accounts/login.py says how the address and the per-account ceiling are found).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Usernames are at most 150 characters; a longer one typed at the login must not overflow
# the lock-out table (django-axes stores up to 255).
AXES_USERNAME_CALLABLE = "accounts.login.attempted_username"
# How many proxies in front of the app append to X-Forwarded-For (0: use the socket address).
PROXY_COUNT = envint("PROXY_COUNT", 0)
# The lock-out counts failures against the same client address as the survey limit.
AXES_CLIENT_IP_CALLABLE = "surveys.ratelimit.client_address"
# Across all addresses: past this many failures for one account within the cool-off time, the
# account takes one attempt per LOGIN_ACCOUNT_DELAY_SECONDS (slowed, not locked).
LOGIN_ACCOUNT_CEILING = envint("LOGIN_ACCOUNT_CEILING", 20)
LOGIN_ACCOUNT_DELAY_SECONDS = envint("LOGIN_ACCOUNT_DELAY_SECONDS", 30)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Evidence files and request attachments: never served by the web server, only by views that
# check who asks. Keep it outside any directory a proxy serves.
PRIVATE_MEDIA_ROOT = Path(envstr("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
# Reminders for recommendations due within this many days (and every overdue one).
REMINDER_DAYS = envint("REMINDER_DAYS", 7)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

globals().update(email_settings(envstr("EMAIL_URL", "console://")))
# Seconds to wait for the mail server before the attempt counts as failed (and is retried).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 15)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "SI-PUTRI <no-reply@siputri.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security baseline. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=1.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 8) * 3600
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The proxy's health probe may come over plain HTTP from the machine itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    # HSTS without preload is a deliberate choice: preload is hard to undo for a regency domain.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SI-PUTRI API",
    "DESCRIPTION": "Public API of SI-PUTRI: agencies, services, survey and satisfaction index.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

AUDITLOG_INCLUDE_ALL_MODELS = False

# The longest a catalog or paper survey import may spend reading its file before it is refused;
# keep it under the worker's timeout (gunicorn's default is 30 s).
IMPORT_SECONDS = envint("IMPORT_SECONDS", 20)

# Survey limits, in layers (README "Survey limits and review"), counted in the cache so every
# app process shares them. The address ceiling refuses (429); it is high, since one office
# router or mobile carrier address carries many citizens.
SURVEY_RATE_LIMIT = envrate("SURVEY_RATE_LIMIT", "600/h")
# Responses counted per service per device (a signed, long-lived cookie); more are held.
SURVEY_DEVICE_LIMIT = envrate("SURVEY_DEVICE_LIMIT", "1/d")
# Submissions counted per address from browsers without the device cookie; more are held.
SURVEY_COOKIELESS_LIMIT = envrate("SURVEY_COOKIELESS_LIMIT", "10/h")
# Honeypot fills and refused form tokens from one address within an hour, after which its
# submissions are held.
SURVEY_FAILURE_LIMIT = envint("SURVEY_FAILURE_LIMIT", 3)
# The held-for-review rules judged against the service's own history (surveys/suspicion.py).
SURVEY_BURST_WINDOW = envint("SURVEY_BURST_WINDOW", 600)  # seconds a burst is looked for in
SURVEY_BURST_MIN = envint("SURVEY_BURST_MIN", 20)  # submissions in the window before "far above usual"
SURVEY_BURST_FACTOR = envint("SURVEY_BURST_FACTOR", 10)  # × the service's usual submissions per window
SURVEY_BURST_SHIFT = envint("SURVEY_BURST_SHIFT", 20)  # score points (25–100) away from its usual mean
SURVEY_PATTERN_MIN = envint("SURVEY_PATTERN_MIN", 8)  # identical answer sets in the window
SURVEY_PATTERN_FACTOR = envint("SURVEY_PATTERN_FACTOR", 3)  # × how often the service's history has it
# Days a respondent's contact for a reply is kept before `purge_reply_contacts` deletes it.
REPLY_CONTACT_RETENTION_DAYS = envint("REPLY_CONTACT_RETENTION_DAYS", 30)
# A survey form's one-time token expires after this many hours (the answers are kept).
SURVEY_FORM_HOURS = envint("SURVEY_FORM_HOURS", 48)
# Kiosks (counter tablets) are not under the per-address limit; each has its own minimum
# interval between two submissions, in seconds.
KIOSK_MIN_INTERVAL = envint("KIOSK_MIN_INTERVAL", 15)
# How long a kiosk's one-time enrolment code stays valid.
KIOSK_ENROLMENT_HOURS = envint("KIOSK_ENROLMENT_HOURS", 72)
# A half-filled survey left alone this long on a kiosk is cleared for the next citizen.
KIOSK_IDLE_SECONDS = envint("KIOSK_IDLE_SECONDS", 120)
# How long the kiosk's thank-you screen stays before a fresh survey.
KIOSK_THANKS_SECONDS = envint("KIOSK_THANKS_SECONDS", 6)

# Background tasks (Celery). With a broker (Redis: redis://127.0.0.1:6379/1) the web process only
# queues work and `celery -A siputri worker` / `beat` run it; without one (the embedded
# default) tasks run in the process that queued them, so nothing else must be started.
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged once done, so a worker that dies mid-task leaves it to another.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Long exports must finish before Redis hands the unacknowledged task to another worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 3600, "socket_connect_timeout": 3, "socket_timeout": 5}
# A web request that cannot reach the broker gives up quickly; what it queued is stored anyway.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "outbox-retry": {"task": "outbox.retry_due", "schedule": 30.0},
    "reminders": {"task": "evaluations.send_reminders", "schedule": crontab(hour=7, minute=0)},
    "exports-purge": {"task": "reports.exports_purge", "schedule": crontab(minute=15)},
    # Retention purges are management commands, run through operations.run_command.
    "contacts-purge": {
        "task": "operations.run_command",
        "args": ["purge_reply_contacts"],
        "schedule": crontab(hour=2, minute=30),
    },
    "sessions-purge": {
        "task": "operations.run_command",
        "args": ["clearsessions"],
        "schedule": crontab(hour=2, minute=45),
    },
    "tallies-check": {
        "task": "operations.run_command",
        "args": ["rebuild_tallies", "--check"],
        "schedule": crontab(hour=3, minute=0, day_of_week=0),
    },
}
# The management commands the schedule may run (operations.run_command refuses any other).
SCHEDULED_COMMANDS = envlist(
    "SCHEDULED_COMMANDS", ["rebuild_tallies", "backup", "send_reminders", "purge_reply_contacts", "clearsessions"]
)
# Exports: a responses export above these many rows is written by a task to a file kept this
# many hours for its requester; at or below, it downloads at once.
EXPORT_DIRECT_CSV_ROWS = envint("EXPORT_DIRECT_CSV_ROWS", 50_000)
EXPORT_DIRECT_XLSX_ROWS = envint("EXPORT_DIRECT_XLSX_ROWS", 5_000)
EXPORT_KEEP_HOURS = envint("EXPORT_KEEP_HOURS", 24)

# Logs: one JSON object per line on standard error, each with the id of its request
# (LOG_FORMAT=text for plain lines while developing). siputri.request logs one line per request.
LOG_FORMAT = envstr("LOG_FORMAT", "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operations.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "operations.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {"siputri.request": {"level": envstr("REQUEST_LOG_LEVEL", "INFO" if not DEBUG else "WARNING")}},
}
