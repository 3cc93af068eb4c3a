"""Settings for Resistance Zone, read once from the environment.

Every deploy-time value comes from an environment variable (or a `.env` file
beside manage.py) through django-environ. Defaults are safe for production
(DEBUG off, secure cookies); the one-command demo (`make run`) and the tests
turn on only what they need. A value that production cannot do without and is
missing raises ImproperlyConfigured, so a typo stops the deploy instead of
running insecurely.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# Only the demo and the tests may run on the well-known development key.
_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (DEBUG is off).")
# The key of the hashes kept of opted-out and forgotten contacts
# (signups/contact_hash.py): its own variable, so rotating SECRET_KEY does
# not forget who asked never to be contacted again.
CONTACT_HASH_KEY = env("CONTACT_HASH_KEY", default="") or f"contact-hash:{SECRET_KEY}"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (DEBUG is off), e.g. zone.example.org.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # django.contrib.admin, with a site that insists on the second factor.
    "signups.admin_site.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # The unaccent lookup for admin search (zones.admin_search); harmless on
    # SQLite, where zones.apps supplies the function.
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "zones",
    "signups",
    "messaging",
    "trainings",
    "canvass",
    "response",
    # The task queue in PostgreSQL (or the demo's SQLite) that the worker
    # (manage.py db_worker) takes messages from.
    "django_tasks_db",
    # Last: it connects the generation signals the apps above declared.
    "pagecache",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads a form (the CSRF check does): a body in another
    # charset gets a short 400 here instead of a 500 deeper in.
    "signups.charset.RefuseUnreadableBodyMiddleware",
    # PostgreSQL away: the bilingual 503 page with Retry-After, not a 500.
    "signups.database_outage.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "signups.i18n.RememberLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's and django-otp's, with the user and device kept in the shared
    # cache under auth generations (signups.staff_identity).
    "signups.staff_identity.CachedAuthenticationMiddleware",
    # Staff pages outside the admin send visitors to our login, never to
    # the admin's secret address.
    "signups.admin_url.HideAdminLoginMiddleware",
    "signups.staff_identity.CachedOTPMiddleware",
    # Anyone logged in must pass a second factor before any other page.
    "signups.staff_auth.SecondFactorRequiredMiddleware",
    # Who is acting, for the audit log.
    "signups.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its bilingual page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "resistance_zone.urls"
WSGI_APPLICATION = "resistance_zone.wsgi.application"

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
                "signups.i18n.language_links",
            ],
        },
    },
]

# The embedded SQLite file is the demo default; PostgreSQL is production's
# and the tests' database (see `make test`).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# A worker keeps its database connection between requests: opening one
# costs PostgreSQL a process fork and more time than most of our pages take
# to render. The health check reopens one that died (a database restart).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that does not answer at all fails the request (the 503
# page, signups/database_outage.py) in seconds instead of holding a worker.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
# SQLite (the demo) has one writer at a time. A transaction that starts as
# a reader and then writes cannot wait for its turn and fails at once with
# "database is locked": two neighbors signing up together got a 500. Taking
# the write lock when the transaction begins, and waiting up to 20 s for
# it, makes them queue instead.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every gunicorn worker: rate limits must not live in one
# process's memory. The database cache needs no extra service; production
# may point CACHE_URL at Redis (redis://127.0.0.1:6379/0).
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://rz_cache")}
# django-environ 0.14 lower-cases every query option for Django's RedisCache,
# its base ones too, and Django reads KEY_PREFIX, VERSION and KEY_FUNCTION
# only in capitals: `redis://…/0?key_prefix=zone-a` would be dropped without
# a word, and two sites sharing one Redis would share their rate limits.
for _option in ("key_prefix", "version", "key_function"):
    if _option in CACHES["default"]:
        CACHES["default"][_option.upper()] = CACHES["default"].pop(_option)
# The database cache keeps 300 entries by default and then deletes a third
# of them, sessions and rate-limit counts included: far too few once pages
# are cached too.
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
# Redis is an optimization the site can lose (pagecache/resilient_cache.py):
# each call gives up after CACHE_SOCKET_TIMEOUT seconds, and a process that
# saw one fail goes without Redis for CACHE_RETRY_SECONDS at a time. Meanwhile
# "default" (the rate limits) counts in the database cache table, which every
# host shares as it shares Redis; "best_effort" (cached pages, the session
# cache) misses, so pages are rendered fresh and sessions read from their
# table. Without Redis both aliases are the database cache.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.25)
CACHE_RETRY_SECONDS = env.float("CACHE_RETRY_SECONDS", default=3)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    _redis = {**CACHES["default"], "BACKEND": "pagecache.resilient_cache.ResilientRedisCache"}
    _redis["OPTIONS"] = {
        "socket_timeout": CACHE_SOCKET_TIMEOUT,
        "RETRY_SECONDS": CACHE_RETRY_SECONDS,
        **_redis.get("OPTIONS", {}),
    }
    CACHES = {
        "default": {**_redis, "OPTIONS": {**_redis["OPTIONS"], "FALLBACK": "database"}},
        "best_effort": _redis,
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rz_cache",
            "KEY_PREFIX": _redis.get("KEY_PREFIX", ""),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
    }
else:
    CACHES["best_effort"] = CACHES["default"]

# django-axes first: it refuses a locked-out user or address before the
# password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our Spanish writes 12-hour times ("6:30 p. m."), as this audience reads them.
FORMAT_MODULE_PATH = ["formats"]
USE_I18N = True
TIME_ZONE = "America/New_York"
USE_TZ = True
# The language chosen by URL is remembered in a cookie, so `/` sends a
# returning neighbor back to the language they last used.
LANGUAGE_COOKIE_NAME = "rz_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files: vendored only, served by whitenoise ---------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- The task queue: messages leave from a worker, never from a request ---
# django.tasks with django-tasks-db: tasks are rows in the one database, so
# workers on several hosts share the queue (each row is claimed with
# SELECT ... FOR UPDATE SKIP LOCKED) and nothing else needs running.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    },
}

# --- Messages (messaging; README "Messages", docs/messages.md) -------------
# Texts and WhatsApp: twilio://ACCOUNT_SID:AUTH_TOKEN@MESSAGING_SERVICE_SID
# (?api=http://127.0.0.1:PORT points the client at a stand-in, for tests),
# console:// prints them without the number (the demo), memory:// keeps
# them in a list (unit tests). Unset without DEBUG, texts fail with
# "no provider" and `manage.py check --deploy` warns (messaging.checks).
SMS_URL = env("SMS_URL", default="console://" if DEBUG else "")
# The provider's limit, per worker process (divide by the number of workers).
SMS_RATE_PER_SECOND = env.float("SMS_RATE_PER_SECOND", default=50.0)
# Messages handed to the provider at once by one worker (threads).
SMS_CONCURRENCY = env.int("SMS_CONCURRENCY", default=8)
# WhatsApp messages we start use pre-approved Content templates:
# WHATSAPP_TEMPLATES=reminder=HX...,news=HX...,urgent=HX...,transactional=HX...
WHATSAPP_TEMPLATES = env.dict("WHATSAPP_TEMPLATES", default={})
# News and reminders wait through these hours (local time); urgent alerts
# (which only people who agreed to them get) and messages people asked for
# do not.
QUIET_HOURS = env("QUIET_HOURS", default="21:00-09:00")
QUIET_HOURS_TIME_ZONE = env("QUIET_HOURS_TIME_ZONE", default="America/New_York")
# Days a message's text is kept before it is blanked (manage.py purge_personal_data).
MESSAGE_BODY_DAYS = env.int("MESSAGE_BODY_DAYS", default=30)
# A message a worker took and did not finish in this many seconds is looked
# up at the provider (sent, or queued again); one handed to a task that did
# not take it in MESSAGE_REQUEUE_SECONDS is handed again (a killed worker).
MESSAGE_SENDING_TIMEOUT = env.int("MESSAGE_SENDING_TIMEOUT", default=120)
MESSAGE_REQUEUE_SECONDS = env.int("MESSAGE_REQUEUE_SECONDS", default=900)
MESSAGE_RECOVER_INTERVAL = env.float("MESSAGE_RECOVER_INTERVAL", default=60.0)
# First pause when the provider throttles (429) or is away; doubled each try.
SMS_BACKOFF_SECONDS = env.float("SMS_BACKOFF_SECONDS", default=1.0)
# Optional mailto: for List-Unsubscribe, beside the one-click https link.
UNSUBSCRIBE_MAILTO = env("UNSUBSCRIBE_MAILTO", default="")

# --- Email: console by default, SMTP from EMAIL_URL -------------------------
# EMAIL_URL keeps django-environ's convention; Django 6.1 takes it as the
# default entry of MAILERS (its EMAIL_* settings are deprecated).
# Without DEBUG, EMAIL_URL is required: the console backend would print
# people's emails, training addresses and secret links into the server log.
_email_url = env("EMAIL_URL", default="consolemail://" if DEBUG else "")
if not _email_url:
    raise ImproperlyConfigured(
        "Set EMAIL_URL (DEBUG is off), e.g. smtp+tls://user:password@mail.example.org:587."
    )
_email = env.email_url_config(_email_url)
_MAILER_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_FILE_PATH": "file_path",
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key]
            for key, option in _MAILER_OPTIONS.items()
            if _email.get(key) not in (None, "")
        },
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    # A mail server that hangs must not hold a reminder run forever.
    MAILERS["default"]["OPTIONS"]["timeout"] = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Resistance Zone <no-reply@localhost>")
# Where the site lives, for links in emails (reminders, "a seat opened up"),
# which have no request to build them from.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- The project's own settings ---------------------------------------------
# House numbers are used to find the block and then dropped, unless the
# organization decides it must keep them.
KEEP_STREET_ADDRESSES = env.bool("KEEP_STREET_ADDRESSES", default=False)
# Map tiles come only from a server the organization chooses; with none the
# map draws the blocks on a plain background.
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
ADMIN_URL = env("ADMIN_URL", default="admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured("ADMIN_URL must look like 'admin/' (no leading slash, trailing slash).")
# Wording version stored with each consent; bump it when the consent text changes.
CONSENT_VERSION = "2026-11"
# Days after a session ends before its check-ins keep only who attended
# (manage.py shred_attendance); a year leaves time for any follow-up.
ATTENDANCE_DETAIL_DAYS = env.int("ATTENDANCE_DETAIL_DAYS", default=365)
if ATTENDANCE_DETAIL_DAYS < 1:
    raise ImproperlyConfigured("ATTENDANCE_DETAIL_DAYS must be at least 1.")
# Canvassing (canvass app): a block a team claimed goes back to everyone this
# many hours after its last tally; a block paused for safety comes back by
# itself after BLOCK_PAUSE_HOURS unless an organizer lifts the pause sooner.
CANVASS_CLAIM_HOURS = env.int("CANVASS_CLAIM_HOURS", default=4)
BLOCK_PAUSE_HOURS = env.int("BLOCK_PAUSE_HOURS", default=24)
if CANVASS_CLAIM_HOURS < 1 or BLOCK_PAUSE_HOURS < 1:
    raise ImproperlyConfigured("CANVASS_CLAIM_HOURS and BLOCK_PAUSE_HOURS must be at least 1.")

# Importing a list (signups.importing): the largest file and the most rows
# one upload may hold. Files past 2.5 MB are streamed to a temporary file by
# Django, never held in memory; form bodies stay at Django's 2.5 MB.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10_000_000)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# --- Staff sign-in: second factor and lockout ---------------------------------
# Sessions are read from the shared cache and written through to the
# database: a trainer's every tap reads its session, and a Redis restart
# must not sign every organizer out. Django's cached_db, reading a staff
# session with the identity it names in one round trip (signups.sessions).
SESSION_ENGINE = "signups.sessions"
# Without Redis the session cache misses and each session is read from its
# table; a session write Redis missed is deleted from it when it answers
# again, so a logout made meanwhile holds (pagecache/resilient_cache.py).
SESSION_CACHE_ALIAS = "best_effort"
# Staff sessions last one working day at most, and end with the browser.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The name shown in authenticator apps next to the code.
OTP_TOTP_ISSUER = env("OTP_ISSUER", default="Resistance Zone")
# Lock a username, and separately an address, after five failed logins in an
# hour. The database handler keeps the count in PostgreSQL, so every gunicorn
# worker (and every host) sees the same lockout, and it never reads the
# cache: Redis going away changes nothing, and without PostgreSQL a login
# is refused (the 503 page), never let through.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "signups.rate_limits.client_ip"
# Failed attempts are kept for the lockout only: no user agent, no path
# beyond what axes needs.
AXES_VERBOSE = False
# How many reverse proxies (nginx, a load balancer) stand in front of
# gunicorn and append to X-Forwarded-For. 0: trust only the socket address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Public forms: rate limit and bot traps ------------------------------------
# Per form, in a fixed window of RATE_LIMIT_WINDOW seconds from the first
# post, counted in the shared cache (signups.rate_limits.rate_limit_check):
# per address, posts not accepted and posts in all (a sign-up table on one
# Wi-Fi is many accepted posts); per phone or email, posts naming it.
RATE_LIMIT_POSTS = env.int("RATE_LIMIT_POSTS", default=30)
RATE_LIMIT_SUCCESSFUL_POSTS = env.int("RATE_LIMIT_SUCCESSFUL_POSTS", default=200)
RATE_LIMIT_CONTACT_POSTS = env.int("RATE_LIMIT_CONTACT_POSTS", default=10)
RATE_LIMIT_WINDOW = env.int("RATE_LIMIT_WINDOW", default=600)
# A person needs more than this to fill a form; a script does not.
FORM_MIN_FILL_SECONDS = env.int("FORM_MIN_FILL_SECONDS", default=3)

# --- Security ----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _tile_source(url):
    """The scheme and host of MAP_TILE_URL, the one outside host pages may
    load from (the organization's own choice of tile server)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not (parts.scheme in ("http", "https") and parts.netloc):
        return []
    # "{s}.tile.example.org" names rotating subdomains: allow them all.
    return [f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"]


# Django's own Content-Security-Policy: scripts, styles, fonts only from our
# static files, never inline; nothing may frame us; forms post only to us.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *_tile_source(MAP_TILE_URL)],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- Logging: never personal data ---------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Defense in depth: no code of ours logs personal data (a test proves
    # it), and this filter blanks any email or phone number that slips in
    # through a library's message.
    # Django logs each 4xx with its path, which may hold a registration's
    # secret token: that part is cut out too.
    "filters": {
        "scrub_personal_data": {"()": "signups.protection.ScrubPersonalData"},
        "redact_secret_paths": {"()": "signups.log_redaction.RedactSecretPaths"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["scrub_personal_data", "redact_secret_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # twilio's client logs each request's parameters (To, Body) at INFO.
        "twilio": {"level": "WARNING"},
        # Django's default logging gives these their own handlers (a console
        # one that writes when DEBUG is on, mail to ADMINS), which skip the
        # filters above: with DEBUG on, `make run` printed "Not Found:
        # /es/me/<token>/" whole. Here they only pass records up to root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# Rapid response (response app, README "Rapid response").
RAPID_VERIFY_FANOUT = env.int("RAPID_VERIFY_FANOUT", default=5)
RAPID_VERIFIERS = env.int("RAPID_VERIFIERS", default=2)
RAPID_ALERT_RADIUS_BLOCKS = env.int("RAPID_ALERT_RADIUS_BLOCKS", default=3)
RAPID_ALERT_TTL_MINUTES = env.int("RAPID_ALERT_TTL_MINUTES", default=30)
RAPID_DETAIL_DAYS = env.int("RAPID_DETAIL_DAYS", default=30)
if min(RAPID_VERIFY_FANOUT, RAPID_VERIFIERS, RAPID_ALERT_RADIUS_BLOCKS, RAPID_ALERT_TTL_MINUTES, RAPID_DETAIL_DAYS) < 1:
    raise ImproperlyConfigured("The RAPID_* settings must each be at least 1.")
