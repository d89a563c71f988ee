"""The one settings module. Everything that differs between machines comes from the environment.

Embedded default (nothing set): SQLite in WAL mode under GLOBALDIALOGUE_DATA_DIR (./var/), the
local-memory cache and channel layer, and the database task backend. Production: DATABASE_URL
(PostgreSQL) and REDIS_URL (cache, rate limits, channel layer, RQ task queue).
"""

import json
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from globaldialogue.lib.channel_layer import redis_layer
from globaldialogue.lib.env import (
    DATA_DIR_VARIABLE,
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_secret,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str(DATA_DIR_VARIABLE, "var")).resolve()

DEBUG = env_bool("GLOBALDIALOGUE_DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", fallback_file=DATA_DIR / "secret_key" if DEBUG else None)
# What the small changes to published counts are drawn from (results/disclosure.py). Kept
# apart from SECRET_KEY, which may be rotated: a new one here redraws every change, and
# averaging figures published under two draws narrows the noise (docs/disclosure.md).
DISCLOSURE_SECRET = env_str("GLOBALDIALOGUE_DISCLOSURE_SECRET", "") or SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # Plain HTTP is sent to HTTPS, and browsers told to use nothing else for a year;
    # the health check stays reachable over HTTP for load balancers.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env_int("GLOBALDIALOGUE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_REFERRER_POLICY = "same-origin"  # links out do not carry tokens or signed ids
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
# Sign-in attempts to the back office, per network and per user name (COUNT/SECONDS).
RATE_LOGIN_PER_IP = env_rate("GLOBALDIALOGUE_RATE_LOGIN_IP", "20/300")
RATE_LOGIN_PER_USER = env_rate("GLOBALDIALOGUE_RATE_LOGIN_USER", "5/300")
# A code from an authenticator app after the password, for everyone in the back office;
# off only in the demo (debug), where it may still be set up per account.
REQUIRE_TWO_FACTOR = env_bool("GLOBALDIALOGUE_REQUIRE_TWO_FACTOR", not DEBUG)
OTP_TOTP_ISSUER = "Global Dialogue"

INSTALLED_APPS = [
    "globaldialogue.web",  # first: its admin/base_site.html is the back office's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its API docs page served from our static files, not a CDN (and within the CSP)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "globaldialogue.audit",
    "globaldialogue.operations",
    "globaldialogue.consultations",
    "globaldialogue.accounts",
    "globaldialogue.surveys",
    "globaldialogue.results",
    "globaldialogue.paper",
    "globaldialogue.messaging",
    "globaldialogue.deliberation",
    "globaldialogue.dialogues",
]

# Django's own, with hooks on the event loop (lib/middleware.py): a page is one thread hop.
MIDDLEWARE = [
    "globaldialogue.lib.middleware.SecurityMiddleware",
    "globaldialogue.web.csp.csp_middleware",
    "globaldialogue.lib.staticfiles.StaticFilesMiddleware",
    "globaldialogue.lib.middleware.GZipMiddleware",
    "globaldialogue.lib.middleware.SessionMiddleware",
    "globaldialogue.lib.middleware.LocaleMiddleware",
    "globaldialogue.lib.middleware.CommonMiddleware",
    "globaldialogue.lib.middleware.CsrfViewMiddleware",
    "globaldialogue.lib.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "globaldialogue.audit.middleware.actor_middleware",
    "globaldialogue.lib.middleware.MessageMiddleware",
    "globaldialogue.lib.middleware.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "globaldialogue.urls"
ASGI_APPLICATION = "globaldialogue.asgi.application"
WSGI_APPLICATION = "globaldialogue.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "globaldialogue.web.csp.csp_nonce",
            ],
        },
    }
]

# --- storage ---------------------------------------------------------------------------------

