"""One settings module for every environment, driven by environment variables.

Nothing here needs editing to deploy: set the variables the README lists.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
# Git-ignored working state of a local checkout: the SQLite file, the local secret key,
# collected static files.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # `make run` and `make test` write this file once; production sets SECRET_KEY.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    raise ImproperlyConfigured(
        f"SECRET_KEY is not set and {key_file} does not exist: set SECRET_KEY, "
        "or run `make run` once to create a local key."
    )


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles so that `runserver` does not serve static files behind our back;
    # servestatic's middleware does it in every mode.
    "servestatic.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "channels",
    "questions",
    "questions.teach",
    "questions.review",
    "questions.live",
    "quizsite",
    "quizsite.accounts",
    "quizsite.explainers",
    "quizsite.interview",
    "quizsite.lab",
]

# Every entry runs on the event loop under ASGI: a native `async def __call__`, or one of
# Django's own classes whose hooks quizsite.middleware.onloop calls directly (Django's
# MiddlewareMixin would run each hook in a thread: ~15 hops a request for the default
# list). tests/quizsite/middleware counts the hops per page and compares each twin with
# Django's original. Under WSGI the same classes run their plain sync path.
MIDDLEWARE = [
    # Anonymous pages from memory, before anything else runs (README: "Page cache").
    "quizsite.pagecache.PageCacheMiddleware",
    "quizsite.middleware.onloop.SecurityMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    "quizsite.middleware.onloop.SessionMiddleware",
    "quizsite.middleware.onloop.CommonMiddleware",
    "quizsite.middleware.onloop.CsrfViewMiddleware",
    "quizsite.middleware.onloop.AuthenticationMiddleware",
    # Looks the user up with `await request.auser()` so async views can render `user`.
    "quizsite.accounts.middleware.ResolvedUserMiddleware",
    "quizsite.middleware.onloop.MessageMiddleware",
    "quizsite.middleware.onloop.XFrameOptionsMiddleware",
    "quizsite.middleware.onloop.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Permissions-Policy on every response; a message in bare 405s.
    "quizsite.middleware.headers.SecurityHeadersMiddleware",
]

# Sessions live in a signed cookie (README: "Sessions"): loading and saving one is HMAC
# work, no database row per visitor and no I/O on the event loop, and every worker
# process reads the same cookie. The cost: logging out deletes the cookie but cannot
# revoke a copy of it, so sessions last a week, not Django's two.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(7 * 24 * 3600)))
# Messages ride in their own cookie (FallbackStorage overflows into the cookie session).
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

ROOT_URLCONF = "quizsite.urls"
WSGI_APPLICATION = "quizsite.wsgi.application"
ASGI_APPLICATION = "quizsite.asgi.application"

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
                "quizsite.context_processors.versions",
            ],
            # {% url %} with each URL worked out once per process (quizsite/urltag.py).
            "builtins": ["quizsite.urltag"],
        },
    },
]

# --- Database -----------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
_engine = DATABASES["default"]["ENGINE"]
if _engine == "django.db.backends.sqlite3":
    # Persistent: a connection belongs to a thread, and each request's sync work runs on
    # a thread leased from a bounded pool (quizsite/handler.py), so connections are
    # reused rather than opened per request, and never more than the pool's threads.
    # (Under Django's own ASGIHandler every request makes a new thread, which is why
    # Django's docs advise 0 there.) Django still closes a broken one per request.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    # Django's backend, with this process's writers queueing in Python rather than in
    # SQLite's sleeping busy handler (quizsite/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "quizsite.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # Take the write lock at BEGIN: a deferred transaction that upgrades to a writer
        # fails with "database is locked" at once, whatever the timeout.
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for the lock before giving up.
        "timeout": 20,
        # WAL lets readers go on while one writer writes; NORMAL is safe with WAL.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
elif _engine == "django.db.backends.postgresql":
    # psycopg's pool (Django 5.1+): connections are reused across threads, not per thread.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis or the hub: channel layer and cache --------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# The hub's socket: set by `make run`'s supervisor for its site processes when they are
# several and REDIS_URL is not set.
HUB_SOCKET = os.environ.get("HUB_SOCKET", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 times socket reads out after 5 s by default, the same 5 s that
            # channels_redis blocks in BZPOPMIN waiting for a message: an idle consumer
            # then dies with TimeoutError (channels_redis#422). Read longer than that.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}]},
        }
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif HUB_SOCKET:
    # Several site processes under `make run`, no Redis: the supervisor's hub joins their
    # in-memory layers and keeps the counters (quizsite/hub). The cache (only the lab's
    # push-vs-poll events use it) is files in VAR_DIR, which every process reads.
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "quizsite.hub.layer.HubChannelLayer", "CONFIG": {"path": HUB_SOCKET}}
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
else:
    # One process (tests, `WEB_CONCURRENCY=1`): nothing to share.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "questions:progress"
LOGOUT_REDIRECT_URL = "questions:index"

# --- Quizzes ------------------------------------------------------------------------
# The reusable questions app renders Markdown through the site's one sanitising pipeline.
QUESTIONS_MARKDOWN_RENDERER = "quizsite.markdown.render_markdown"
# Where an explainer slug lives (questions link to "slug#section").
QUESTIONS_EXPLAINER_URL = "/learn/{slug}/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# The site is written in English and translates nothing. Without translation machinery,
# get_language() is a settings read instead of a thread-local lookup through asgiref's
# Local, which every rendered number and date makes: a learner's question page costs
# 3.0 ms of CPU instead of 3.9 (in process, this 2-core machine). Formats stay en-us.
USE_I18N = False
USE_TZ = True

# --- Caching of content and pages -----------------------------------------------------
# How often (seconds) a process looks again at the explainer files and at the question
# sets in the database, for changes made outside it (another worker, a management
# command). Changes made through this process's own views show at once.
CONTENT_RECHECK_SECONDS = float(os.environ.get("CONTENT_RECHECK_SECONDS", "2"))
PAGE_CACHE_RECHECK_SECONDS = float(os.environ.get("PAGE_CACHE_RECHECK_SECONDS", "2"))
# Views whose page is the same for every visitor without a session (quizsite/pagecache.py),
# with how long to keep it: None until the content changes, or seconds for a page that
# shows live state (the lab page says which lab servers are down).
PAGE_CACHE_VIEWS = {
    "home": None,
    "explainers:index": None,
    "explainers:detail": None,
    "questions:index": None,
    "questions:detail": None,
    "lab:index": 5.0,
}

# --- Static files -------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files with far-future cache headers; `make run` collects them.
    "staticfiles": {
        "BACKEND": "quizsite.storage.StaticFilesStorage"  # servestatic's, URLs kept
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In development serve straight from the app and project folders, no collectstatic needed.
SERVESTATIC_USE_FINDERS = DEBUG
SERVESTATIC_AUTOREFRESH = DEBUG

# --- Security -----------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # No inline script or style at all, so no per-request nonce either: a page is the same
    # bytes for every anonymous visitor, which is what lets the page cache share it.
    # htmx's eval-based features are switched off in _base.html.
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    # 'self' covers same-origin WebSocket URLs in current browsers.
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Django looks for its own class paths and would miss the on-loop subclasses above:
# quizsite/checks.py runs its checks again with them recognised.
SILENCED_SYSTEM_CHECKS = ["security.W001", "security.W002", "security.W003"]
# A form sent without its token from this site (JavaScript off on a page-cached page)
# gets a confirmation page with a token instead of a bare 403.
CSRF_FAILURE_VIEW = "quizsite.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Behind TLS in production (README: "Production"): HTTPS=1 turns on redirects, HSTS and
# secure cookies; locally over plain http they must stay off or nothing works.
HTTPS = env_bool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is a promise to serve HTTPS for good; SECURE_HSTS_PRELOAD=0 opts out.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=HTTPS)
# Only when a proxy in front sets X-Forwarded-Proto and X-Forwarded-For (and overwrites
# what clients send): the lab's rate limit then keys on the address the proxy saw.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    # Only when a proxy that sets this header (and strips it from clients) sits in front.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging ------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # DEBUG here shows Django's "Synchronous handler adapted for ..." lines.
    "loggers": {
        "django.request": {"level": os.environ.get("DJANGO_REQUEST_LOG_LEVEL", "INFO")},
        # The lab's conductor makes dozens of requests a run; one line each drowns the log.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# --- Lab ----------------------------------------------------------------------------
# The lab's targets run in their own processes (README: "The lab"): one uvicorn worker
# with one event loop, and gunicorn with one sync worker and with one threaded worker.
# `make run` starts them on loopback beside the site and sets these URLs; production
# points the site at separately run lab servers by setting them.
LAB_ASGI_URL = os.environ.get("LAB_ASGI_URL", "http://127.0.0.1:8001").rstrip("/")
LAB_WSGI_SYNC_URL = os.environ.get("LAB_WSGI_SYNC_URL", "http://127.0.0.1:8002").rstrip("/")
LAB_WSGI_THREADS_URL = os.environ.get("LAB_WSGI_THREADS_URL", "http://127.0.0.1:8003").rstrip("/")
# Threads of the threaded gunicorn worker: the model's prediction needs to know it.
LAB_WSGI_THREADS = int(os.environ.get("LAB_WSGI_THREADS", "4"))
# Only lab servers mount the target views (/lab/targets/...): a public site must not
# offer an endpoint that blocks its own event loop on request.
LAB_SERVE_TARGETS = env_bool("LAB_SERVE_TARGETS")
# Abuse limits of the conductor: runs per client per minute, and runs at once site-wide.
LAB_RUNS_PER_MINUTE = int(os.environ.get("LAB_RUNS_PER_MINUTE", "12"))
LAB_MAX_CONCURRENT_RUNS = int(os.environ.get("LAB_MAX_CONCURRENT_RUNS", "2"))
# Requests the conductor keeps in flight on the lab servers, all runs together: one
# wsgi-workers run of n=50 makes 100 at once.
LAB_MAX_REQUESTS_IN_FLIGHT = int(os.environ.get("LAB_MAX_REQUESTS_IN_FLIGHT", "120"))
