"""Settings shared by every environment. Everything that differs comes from the environment."""

from typing import Any

from config.env import BASE_DIR, DATA_DIR, env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.contrib.settings",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_htmx",
    "tolpuddle.core",
    "tolpuddle.members",
    "tolpuddle.ballot_law",
    "tolpuddle.backoffice",
    "tolpuddle.disputes",
    "tolpuddle.voting",
    "tolpuddle.turnout",
    "tolpuddle.action",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tolpuddle.core.middleware.StaffMultiFactorMiddleware",
]

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tolpuddle.core.context_processors.site",
            ],
        },
    },
]


def database_from_env() -> dict[str, Any]:
    """DATABASE_URL, SQLite in the data folder by default; SQLite runs in WAL mode."""
    default_url = f"sqlite:///{DATA_DIR / 'tolpuddle.sqlite3'}"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = env.db_url("DATABASE_URL", default=default_url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # Writers take the lock when their transaction starts, so concurrent
            # services queue rather than fail half-way with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
            ),
        }
    else:
        config.setdefault("CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# Argon2 first (what new and changed passwords are stored with); the others only
# to read passwords stored before it, which are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTHENTICATION_BACKENDS = [
    # Email and password, with allauth's rate limits, verification and MFA.
    "allauth.account.auth_backends.AuthenticationBackend",
    # Permissions that come from the positions a member holds (see the module).
    "tolpuddle.members.permissions.PositionPermissionBackend",
]
ACCOUNT_ADAPTER = "tolpuddle.core.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = {
    # Per IP address and per email address typed ("key"), as the issue asks of
    # sign-in; the join form uses the same machinery (tolpuddle.members.views).
    "login_failed": "10/m/ip,5/5m/key",
    "join": "10/h/ip,3/h/key",
}
# Where the per-IP limits (allauth's and /join/'s, both through allauth's adapter)
# find the client's address. 0 proxies: REMOTE_ADDR, and X-Forwarded-For is ignored
# (anyone can send it). Behind N proxies of our own, the Nth address from the right
# of X-Forwarded-For; or a header a trusted proxy sets (X-Real-IP, CF-Connecting-IP).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER: str | None = (
    env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
)
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("TOLPUDDLE_UNION_NAME", default="Tolpuddle")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool(
    "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False
)

WAGTAIL_SITE_NAME = env.str("TOLPUDDLE_UNION_NAME", default="Tolpuddle")
WAGTAILADMIN_BASE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # allauth manages passwords
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Some indexes carry the row id (INCLUDE) on PostgreSQL; SQLite's carry it anyway.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no staff email addresses sent to gravatar.com
WAGTAILADMIN_HELP_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"

# One process: memory is enough. Several web workers must share rate limits and
# the cached counts: CACHE_URL=dbcache://tolpuddle_cache (after
# ``tolpuddle createcachetable``) or a Redis URL.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Tolpuddle <noreply@localhost>"
)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

TOLPUDDLE_UNION_NAME = env.str("TOLPUDDLE_UNION_NAME", default="Tolpuddle")
# The address members reach the site at, for links in emails.
TOLPUDDLE_SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},  # the SMTP sink in tests (aiosmtpd)
        "weasyprint.progress": {"level": "WARNING"},  # "Step 1 - ..." a PDF
    },
}
