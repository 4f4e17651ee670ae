"""Settings for ckansite, configured entirely by environment variables.

Production differs from development only by environment: see README.md for
the list of variables and their defaults.
"""
import json
import os
import sys
import tempfile
from pathlib import Path

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

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "*").split(",") if h.strip()]

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
    "haystack",
    "accounts",
    "catalog",
    "searchapi",
    "actionapi",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "actionapi.jsonp.JsonpMiddleware",
    "actionapi.middleware.ApiCsrfExemptMiddleware",
    "actionapi.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.authentication.ApiKeyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The API is served without trailing slashes; clients do not follow redirects.
APPEND_SLASH = False

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
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = []
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
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# --- CKAN behaviour ---------------------------------------------------------
CKAN_SITE_URL = os.environ.get("CKAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CKAN_APIKEY_HEADER_NAME = os.environ.get("CKAN_APIKEY_HEADER_NAME", "X-CKAN-API-Key")
# The spec answers every Action API envelope with 200; CKAN itself used
# 403/404/409/400. Set to true for CKAN's codes.
# The most rows (rows/limit) one search answers; a larger request is capped to it.
CKAN_SEARCH_ROWS_MAX = int(os.environ.get("CKAN_SEARCH_ROWS_MAX", "1000"))
CKAN_ACTION_API_STATUS_CODES = _env_bool("CKAN_ACTION_API_STATUS_CODES", False)
# Users whose edits of other people's datasets wait for an admin
# (make_latest_pending_package_active): comma-separated user names.
CKAN_MODERATED_USERS = [n.strip() for n in os.environ.get("CKAN_MODERATED_USERS", "").split(",") if n.strip()]

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
        "rest_framework.renderers.BrowsableAPIRenderer",
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
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
