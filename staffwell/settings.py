"""staffwell settings: one module, read from environment variables.

Every variable is listed in the README. Defaults are secure: DEBUG is off unless asked
for, and development conveniences only switch on with STAFFWELL_ENV=development.
Nothing here reads files or writes anything at import time.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "development" (make run, tests) or "production" (anything else is refused).
STAFFWELL_ENV = env_str("STAFFWELL_ENV", "production")
if STAFFWELL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("STAFFWELL_ENV must be 'development' or 'production'.")
DEVELOPMENT = STAFFWELL_ENV == "development"

DEBUG = env_bool("DEBUG", False)
if DEVELOPMENT:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-secret-key-not-for-production")
else:
    SECRET_KEY = env_str("SECRET_KEY")
# Old keys still accepted while signed values made with them expire (rotate by moving the
# old key here). Check-in contributions waiting in the weekly pool need the key they were
# pooled under until they are released.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEVELOPMENT else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo mode loads demo data and allows the published demo password. Never in production.
DEMO_MODE = env_bool("STAFFWELL_DEMO_MODE", DEVELOPMENT)
if DEMO_MODE and not DEVELOPMENT:
    raise ImproperlyConfigured("STAFFWELL_DEMO_MODE is only allowed with STAFFWELL_ENV=development.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks",
    "django_tasks_db",
    "staffwell.core",
    "staffwell.accounts",
    "staffwell.organisations",
    "staffwell.signin",
    "staffwell.partnership",
    "staffwell.suppression",
    "staffwell.library",
    "staffwell.assessments",
    "staffwell.surveys",
    "staffwell.reporting",
    "staffwell.records",
    "staffwell.wellbeing",
    "staffwell.passports",
    "staffwell.voice",
    "staffwell.support",
    "staffwell.absence",
    "staffwell.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "staffwell.signin.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "staffwell.urls"
WSGI_APPLICATION = "staffwell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "staffwell" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "staffwell.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "staffwell.core.context_processors.navigation",
                "staffwell.library.context_processors.urgent_support",
            ],
        },
    },
    {
        # Only for Django's own error and form-widget templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

# Database: SQLite (WAL) by default; DATABASE_URL selects PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Every SQLite database gets the same options, however it is named: writers queue for the
# lock instead of failing with "database is locked" (an attack on a DATABASE_URL=sqlite://
# copy raced two writers into a 500).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; PRAGMA secure_delete=ON;"
    ),
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "staffwell.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: Django's tasks API with a database queue (run `manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }

# Accounts: email sign-in, Argon2, lockout after repeated failures.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AXES_FAILURE_LIMIT = env_int("STAFFWELL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("STAFFWELL_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
# Lock the account, not the address: a whole trust often shares one public IP address,
# so locking by IP would lock everyone out (docs/adr/0004-sign-in-lockout.md).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "staffwell.accounts.lockout.username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.jinja"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Email: console in development, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEVELOPMENT else "django.core.mail.backends.smtp.EmailBackend",
)
# The console and file backends write every message, personal survey links included, into
# the terminal log or a file: development only (docs/survey-anonymity.md, "Logs").
if not DEVELOPMENT and EMAIL_BACKEND in {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={EMAIL_BACKEND} writes personal survey links into a log or file: "
        "it is only allowed with STAFFWELL_ENV=development."
    )
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "staffwell <no-reply@staffwell.invalid>")

# Sessions and cookies: essential cookies only (session, CSRF).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("STAFFWELL_SESSION_MINUTES", 12 * 60) * 60
CSRF_COOKIE_SAMESITE = "Lax"
SECURE = env_bool("STAFFWELL_SECURE_COOKIES", not DEVELOPMENT)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("STAFFWELL_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("STAFFWELL_BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = 0 if DEVELOPMENT else env_int("STAFFWELL_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEVELOPMENT
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: no inline script, no inline style, nothing from elsewhere
# except the NHS.UK web fonts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "https://assets.nhs.uk"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Static files: our own plus the nhsuk-frontend package copied in at set-up (build/static).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEVELOPMENT
            else "staffwell.core.storage.StaticStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default: a typed "nhs.uk" means https://nhs.uk

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# Uploads: the staff import has its own, larger limit (checked before parsing).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STAFFWELL_IMPORT_MAX_BYTES = env_int("STAFFWELL_IMPORT_MAX_MB", 10) * 1024 * 1024
# Podcast audio uploads (resource library).
STAFFWELL_PODCAST_MAX_BYTES = env_int("STAFFWELL_PODCAST_MAX_MB", 100) * 1024 * 1024

# Service identity shown in the header and emails.
STAFFWELL_SERVICE_NAME = "staffwell"
STAFFWELL_BASE_URL = env_str("STAFFWELL_BASE_URL", "http://127.0.0.1:8000")

# Encryption at rest for everything staffwell encrypts (staffwell.core.crypto,
# docs/operations.md "Encryption at rest"): 32-byte url-safe base64 keys, comma-separated;
# the first encrypts, all decrypt. Rotate with `manage.py rotate_encryption_keys`.
# The development key below is published in the source: DEVELOPMENT ONLY, refused in production.
STAFFWELL_DEVELOPMENT_ENCRYPTION_KEY = "REVWRUxPUE1FTlQtT05MWS1zdGFmZndlbGwta2V5ISE="
STAFFWELL_ENCRYPTION_KEYS = env_list("STAFFWELL_ENCRYPTION_KEYS")
if not STAFFWELL_ENCRYPTION_KEYS:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "Set STAFFWELL_ENCRYPTION_KEYS (make a key with `manage.py generate_encryption_key`)."
        )
    STAFFWELL_ENCRYPTION_KEYS = [STAFFWELL_DEVELOPMENT_ENCRYPTION_KEY]

SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # lockout by account on purpose, see above

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Single sign-on (OpenID Connect, per organisation; docs/operations.md): allowed clock skew
# when checking an ID token's times.
STAFFWELL_SSO_CLOCK_LEEWAY_SECONDS = env_int("STAFFWELL_SSO_CLOCK_LEEWAY_SECONDS", 60)

# Multi-factor authentication for local-password sign-in of privileged roles (ADR 0013):
# organisations switch it on for their admins, leads, reps and editors; platform admins by this.
STAFFWELL_MFA_FOR_PLATFORM_ADMINS = env_bool("STAFFWELL_MFA_FOR_PLATFORM_ADMINS", not DEVELOPMENT)
OTP_TOTP_ISSUER = "staffwell"

# Passkeys (WebAuthn, ADR 0022, django-otp-webauthn). A passkey belongs to one site: the relying
# party id is the service's host name, and the browser's origin must be one of the origins
# below (both from STAFFWELL_BASE_URL unless set). Browsers refuse passkeys on a bare IP
# address, so in development http://127.0.0.1:8000 becomes http://localhost:8000 for passkeys.
_base = urlsplit(STAFFWELL_BASE_URL)
_passkey_host = "localhost" if (_base.hostname or "").replace(".", "").isdigit() else (_base.hostname or "localhost")
_passkey_origin = f"{_base.scheme}://{_passkey_host}" + (f":{_base.port}" if _base.port else "")
OTP_WEBAUTHN_RP_ID = env_str("STAFFWELL_PASSKEY_RP_ID", _passkey_host)
OTP_WEBAUTHN_RP_NAME = STAFFWELL_SERVICE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("STAFFWELL_PASSKEY_ORIGINS", _passkey_origin)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second step, never instead of the password
OTP_WEBAUTHN_HELPER_CLASS = "staffwell.accounts.passkeys.Helper"
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "staffwell.passkeys"
OTP_WEBAUTHN_TIMEOUT_SECONDS = 300
if not all(o.startswith(("https://", "http://localhost")) for o in OTP_WEBAUTHN_ALLOWED_ORIGINS):
    # Browsers offer passkeys only over HTTPS (or on localhost). On a plain-HTTP address the
    # passkey button says this browser cannot use one and people use the authenticator app:
    # that is no reason to stop every management command with the library's check.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "otp_webauthn.E031"]
