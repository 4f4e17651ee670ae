"""Settings for ckansite, configured entirely by environment variables.

Production differs from development only by environment: see README.md for
the list of variables and their defaults.
"""
import json
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CKAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
TESTING = bool(os.environ.get("CKAN_TESTING")) or "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (make run generates a local one)."
        )

# By default the host of the public site URL plus loopback: "*" would answer any Host
# header, and echo a forged one in redirects.
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()] or sorted(
    {urlsplit(os.environ.get("CKAN_SITE_URL", "http://127.0.0.1:8000")).hostname or "127.0.0.1",
     "localhost", "127.0.0.1", "[::1]"}
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "reversion",
    # Before haystack: its update_index and clear_index commands are searchapi's own.
    "searchapi",
    "haystack",
    "accounts",
    "catalog",
    "actionapi",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "actionapi.middleware.RejectLongUrlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "actionapi.jsonp.JsonpMiddleware",
    "actionapi.middleware.ApiCsrfExemptMiddleware",
    "actionapi.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.authentication.ApiKeyMiddleware",
    "actionapi.middleware.PageMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ckansite.csp.CSPMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# The API is served without trailing slashes; clients do not follow redirects.
APPEND_SLASH = False

# The Retry-After (seconds) of every 503 "try again" answer: the database or the
# search engine is unavailable, on the API and on the pages.
RETRY_AFTER_SECONDS = 5

ROOT_URLCONF = "ckansite.urls"
WSGI_APPLICATION = "ckansite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ckansite" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ckansite.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# A kept connection is checked before its first use in each request, so one
# that PostgreSQL ended (a restart, an idle timeout) is replaced, not a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = _env_bool("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, whose health check polls the socket before paying a round trip.
    DATABASES["default"]["ENGINE"] = "ckansite.postgresql"
    # No JIT compilation: PostgreSQL compiled tag_list's query at 10,000 datasets
    # (its cost estimate passed jit_above_cost), 21 ms to save nothing on a 4 ms query.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; the timeout makes
    # concurrent writers wait for the lock instead of failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"].setdefault("TEST", {})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out user+IP before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

# --- password guessing (django-axes) ----------------------------------------
# /user/login and /admin/login/ lock a user name out from one IP address after
# AXES_FAILURE_LIMIT wrong passwords, for AXES_COOLOFF_MINUTES (the right
# password is refused meanwhile); a successful login resets the count. The
# API (keys, not passwords) is not affected. Behind a reverse proxy, make the
# proxy set REMOTE_ADDR (e.g. gunicorn's --forwarded-allow-ips), or every
# client shares the proxy's address.
AXES_ENABLED = _env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.throttling.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Django's validators, for passwords set on the site's pages (a user's own
# password change) and by manage.py changepassword/createsuperuser. The API's
# user_create/user_update keep CKAN 1.6's rule (4 characters or more), which
# its clients rely on.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("name", "fullname", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "8"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Tests create hundreds of users: a deliberately fast (and weak) hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/user/login"
LOGIN_REDIRECT_URL = "/user/me"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves the admin's static files straight from the apps, so the
# site works under gunicorn with DEBUG off without a collectstatic step;
# it also serves STATIC_ROOT, which collectstatic fills for a faster start.
WHITENOISE_USE_FINDERS = True
# The site's own stylesheet (base.html's; a file, so the CSP needs no inline style).
STATICFILES_DIRS = [BASE_DIR / "ckansite" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- search -----------------------------------------------------------------
SEARCH_URL = os.environ.get("SEARCH_URL", "")
if SEARCH_URL.startswith(("http://", "https://")):
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "searchapi.backends.CkanSolrEngine",
            "URL": SEARCH_URL.rstrip("/"),
            "TIMEOUT": int(os.environ.get("SEARCH_TIMEOUT", "10")),
            "INCLUDE_SPELLING": False,
            "BATCH_SIZE": 500,
        }
    }
else:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "searchapi.backends.CkanWhooshEngine",
            # Tests get a fresh index per process (and per xdist worker).
            "PATH": SEARCH_URL
            or (tempfile.mkdtemp(prefix="ckansite-whoosh-") if TESTING else str(VAR_DIR / "whoosh_index")),
            "BATCH_SIZE": 500,
        }
    }