SQLITE_PATH = DATA_DIR / "globaldialogue.sqlite3"
# FULL: a commit is on disk before we answer, so a 2xx survives a power cut, not only a crash.
SQLITE_SYNCHRONOUS = env_str("GLOBALDIALOGUE_SQLITE_SYNCHRONOUS", "FULL").upper()
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the lock when the transaction starts, so concurrent writers queue
        # (up to the timeout) instead of failing halfway with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            f"PRAGMA synchronous={SQLITE_SYNCHRONOUS};"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    # A file, not memory, so tests can start real server processes on the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    # Django's psycopg pool: one pool per process, shared by the threads of an ASGI server.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env_int("GLOBALDIALOGUE_DB_POOL_SIZE", 20, minimum=1),
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("GLOBALDIALOGUE_CACHE_PREFIX", "gd"),
        }
    }
    CHANNEL_LAYERS = {"default": redis_layer(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# database (embedded), rq (production, needs REDIS_URL) or immediate (runs in the request).
TASKS_BACKEND = env_str("GLOBALDIALOGUE_TASKS", "rq" if REDIS_URL else "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

# --- languages ---------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
# The six UN languages have interface translations; survey content may use any language.
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- static files --------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "globaldialogue.lib.staticfiles.ChangedFilesCompressedStorage"},
}
# `serve` collects and pre-compresses; finders keep `make test` and fresh checkouts working.
WHITENOISE_USE_FINDERS = True

# --- intake limits -------------------------------------------------------------------------

# A batch of 1,000 responses with free text stays well under this.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("GLOBALDIALOGUE_MAX_BODY_BYTES", 4 * 1024 * 1024)
SINGLE_RESPONSE_MAX_BYTES = env_int("GLOBALDIALOGUE_MAX_RESPONSE_BYTES", 64 * 1024)
BATCH_MAX_ITEMS = 1000
# Generous per IP: whole schools and mobile carriers share one address.
RATE_SUBMIT_PER_IP = env_rate("GLOBALDIALOGUE_RATE_SUBMIT_IP", "300/60")
RATE_BATCH_PER_KEY = env_rate("GLOBALDIALOGUE_RATE_BATCH_KEY", "600/60")
# An enumerator's phone sends the day's forms one after another when back in coverage.
RATE_ODK_PER_KEY = env_rate("GLOBALDIALOGUE_RATE_ODK_KEY", "600/60")
# A RapidPro flow calls its webhook once per run, as fast as its contacts finish.
RATE_RAPIDPRO_PER_KEY = env_rate("GLOBALDIALOGUE_RATE_RAPIDPRO_KEY", "6000/60")
RATE_VOTE_PER_IP = env_rate("GLOBALDIALOGUE_RATE_VOTE_IP", "1200/60")
# Dialogue sign-ups per network and per email address (COUNT/SECONDS); a place given with an
# address lapses unless confirmed within REGISTRATION_LAPSE_HOURS; addresses are erased
# REGISTRANT_EMAIL_DAYS after the event ends.
RATE_REGISTER_PER_IP = env_rate("GLOBALDIALOGUE_RATE_REGISTER_IP", "30/3600")
RATE_REGISTER_PER_EMAIL = env_rate("GLOBALDIALOGUE_RATE_REGISTER_EMAIL", "3/86400")
REGISTRATION_LAPSE_HOURS = env_int("GLOBALDIALOGUE_REGISTRATION_LAPSE_HOURS", 24, minimum=1)
REGISTRANT_EMAIL_DAYS = env_int("GLOBALDIALOGUE_REGISTRANT_EMAIL_DAYS", 90, minimum=0)
# Attempts to withdraw a response by its receipt code, per network: guessing is pointless.
RATE_WITHDRAW_PER_IP = env_rate("GLOBALDIALOGUE_RATE_WITHDRAW_IP", "20/3600")

# --- video rooms -------------------------------------------------------------------------------
# STUN/TURN servers for the rooms, as the browser's RTCIceServer list (JSON), e.g.
# [{"urls": "stun:stun.example.org:3478"}]: given to every participant as they are.
ROOM_ICE_SERVERS = json.loads(env_str("GLOBALDIALOGUE_ICE_SERVERS", "[]"))
# A TURN server of our own (coturn, deploy/coturn/): its turn:/turns: URLs, comma-separated,
# and its static-auth-secret. Each room join gets credentials valid TURN_CREDENTIAL_HOURS
# (coturn's REST-API form) and STUN on the same server. Without TURN only peers that reach
# each other directly (the same network, or this machine) connect.
TURN_URLS = env_list("GLOBALDIALOGUE_TURN_URLS", [])
TURN_SECRET = env_str("GLOBALDIALOGUE_TURN_SECRET")
TURN_CREDENTIAL_HOURS = env_int("GLOBALDIALOGUE_TURN_CREDENTIAL_HOURS", 6, minimum=1)
# "relay": media always goes through TURN, so participants never learn each other's network
# addresses (needs TURN); "all": direct when possible.
ICE_TRANSPORT_POLICY = env_str("GLOBALDIALOGUE_ICE_TRANSPORT_POLICY", "all")
# A participant whose uplink carries less than this (kbit/s), or loses a fifth of its packets,
# for 15 s switches to audio only by itself (room.js); 0 turns that off.
ROOM_AUDIO_ONLY_BELOW_KBPS = env_int("GLOBALDIALOGUE_ROOM_AUDIO_ONLY_BELOW_KBPS", 100)
if ICE_TRANSPORT_POLICY not in ("all", "relay"):
    raise ImproperlyConfigured("GLOBALDIALOGUE_ICE_TRANSPORT_POLICY is all or relay")
if TURN_URLS and not TURN_SECRET:
    raise ImproperlyConfigured("GLOBALDIALOGUE_TURN_URLS needs GLOBALDIALOGUE_TURN_SECRET")
if ICE_TRANSPORT_POLICY == "relay" and not TURN_URLS:
    raise ImproperlyConfigured("GLOBALDIALOGUE_ICE_TRANSPORT_POLICY=relay needs TURN_URLS")
# Where a room's audio and video travel, for events that do not choose (each event can, in
# the back office): "mesh" (peer to peer, groups of up to 6, nothing else to run), "janus"
# (a Janus server of our own forwards the media; groups up to 12) or "livekit" (a LiveKit
# server; groups up to 12). Janus needs JANUS_URL (given to browsers: https://.../janus),
# JANUS_API_URL when we reach it at another address (default: JANUS_URL), and the three
# secrets of deploy/janus/: its token_auth_secret, the video-room admin_key and the password
# of its event handler. LiveKit needs LIVEKIT_URL (wss://, given to browsers),
# LIVEKIT_API_KEY and LIVEKIT_API_SECRET, and LIVEKIT_API_URL (default: LIVEKIT_URL).
ROOM_MEDIA = env_str("GLOBALDIALOGUE_ROOM_MEDIA", "mesh")
JANUS_URL = env_str("GLOBALDIALOGUE_JANUS_URL")
JANUS_API_URL = env_str("GLOBALDIALOGUE_JANUS_API_URL") or JANUS_URL
JANUS_TOKEN_SECRET = env_str("GLOBALDIALOGUE_JANUS_TOKEN_SECRET")
JANUS_ADMIN_KEY = env_str("GLOBALDIALOGUE_JANUS_ADMIN_KEY")
JANUS_EVENTS_SECRET = env_str("GLOBALDIALOGUE_JANUS_EVENTS_SECRET")
LIVEKIT_URL = env_str("LIVEKIT_URL")
LIVEKIT_API_URL = env_str("LIVEKIT_API_URL") or LIVEKIT_URL
LIVEKIT_API_KEY = env_str("LIVEKIT_API_KEY")
LIVEKIT_API_SECRET = env_str("LIVEKIT_API_SECRET")
if ROOM_MEDIA not in ("mesh", "janus", "livekit"):
    raise ImproperlyConfigured("GLOBALDIALOGUE_ROOM_MEDIA is mesh, janus or livekit")
if ROOM_MEDIA == "livekit" and not (LIVEKIT_URL and LIVEKIT_API_KEY and LIVEKIT_API_SECRET):
    raise ImproperlyConfigured("the LiveKit provider needs LIVEKIT_URL, _API_KEY and _API_SECRET")
if ROOM_MEDIA == "janus" and not (JANUS_URL and JANUS_TOKEN_SECRET and JANUS_ADMIN_KEY):
    raise ImproperlyConfigured(
        "the Janus provider needs GLOBALDIALOGUE_JANUS_URL, _JANUS_TOKEN_SECRET and _ADMIN_KEY"
    )
# --- machine translation (off by default; docs/translation.md) ----------------------------------
# "libretranslate" (URL of a LibreTranslate server, KEY its api_key if it asks for one) or
# "deepl" (KEY the DeepL auth key; URL https://api-free.deepl.com on a free plan). What a
# machine translates is labelled as such until a translator reviews it.
MACHINE_TRANSLATION = env_str("GLOBALDIALOGUE_MACHINE_TRANSLATION")
MACHINE_TRANSLATION_URL = env_str("GLOBALDIALOGUE_MACHINE_TRANSLATION_URL")
MACHINE_TRANSLATION_KEY = env_str("GLOBALDIALOGUE_MACHINE_TRANSLATION_KEY")
if MACHINE_TRANSLATION not in ("", "libretranslate", "deepl"):
    raise ImproperlyConfigured("GLOBALDIALOGUE_MACHINE_TRANSLATION is libretranslate or deepl")
if MACHINE_TRANSLATION == "libretranslate" and not MACHINE_TRANSLATION_URL:
    raise ImproperlyConfigured("LibreTranslate needs GLOBALDIALOGUE_MACHINE_TRANSLATION_URL")
if MACHINE_TRANSLATION == "deepl" and not MACHINE_TRANSLATION_KEY:
    raise ImproperlyConfigured("DeepL needs GLOBALDIALOGUE_MACHINE_TRANSLATION_KEY")
# --- near-duplicates across languages (deliberation/meaning.py) --------------------------------
# Statements are compared by meaning with the themes' multilingual sentence encoder where it
# is installed: each web process then loads its model once (about 2 s and 170 MB). Off: only
# the same words, in one script, are found.
MEANING_DUPLICATES = env_bool("GLOBALDIALOGUE_MEANING_DUPLICATES", True)
# --- email (dialogue confirmations and reminders) ---------------------------------------------
# With EMAIL_HOST: SMTP. Without: each message is written to DATA_DIR/mail/ (see them there).
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Global Dialogue <noreply@localhost>")
# Where people reach this site: links in emails are built on it.
SITE_URL = env_str("GLOBALDIALOGUE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Partner sites that may show conversation pages in a frame (https://ureport.example ...);
# every other page, and these without it, refuse framing (X-Frame-Options: DENY).
EMBED_ORIGINS = env_list("GLOBALDIALOGUE_EMBED_ORIGINS", [])
# After organizers make a new embed secret, ids signed with the old one count this long.
EMBED_SECRET_OVERLAP_HOURS = env_int("GLOBALDIALOGUE_EMBED_SECRET_OVERLAP_HOURS", 24)
# Trust X-Forwarded-For only behind a proxy that sets it.
TRUSTED_PROXY_COUNT = env_int("GLOBALDIALOGUE_TRUSTED_PROXIES", 0)
# How often an open results page fetches fresh numbers.
RESULTS_REFRESH_SECONDS = env_int("GLOBALDIALOGUE_RESULTS_REFRESH_SECONDS", 10, minimum=1)
# Many people watching one results page cost one query per this many seconds (0: no cache).
RESULTS_CACHE_SECONDS = env_int("GLOBALDIALOGUE_RESULTS_CACHE_SECONDS", 2)
# Find themes in open answers, and write the public dataset, again whenever the answers grow
# by a tenth (background tasks; the test suite turns this off, as embedding answers takes
# seconds, and tests it on purpose).
ANALYSES_AUTO_REFRESH = env_bool("GLOBALDIALOGUE_ANALYSES_AUTO_REFRESH", True)

# Async views hand blocking work to a thread pool (off: Django's one thread per process;
# in-process tests need that, as their data lives in one connection's open transaction).
THREAD_POOL = env_bool("GLOBALDIALOGUE_THREAD_POOL", True)

# A worker that has not beaten for this long is taken for dead: readiness fails without
# another, and the tasks it had claimed go back to the queue.
WORKER_DEAD_SECONDS = env_int("GLOBALDIALOGUE_WORKER_DEAD_SECONDS", 60, minimum=1)

# Readiness fails while more responses than this wait to be counted (the workers are behind).
READY_BACKLOG_LIMIT = env_int("GLOBALDIALOGUE_READY_BACKLOG", 100_000, minimum=1)
# /metrics answers requests from this machine, and others bearing this token (Bearer).
METRICS_TOKEN = env_str("GLOBALDIALOGUE_METRICS_TOKEN", "")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# json: one JSON object per line (lib/jsonlog.py), for log shippers; text: for people.
LOG_FORMAT = env_str("GLOBALDIALOGUE_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("GLOBALDIALOGUE_LOG_FORMAT is json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "globaldialogue.lib.logredact.RedactSecrets"}},
    "formatters": {
        "json": {"()": "globaldialogue.lib.jsonlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint (the PDF report) narrates every step at INFO.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
