"""One settings module, driven by the environment.

With no variables set this is the embedded default: SQLite file, Celery tasks run
eagerly, e-mail to the console, media in ./media, DEBUG on. Set DATABASE_URL for
PostgreSQL, CELERY_BROKER_URL for a real broker, and DJANGO_DEBUG=0 (with
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS) for production.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-not-for-production")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0 (production)."
        )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A refused token: JSON for the page's own script, which fetches the new one after a sign-in
# in another tab (tilskudd/session_views.py); the 403_csrf.html page for a person.
CSRF_FAILURE_VIEW = "tilskudd.session_views.csrf_failure"

INSTALLED_APPS = [
    # before the admin: the scheme's name in nb/nn/en (tilskudd/translation.py)
    "modeltranslation",
    # Django's admin, its site's app list built from what is read once (tilskudd/admin_site.py)
    "tilskudd.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "tilskudd",
    "applications",
    "assessment",
    "reporting",
]

MIDDLEWARE = [
    # /helse/ and /helse/klar/ first: no host check, HTTPS redirect, session or sign-in.
    "tilskudd.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "tilskudd.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A receipt page's polling, answered before the session is read (one query).
    "tilskudd.documents.polling.DocumentStatusMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, and a session from before tilskudd.auth_backends names its backend
    "tilskudd.middleware.AuthenticationMiddleware",
    # the signed-in user's own language choice (User.language) over the cookie's
    "tilskudd.language_views.UserLanguageMiddleware",
    # who the user acts for is read once a request (tilskudd.access.acting_memberships)
    "tilskudd.per_request.PerRequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A refusal (tilskudd.errors.ServiceError) no view caught: a message, or JSON for scripts.
    "tilskudd.errors.ServiceErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tilskudd.urls"
WSGI_APPLICATION = "tilskudd.wsgi.application"

# Django's, with each input of a split date and time named (tilskudd/form_rendering.py)
FORM_RENDERER = "tilskudd.form_rendering.FormRenderer"

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
                "tilskudd.context_processors.acting_for",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database host that does not answer fails the request (and /helse/klar/) in seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tilskudd.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-axes first: it refuses a locked-out user before the password is checked. Django's
# ModelBackend, whose user comes with who they act for (one query: tilskudd.auth_backends).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tilskudd.auth_backends.PortalModelBackend",
]
# Sign-in throttling: 5 failures for one user from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# «Kari@Example.no» and «kari@example.no» are one user (stored lower-case), so one count.
AXES_USERNAME_CALLABLE = "tilskudd.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tilskudd.auth.lockout_response"
AXES_VERBOSE = False
# No access log of axes' own: sign-ins and sign-outs are in the audit log, with the address
# (tilskudd/auth.py); axes' row was a second insert in every sign-in (issue 15).
AXES_DISABLE_ACCESS_LOG = True
# The address of the person, not the proxy's: the first X-Forwarded-For hop behind one proxy.
AXES_IPWARE_PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)

# A signed-in session lasts at most 8 hours, and ends when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
#: Django's database sessions, the row read by SQL compiled once (tilskudd/sessions.py)
SESSION_ENGINE = "tilskudd.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Argon2id tuned to ≤ 0.1 s a check (tilskudd/hashers.py; it also reads Django's default Argon2
# hashes); the older hashes still verify and are rewritten with it when their owner signs in.
PASSWORD_HASHERS = [
    "tilskudd.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
# Each named in its own language (the header's choice); Django's set_language checks these.
LANGUAGES = [("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
#: Data a user reads (the scheme's name and rules) in each language: name_nb, name_nn,
#: name_en beside `name`, which reads the active language's and falls back to bokmål.
#: "default": Scheme(name=…) also fills name_nb, whatever language is active.
MODELTRANSLATION_DEFAULT_LANGUAGE = "nb"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nb",)
MODELTRANSLATION_AUTO_POPULATE = "default"


def _verbose_name_in(name, lang: str) -> str:
    """The admin's labels: «navn – Nynorsk», each language named as the header names it."""
    return f"{name} – {dict(LANGUAGES)[lang]}"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _verbose_name_in