for _connection in HAYSTACK_CONNECTIONS.values():
    # Failures must reach searchapi.indexing, which records them for re-indexing.
    _connection["SILENTLY_FAIL"] = False
# The dataset's own `id` field holds its UUID; Haystack's document id is `index_id`.
HAYSTACK_ID_FIELD = "index_id"
# Indexing is driven by catalog's "packages changed" signal, after commit.
# Index updates that failed (engine down) are retried by the next write and,
# in each gunicorn worker, every CKAN_REINDEX_PENDING_INTERVAL seconds
# (searchapi.pending_retry; 0 turns the timer off).
CKAN_REINDEX_PENDING_INTERVAL = float(os.environ.get("CKAN_REINDEX_PENDING_INTERVAL", "15"))
# On Solr with PostgreSQL, writes leave their index updates uncommitted for the
# next search to commit; each process that wrote also commits them once its
# writes have paused for this many seconds (searchapi.idle_commit), so that a
# search after a pause does not wait for the commit. 0 leaves it to searches
# (the tests' default: their searches must find what a test wrote uncommitted).
CKAN_SEARCH_COMMIT_IDLE = float(os.environ.get("CKAN_SEARCH_COMMIT_IDLE", "0" if TESTING else "1"))
# Then it computes again this many of the package_search answers it had kept
# most recently (they went stale with the write) that a client asked for since
# they were last computed, for every process to find.
CKAN_SEARCH_WARM = int(os.environ.get("CKAN_SEARCH_WARM", "32"))
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
# Answers of package_list, tag_list and package_search kept per process until
# the next write (catalog.read_cache; PostgreSQL only): how many, and for at most
# how many seconds. 0 entries turns the cache off.
CKAN_READ_CACHE_ENTRIES = int(os.environ.get("CKAN_READ_CACHE_ENTRIES", "256"))
# Datasets whose package_show rows each process keeps (catalog.dict_cache.find_package).
CKAN_READ_CACHE_DATASETS = int(os.environ.get("CKAN_READ_CACHE_DATASETS", "512"))
CKAN_READ_CACHE_SECONDS = float(os.environ.get("CKAN_READ_CACHE_SECONDS", "300"))

# --- CKAN behaviour ---------------------------------------------------------
CKAN_SITE_URL = os.environ.get("CKAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- HTTPS ---------------------------------------------------------------------
# On by default when the public site URL is https://: secure-only cookies,
# redirect of plain HTTP to HTTPS, and HSTS. Behind a reverse proxy that
# terminates TLS, the proxy must say so (X-Forwarded-Proto: https, which
# gunicorn trusts from --forwarded-allow-ips, 127.0.0.1 by default), or every
# request is redirected. Each can be set on its own.
HTTPS = _env_bool("HTTPS", CKAN_SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = _env_bool("CSRF_COOKIE_SECURE", HTTPS)
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
if HTTPS:
    _site = urlsplit(CKAN_SITE_URL)
    CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp) -------------------------------------
# Every page loads scripts, styles, images and fonts from this site only, with
# no inline script or style: an injected <script> or style="" does nothing.
# tests/test_csp_browser.py opens each page in Chromium and fails on any
# violation. CSP_REPORT_URI sends violation reports there; CSP_REPORT_ONLY
# reports without blocking (to try a stricter policy on a live site first).
from csp.constants import NONE, SELF  # noqa: E402

_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
if os.environ.get("CSP_REPORT_URI"):
    _CSP_DIRECTIVES["report-uri"] = [os.environ["CSP_REPORT_URI"]]
if _env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}

