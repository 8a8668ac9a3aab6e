"""One settings module for every environment, driven by environment variables.

Development (`make run`) needs no services: SQLite and Celery's filesystem broker under
`var/`, mail to the console. Production, CI and `make test` set DATABASE_URL and
CELERY_BROKER_URL (PostgreSQL and Redis); production also sets DJANGO_DEBUG=false.
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("CLINIC_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

# --- Mode and secrets -------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_FILE = VAR_DIR / "dev-secret-key"


def _development_secret_key() -> str:
    """A per-checkout secret generated on first run, kept out of git under var/."""
    if not _DEV_SECRET_FILE.exists():
        _DEV_SECRET_FILE.write_text(secrets.token_urlsafe(50))
        _DEV_SECRET_FILE.chmod(0o600)
    return _DEV_SECRET_FILE.read_text().strip()


def _required(name: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG=false (production mode). "
            f"See the configuration table in README.md."
        )
    return value


if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = _required("SECRET_KEY")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be a random value of at least 50 characters in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies in front of the app (nginx = 1). Client addresses for rate limits and the
# audit trail then come from X-Forwarded-For as the nearest proxy wrote it.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)

# --- Applications -----------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "clinic.apps.ClinicStaticFilesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "health_check",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "clinic",
    "intake",
    "plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # request.htmx, before the clinic's middleware that answers htmx requests with HX-Redirect.
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinic.middleware.SessionLimitsMiddleware",
    "clinic.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "clinic.middleware.NoStoreForPatientDataMiddleware",
    "clinic.middleware.AuditDeniedObjectAccessMiddleware",
    # Last, as django-axes asks: it turns a lockout during authenticate() into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "clinic.context_processors.clinic",
            ],
        },
    },
]
# Widgets (every <input>, <select> and <option>) render through Jinja2: the evaluation editor
# and the plan editor draw 200+ widgets, and Django's template engine spent most of their time
# there (bench/results/2026-11-27.md). Pages and crispy-forms stay on Django templates; the
# admin's widgets, which have no Jinja2 template, fall back to them (clinic/form_renderer.py).
FORM_RENDERER = "clinic.form_renderer.Jinja2WithFallback"

# --- Data -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'clinic.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # make run: web, worker and beat share one SQLite file. Writers take turns and wait for
    # each other (timeout, seconds) instead of failing with "database is locked":
    # - IMMEDIATE: each transaction takes the write lock when it begins. A DEFERRED one that
    #   read first (every request does: ATOMIC_REQUESTS, and audited reads write) cannot wait
    #   for the lock when it comes to write, and fails at once. Requests thus run one at a
    #   time, in milliseconds (clinic/tests/test_sqlite_concurrency.py measures a burst).
    # - WAL: reads outside a transaction (the worker's, beat's) never wait for the writer,
    #   and a commit is one append to the log. synchronous=FULL keeps a commit through a
    #   power cut (NORMAL could lose the last ones: not for health records).
    for _option, _value in {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
    }.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(_option, _value)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
}

MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {
        # In MEDIA_ROOT (FileSystemStorage's default, which follows the setting: tests move it).
        # Patient files are never served from a public URL: only authorised views stream them.
        "BACKEND": "django.core.files.storage.FileSystemStorage",
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG  # development serves straight from static/
# Only our own folders: static/node_modules (npm's install tree) is not served or collected,
# and WhiteNoise would otherwise scan its thousands of files for every new test client.
STATICFILES_DIRS = [(name, BASE_DIR / "static" / name) for name in ("css", "js", "vendor")]

# --- Accounts ---------------------------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "clinic:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour: reset links are sent by mail
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address before the password
    # is checked.
    "axes.backends.AxesStandaloneBackend",
    "clinic.backends.CachedModelBackend",  # ModelBackend, permissions cached
]
# Two-factor login (TOTP, django-otp): required for clinicians and clinic admins in production
# (and for anyone who has enrolled). Development and the test suite leave it optional.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
TWO_FACTOR_REQUIRED_ROLES = ("Clinician", "Clinic admin")
OTP_TOTP_ISSUER = env.str("CLINIC_NAME", default="Runner PT Clinic")
OTP_TOTP_THROTTLE_FACTOR = 1  # wrong codes: wait 1, 2, 4, 8 ... seconds before the next try
RECOVERY_CODE_COUNT = 10
# Sessions: a new key at login and after the second factor; logged off after SESSION_IDLE
# seconds without a request the user made (a warning shows in the page a little before),
# and after SESSION_COOKIE_AGE whatever the activity.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=15 * 60)
SESSION_IDLE_WARNING_SECONDS = 2 * 60
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_ENGINE = "clinic.session_store"  # database sessions that know their user's id
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Mail -------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Runner PT Clinic <clinic@localhost>")

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "clinic.tasks.worker_heartbeat_task",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
}
CELERY_BEAT_SCHEDULE["plan-pdf-sweep"] = {
    "task": "plans.tasks.render_jobs_sweep_task",
    "schedule": 60.0,
    "options": {"expires": 55},
}
CELERY_BEAT_SCHEDULE["discovery-call-reminders"] = {
    "task": "intake.tasks.discovery_call_reminders_task",
    "schedule": 300.0,
    "options": {"expires": 290},
}
CELERY_BEAT_SCHEDULE["visit-reminders"] = {
    "task": "intake.tasks.visit_reminders_task",
    "schedule": 300.0,
    "options": {"expires": 290},
}
# The audit trail's hash chain: new rows are linked in about a minute (clinic.audit).
CELERY_BEAT_SCHEDULE["audit-seal"] = {
    "task": "clinic.tasks.audit_seal_task",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# Expired sessions are deleted hourly (nothing else would remove them).
CELERY_BEAT_SCHEDULE["sessions-clear"] = {
    "task": "clinic.tasks.sessions_clear_task",
    "schedule": 3600.0,
    "options": {"expires": 3500},
}
# Reminders to patients who opted in and logged nothing for REMINDER_AFTER_DAYS days.
REMINDER_AFTER_DAYS = env.int("REMINDER_AFTER_DAYS", default=3)
CELERY_BEAT_SCHEDULE["log-reminders"] = {
    "task": "plans.tasks.log_reminders_task",
    "schedule": 3600.0,
    "options": {"expires": 3500},
}
# The worker heartbeat counts as stale (health check fails) after this many seconds.
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=120)

# --- Clinic -----------------------------------------------------------------------------
CLINIC_NAME = env.str("CLINIC_NAME", default="Runner PT Clinic")
# Shown wherever the app tells someone to call or write (a red flag, a locked link, the PDF).
# The default is a fictional number (555-0100 to 555-0199 are reserved for fiction).
CLINIC_PHONE = env.str("CLINIC_PHONE", default="(206) 555-0142")
CLINIC_EMAIL = env.str("CLINIC_EMAIL", default="hello@runner-pt.example")
TIME_ZONE = env.str("CLINIC_TIME_ZONE", default="America/Los_Angeles")
USE_TZ = True
LANGUAGE_CODE = "en-us"
USE_I18N = True
DISTANCE_UNIT = env.str("CLINIC_DISTANCE_UNIT", default="mi")
if DISTANCE_UNIT not in {"mi", "km"}:
    raise ImproperlyConfigured("CLINIC_DISTANCE_UNIT must be 'mi' or 'km'.")
# Absolute address of the app, for links made outside a request (the QR code on a PDF).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
PLAN_PAGE_SIZE = env.str("PLAN_PAGE_SIZE", default="letter")  # or "a4"
PLAN_LINK_DAYS = env.int("PLAN_LINK_DAYS", default=30)
# Emergency ("break the glass") access to a record outside the care team lasts this long.
EMERGENCY_ACCESS_HOURS = env.int("EMERGENCY_ACCESS_HOURS", default=4)
# Render jobs stuck this long in "queued" or "rendering" are enqueued again by the sweep.
RENDER_SWEEP_AFTER_SECONDS = env.int("RENDER_SWEEP_AFTER_SECONDS", default=120)
RENDER_MAX_ATTEMPTS = env.int("RENDER_MAX_ATTEMPTS", default=3)
PHONENUMBER_DEFAULT_REGION = env.str("PHONENUMBER_DEFAULT_REGION", default="US")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ---------------------------------------------------------------------------
# Staff login and the patient date-of-birth check: django-axes counts failures per username
# (or link) and client address together, so one attacker cannot lock the whole clinic out,
# and the address is the one the nearest trusted proxy saw (a forged X-Forwarded-For entry
# changes nothing). Locks lift after AXES_COOLOFF_TIME or when a clinic admin removes them.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "clinic.audit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # the audit trail records logins; axes keeps only failures

# Content-Security-Policy (django-csp): scripts only from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Bootstrap and a few templates set style attributes; no script can run from them.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)  # one year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Logging: no request bodies, no patient data; errors go to stderr -------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "clinic.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's request logger prints the URL only; never the body or the POST data.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "INFO"},
        "health_check": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The audit chain's head, logged at each seal, is the anchor audit_verify --head
        # checks against: kept whatever LOG_LEVEL says.
        "clinic.audit": {"level": "INFO"},
    },
}