#: «17. mars 2027 kl. 23:59» in nb and nn, «17 March 2027 at 23:59» in en (tilskudd/formats/)
FORMAT_MODULE_PATH = ["tilskudd.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Documents and uploads: the local disk (MEDIA_ROOT) unless DJANGO_STORAGE_URL or
# AWS_STORAGE_BUCKET_NAME names S3-compatible object storage (tilskudd/storage.py).
from tilskudd.storage import default_storage_from_env  # noqa: E402

STORAGES = {
    "default": default_storage_from_env(env.ENVIRON),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development WhiteNoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded and generated documents live outside the web root and are only served
# through views that check who is asking.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/_media/"  # no URL route serves it: documents go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An upload larger than the largest file any form takes is refused while it streams in,
# before it is written to disk (tilskudd.uploads.LimitedUploadHandler); one the temporary
# folder cannot take (full, read-only) is refused too (tilskudd.uploads.TemporaryFileUploadHandler).
FILE_UPLOAD_HANDLERS = [
    "tilskudd.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "tilskudd.uploads.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="tilskudd@localhost")
# Outbox: an SMTP server that hangs fails the try (and it is retried) instead of holding a
# worker, or in eager mode a request, for ever.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
#: Where people reach the portal; links in e-mails are built on it.
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000")

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Two queues: "celery" (e-mail, sweeps, the daily run) and "documents" (every PDF job, routed
# by tilskudd.documents.jobs.DOCUMENT_TASK_OPTIONS), which a pool of its own serves:
# `celery worker -Q documents` beside `celery worker -Q celery`, or one `-Q celery,documents`.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that dies comes back after this many seconds: above the task
# time limit (a slow job is not run twice), far below Redis' default hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60),
}
# Document jobs (B): a worker looks for such messages every interval × throttle seconds,
# 10 × 10 by kombu's default; look every 10 s, so a killed worker's job is taken up again
# within the visibility timeout + 10 s, not + 100 s.
CELERY_BROKER_TRANSPORT_OPTIONS |= {"unacked_restore_interval": 10, "unacked_restore_throttle": 1}
# Enqueueing from a request gives up quickly when the broker is down: the sweep sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-documents": {
        "task": "tilskudd.tasks.sweep_pending_documents",
        "schedule": timedelta(minutes=1),
    },
    # Outbox (tilskudd/outbox.py): e-mails left pending by a lost message or a broker outage.
    "sweep-pending-emails": {
        "task": "tilskudd.tasks.sweep_pending_emails",
        "schedule": timedelta(minutes=1),
    },
    # Opens the reports whose period has started and sends the reminders (each once).
    "reporting-daily": {
        "task": "reporting.tasks.daily",
        "schedule": timedelta(days=1),
    },
    # 7 and 1 days before the application deadline, to organisations with an unsent one.
    "applications-deadline-reminders": {
        "task": "applications.tasks.deadline_reminders",
        "schedule": timedelta(days=1),
    },
    # Grant letters not accepted after 14 days: a reminder to the recipient, once.
    "assessment-letter-reminders": {
        "task": "assessment.tasks.letter_reminders",
        "schedule": timedelta(days=1),
    },
}

# Production hardening; `manage.py check --deploy` is clean with DJANGO_DEBUG=0.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: nothing inline, nothing from elsewhere.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every layout step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# ID-porten (OpenID Connect, tilskudd.idporten): on when issuer, client id and secret are set.
# The endpoints come from <issuer>/.well-known/openid-configuration; IDPORTEN_PID_KEY keys the
# HMAC that stands in for a person's pid (never change it: people are found by it).
IDPORTEN_ISSUER = env.str("IDPORTEN_ISSUER", default="")
IDPORTEN_CLIENT_ID = env.str("IDPORTEN_CLIENT_ID", default="")
IDPORTEN_CLIENT_SECRET = env.str("IDPORTEN_CLIENT_SECRET", default="")
IDPORTEN_PID_KEY = env.str("IDPORTEN_PID_KEY", default="")
if IDPORTEN_ISSUER and not IDPORTEN_PID_KEY:
    from django.core.exceptions import ImproperlyConfigured  # noqa: E402

    raise ImproperlyConfigured("IDPORTEN_ISSUER is set: set IDPORTEN_PID_KEY too.")
INSTALLED_APPS += ["tilskudd.idporten"]
AUTHENTICATION_BACKENDS += ["tilskudd.idporten.backend.IdportenBackend"]
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_RP_SCOPES = "openid profile"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_AUTHENTICATION_CALLBACK_URL = "idporten:callback"
OIDC_STORE_ID_TOKEN = True  # the hint ID-porten's logout asks for; gone when the session ends
OIDC_TIMEOUT = 10