CKAN_APIKEY_HEADER_NAME = os.environ.get("CKAN_APIKEY_HEADER_NAME", "X-CKAN-API-Key")
# The spec answers every Action API envelope with 200; CKAN itself used
# 403/404/409/400. Set to true for CKAN's codes.
# The most rows (rows/limit) one search answers; a larger request is capped to it.
CKAN_SEARCH_ROWS_MAX = int(os.environ.get("CKAN_SEARCH_ROWS_MAX", "1000"))
# Field weights of free-text search (Solr's qf syntax), CKAN's by default (searchapi/weights.py).
CKAN_SEARCH_QUERY_FIELDS = os.environ.get("CKAN_SEARCH_QUERY_FIELDS", "name^4 title^4 tags^2 groups^2 text")
CKAN_ACTION_API_STATUS_CODES = _env_bool("CKAN_ACTION_API_STATUS_CODES", False)
# Users whose edits of other people's datasets wait for an admin
# (make_latest_pending_package_active): comma-separated user names.
CKAN_MODERATED_USERS = [n.strip() for n in os.environ.get("CKAN_MODERATED_USERS", "").split(",") if n.strip()]

# The most resources, tags, extras, groups or relationships one dataset may
# carry (CKAN has no limit): a write's cost grows with them, and no valid
# request may outlive a gunicorn worker's timeout.
# The longest URL (path and query string, as sent) the API serves; longer is a
# JSON 414. Below gunicorn's request-line limit (gunicorn.conf.py, 8190 bytes
# with the method and protocol), so that such requests reach Django.
CKAN_MAX_URL_LENGTH = int(os.environ.get("CKAN_MAX_URL_LENGTH", "8000"))

CKAN_MAX_LIST_ITEMS = int(os.environ.get("CKAN_MAX_LIST_ITEMS", "1000"))

# Roles given to the pseudo-users on every new object, per object kind.
# The documented CKAN default: anyone reads, logged-in users create and edit
# datasets; groups are edited by their own admins and editors only.
CKAN_DEFAULT_ROLES = {
    "package": {"visitor": ["reader"], "logged_in": ["editor"]},
    "group": {"visitor": ["reader"], "logged_in": ["reader"]},
    "system": {"visitor": ["reader"], "logged_in": ["editor"]},
}
if os.environ.get("CKAN_DEFAULT_ROLES"):
    try:
        CKAN_DEFAULT_ROLES = json.loads(os.environ["CKAN_DEFAULT_ROLES"])
    except ValueError as exc:
        raise ImproperlyConfigured(f"CKAN_DEFAULT_ROLES is not valid JSON: {exc}") from exc

# --- Django REST framework -------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # JSON for every client; DRF's browsable API only for those asking for HTML.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "actionapi.rest.browsable.SiteBrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "actionapi.rest.negotiation.JsonUnlessHtmlNegotiation",
    # Views read bodies with actionapi.requests.parse_json_body, as on every
    # surface; the parser only describes the browsable API's raw-data form.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "actionapi.rest.errors.exception_handler",
    # `format=` is an ordinary parameter for us, not a renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CKAN 1.6 API (ckansite)",
    "DESCRIPTION": "The Model API v1/v2, the Util API and the Action API of CKAN 1.6.",
    "VERSION": "1.6",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": [],
    "POSTPROCESSING_HOOKS": ["actionapi.openapi.add_action_api"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line": {"()": "ckansite.logs.OneLineSuspiciousRequest"},
        "no_pysolr_refusal": {"()": "searchapi.solr_nodes.DropRefusalRecords"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # A refused request (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a bad Host) is
    # one line, without a traceback.
    # (Filters of a logger apply to its own records only, so each is named.)
    # A document or query Solr refuses is logged by searchapi, not twice (pysolr).
    "loggers": {
        **{
            f"django.security.{name}": {"filters": ["one_line"]}
            for name in ("RequestDataTooBig", "TooManyFieldsSent", "TooManyFilesSent", "DisallowedHost",
                         "DisallowedRedirect", "SuspiciousOperation")
        },
        "pysolr": {"filters": ["no_pysolr_refusal"]},
    },
}
