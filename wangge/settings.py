"""Django settings for wangge: one module, every knob from the environment.

Variables are parsed strictly (see wangge/env.py); the README lists them all.
"""

from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wangge.env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_path,
    env_str,
    parse_database_url,
    sqlite_database,
    sqlite_path,
)

BASE_DIR = Path(__file__).resolve().parent

# The data folder holds the SQLite database, uploaded files, the job queue and the secret key.
DATA_DIR = env_path("WANGGE_DATA_DIR", Path.cwd() / "data")


def _secret_key() -> str:
    key = env_str("SECRET_KEY", "")
    if key:
        return key
    # A fresh install needs nothing configured: keep a generated key beside the data.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",
    "wangge.core",
    "wangge.org",
    "wangge.people",
    "wangge.assets",
    "wangge.cases",
    "wangge.field.duty",
    "wangge.field.linkage",
    "wangge.field.alerts",
    "wangge.field.handover",
    "wangge.field.mobile",
    "wangge.leaders",
    "wangge.assessment",
    "wangge.finance",
    "wangge.reports",
    "wangge.dashboard",
    "wangge.web",
    "wangge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wangge.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wangge.core.middleware.ApiMethodNotAllowedMiddleware",
    "wangge.people.middleware.TerritoryMiddleware",
]

ROOT_URLCONF = "wangge.urls"
WSGI_APPLICATION = "wangge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wangge.web.context_processors.site",
            ],
        },
    },
]

# DATABASES
_database_url = env_str("DATABASE_URL", "")
DATABASES = {
    "default": parse_database_url(_database_url)
    if _database_url
    else sqlite_database(DATA_DIR / "wangge.sqlite3")
}
if (
    DATABASES["default"]["ENGINE"].endswith("sqlite3")
    and DATABASES["default"]["NAME"] != ":memory:"
):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# LANGUAGE AND TIME
LANGUAGE_CODE = env_choice("WANGGE_LANGUAGE", "zh-hans", ("zh-hans", "en"))
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("WANGGE_TIME_ZONE", "Asia/Shanghai")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"WANGGE_TIME_ZONE={TIME_ZONE!r} is not a known time zone") from None
USE_I18N = True
USE_TZ = True

# STATIC AND MEDIA FILES
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# WhiteNoise looks here at start-up; an empty folder is fine (files come from the finders).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Grid files and photos are larger than Django's 2.5 MB default.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("WANGGE_MAX_UPLOAD_MB", 20, minimum=1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Leaflet and Leaflet.draw come from the installed django-leaflet package. Its Django app is not
# installed: its admin module needs GDAL (django.contrib.gis), which a plain Python machine lacks.
_leaflet_spec = importlib.util.find_spec("leaflet")
if _leaflet_spec is None or _leaflet_spec.origin is None:
    raise ImproperlyConfigured("the django-leaflet package is not installed (pip install -e .)")
STATICFILES_DIRS = [Path(_leaflet_spec.origin).parent / "static"]
# Serving straight from the installed packages' static folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

_storage = env_choice("WANGGE_STORAGE", "local", ("local", "s3"))
if _storage == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("WANGGE_S3_BUCKET", ""),
            "endpoint_url": env_str("WANGGE_S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("WANGGE_S3_ACCESS_KEY", ""),
            "secret_key": env_str("WANGGE_S3_SECRET_KEY", ""),
            "region_name": env_str("WANGGE_S3_REGION", "") or None,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:  # type: ignore[index]
        raise ImproperlyConfigured("WANGGE_STORAGE=s3 needs WANGGE_S3_BUCKET")
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# BACKGROUND JOBS
_huey_url = env_str("WANGGE_HUEY_URL", "")
HUEY: dict[str, object]
if _huey_url.startswith("redis://"):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "wangge", "url": _huey_url}
elif _huey_url == "" or _huey_url.startswith("sqlite:"):
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "wangge",
        "filename": str(
            sqlite_path(_huey_url, name="WANGGE_HUEY_URL")
            if _huey_url
            else DATA_DIR / "jobs.sqlite3"
        ),
    }
else:
    raise ImproperlyConfigured(
        f"WANGGE_HUEY_URL={_huey_url!r}: use redis://HOST:PORT/DB or sqlite:///PATH"
    )
HUEY["immediate"] = env_bool("WANGGE_HUEY_IMMEDIATE", False)

# CACHE
# Files in the data folder, so every server worker shares one cache (the command centre's
# panels are computed once a minute, not once per worker).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# OUTBOUND MESSAGES AND LIVE PUSH
# Dotted path of the class that sends messages out (SMS, WeChat); the default only logs.
WANGGE_OUTBOUND_CHANNEL = env_str("WANGGE_OUTBOUND_CHANNEL", "wangge.core.channels.LogChannel")
# How long one server-sent-events response stays open before the browser reconnects.
WANGGE_PUSH_SECONDS = env_int("WANGGE_PUSH_SECONDS", 55, minimum=0)

# MAPS
# No tile server by default: grids are drawn on a plain background and work offline.
WANGGE_TILE_URL = env_str("WANGGE_TILE_URL", "")
WANGGE_TILE_ATTRIBUTION = env_str("WANGGE_TILE_ATTRIBUTION", "")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (24.88, 102.85),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "TILES": [(_("Base map"), WANGGE_TILE_URL, {"attribution": WANGGE_TILE_ATTRIBUTION})]
    if WANGGE_TILE_URL
    else [],
    "RESET_VIEW": False,
}

# GEOMETRY
# Slivers smaller than this (m²) are floating-point noise, not gaps or overlaps.
WANGGE_PARTITION_TOLERANCE_M2 = env_float("WANGGE_PARTITION_TOLERANCE_M2", 1.0, minimum=0.0)
# …and so are slivers thinner than this (m), whatever their area.
WANGGE_PARTITION_SLIVER_M = env_float("WANGGE_PARTITION_SLIVER_M", 0.05, minimum=0.0)

# CASES
# A new report this close (m) to an open case of the same category, within this many days, is
# offered as a likely duplicate at filing.
WANGGE_DUPLICATE_RADIUS_M = env_float("WANGGE_DUPLICATE_RADIUS_M", 50.0, minimum=0.0)
WANGGE_DUPLICATE_DAYS = env_int("WANGGE_DUPLICATE_DAYS", 7, minimum=0)

# SECURITY
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
}
