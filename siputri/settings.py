"""SI-PUTRI settings. Every deployment-specific value comes from the environment."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.management.utils import get_random_secret_key

from siputri.env import cache_settings, email_settings, envbool, envint, envlist, envrate, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

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
    "csp",
    "auditlog",
    "accounts",
    "agencies",
    "standards",
    "surveys",
    "kiosks",
    "evaluations",
    "reports",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "siputri.middleware.LanguageMiddleware",
    "siputri.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

# Survey submissions per client (counted in the cache, so shared by every app process).
SURVEY_RATE_LIMIT = envrate("SURVEY_RATE_LIMIT", "30/h")
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
