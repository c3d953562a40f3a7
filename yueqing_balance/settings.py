"""Settings read from the environment, with defaults that run locally on SQLite.

Every variable is listed in `.env.example`.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = "insecure-local-development-key-only-for-debug-mode-0123456789"

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "yueqing_balance.apps.AxesConfig",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "schools",
    "standards",
    "phases",
    "reporting",
    "dashboard",
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yueqing_balance.middleware.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login except the login page itself.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Lets the history of admin edits record who made them.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yueqing_balance.urls"

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
                "yueqing_balance.context.site",
            ],
        },
    },
]

WSGI_APPLICATION = "yueqing_balance.wsgi.application"

# SQLite is the embedded default: WAL lets readers work beside a writer, and IMMEDIATE
# transactions take the write lock up front so that concurrent writers wait (up to the
# timeout) instead of failing with "database is locked" half-way through.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Seconds a PostgreSQL connection is kept for the next request (0: one per request, what
        # tests need so that no connection outlives them).
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", 0)),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not SQLite's in-memory database, so that WAL and concurrent writers behave
    # as in production; the process id keeps parallel test runs in one checkout apart.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("SQLITE_TEST_NAME") or str(
        Path(tempfile.gettempdir()) / f"yueqing-test-{os.getpid()}.sqlite3"
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Only when present: a fresh clone has no static/ until a file is committed there, and a missing
# directory is a system-check warning (`check --deploy` must stay silent).
STATICFILES_DIRS = [path for path in [BASE_DIR / "static"] if path.is_dir()]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploaded evidence and attachments: outside the static root and never served by the web server;
# views hand them out after checking the user's scope (phases.files).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "uploads"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
# The largest evidence file or attachment accepted, in bytes.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
# Reminders (manage.py send_reminders): the console in development, SMTP settings in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The site's address as its users reach it: an e-mail has no request to build its links from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# django-axes checks every login (the site's and the admin's) first and refuses a locked-out one.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# IP address, that username is refused from that address for AXES_COOLOFF_MINUTES (0: until an
# administrator deletes the record under 管理控制台 → 登录失败记录). Locking the username + IP pair, not the
# IP, keeps one user from locking out a whole office behind one NAT address. A successful login
# clears the count; a further attempt while locked out (even with the right password) restarts the
# cool-off. The lockout page answers HTTP 429.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
_axes_cooloff_minutes = int(os.environ.get("AXES_COOLOFF_MINUTES", 15))
AXES_COOLOFF_TIME = timedelta(minutes=_axes_cooloff_minutes) if _axes_cooloff_minutes > 0 else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# The page above for a browser, a Chinese message in JSON for a script (axes sends only numbers).
AXES_LOCKOUT_CALLABLE = "yueqing_balance.lockout.lockout_response"

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# The admin imports and exports what the bureau uses: Excel and CSV.
IMPORT_FORMATS = [CSV, XLSX]
EXPORT_FORMATS = [XLSX, CSV]
# Not one admin log entry per row (thousands per file): schools.admin_import writes one per file,
# with an import batch; each report's "imported" event keeps its old → new values.
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The admin's import asks for "<app>.import_<model>" (School, AnnualReport: Meta.permissions): it writes
# approved figures in bulk, past review, so editing one record is not enough. A model without that
# permission can be imported by superusers only.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"

# Upload limit of import files, in bytes (the bureau may raise it).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 10 * 1024 * 1024))
# What an import file (upload or command) may hold once read; checked while reading, so that a
# small file claiming a huge sheet costs neither memory nor time. The defaults fit a province's
# reports for ten years (10,000 schools × 10 years × 43 columns) or the country's registry.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 200_000))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", 1_000))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", 5_000_000))
IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("IMPORT_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024))

# Separation of duties: the reviewer who approves a report must not be the person who last
# changed its figures. A one-person office may switch it off (0).
REPORT_SEPARATE_APPROVER = env_bool("REPORT_SEPARATE_APPROVER", True)

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SITE_TITLE = _("乐清市义务教育均衡发展监测平台")

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
