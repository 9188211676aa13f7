"""Settings shared by every environment; each value comes from the environment.

``dev``, ``test`` and ``production`` import this module and change only what
differs. Every variable is listed in ``.env.example``.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from .email import email_settings, webhook_settings
from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY")
# Keys SECRET_KEY replaced: sessions and mailed personal links made with them stay valid.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = ["{0.scheme}://{0.netloc}".format(urlsplit(SITE_URL))]

INSTALLED_APPS = [
    "cms",
    "campaigns",
    "newsletter",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "anymail",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside XFrameOptionsMiddleware: the CSP follows the X-Frame-Options it sets.
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "cms.middleware.permissions_policy_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, CSRF and the views: a cached page costs one cache read (cms.page_cache).
    "cms.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A post without a session is checked by its Origin (cms.csrf), every other one by Django's token.
    "cms.csrf.SessionlessPostMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's page view gets the request's site from a memo per process (cms.site_memo).
    "cms.site_memo.SiteMemoMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.themes.theme",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run`: web, worker and beat write to one SQLite file. A transaction that takes the
    # write lock at its start waits for another writer (up to `timeout` seconds) instead of
    # failing with "database is locked" when it upgrades from reading to writing.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is broker and cache when REDIS_URL is set. Without it, `make run`
# needs no server: a file-based cache and kombu's filesystem transport.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}
    }
# Image renditions in each process's memory: a page's images cost no round trip to Redis. Wagtail's key
# holds the image's file hash and focal point, so an edited image never finds an old rendition here.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
# Anonymous visitors get public pages from the default cache for at most this long; publishing purges it
# (cms.page_cache). 0 switches the page cache off.
PAGE_CACHE_SECONDS = 600

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
# Dutch for what Wagtail's catalogue lacks or mistranslates (compiled .mo committed; tests/test_locale.py).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Requests larger than this are answered 400 before a view sees them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Mail
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Zorg en Welzijn <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email = email_settings(env("EMAIL_URL", ""), VAR_DIR / "mail")
ANYMAIL = {**_email.pop("ANYMAIL"), **webhook_settings()}
globals().update(_email)

# Celery: see ../shared/DESIGN.md, "Rules for Celery with Redis".
# The broker is REDIS_URL's Redis unless CELERY_BROKER_URL names another (e.g. RabbitMQ: amqp://...).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
elif CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    _control_dir = VAR_DIR / "celery" / "control"
    for _dir in (_queue_dir, _control_dir):
        _dir.mkdir(parents=True, exist_ok=True)  # kombu does not create them
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
# How long a worker's claim on a batch of deliveries holds without renewal; a
# live worker renews it every third of it, so a dead worker's rows go out again
# within about this long (campaigns.services.sending).
DELIVERY_LEASE_SECONDS = env_int("DELIVERY_LEASE_SECONDS", 30)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Safety net: a notification whose task message was lost (Redis flushed,
    # worker killed) is found again in the database and sent.
    "send-pending-response-notifications": {
        "task": "cms.tasks.send_pending_response_notifications",
        "schedule": crontab(minute="*"),
    },
    # Campaign mail: scheduled launches, due reminders, expired leases (see campaigns.services.dispatch).
    "dispatch-campaign-work": {
        "task": "campaigns.tasks.dispatch_due_work",
        "schedule": crontab(minute="*"),
    },
    # Retention periods (see NEWSLETTER_UNCONFIRMED_DAYS and below), at night.
    "enforce-retention": {
        "task": "cms.tasks.enforce_retention",
        "schedule": crontab(hour=3, minute=17),
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "Zorg en Welzijn"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands")]
WAGTAILADMIN_USER_LOGIN_FORM = "cms.login_form.LoginForm"
# No avatars from gravatar.com: they would send a hash of every editor's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_DATE_FORMAT = "%d-%m-%Y"
WAGTAIL_DATETIME_FORMAT = "%d-%m-%Y %H:%M"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Uploads are checked for markup disguised as a document; every document is a download (no inline PDF).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.documents.DocumentForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TAGGIT_CASE_INSENSITIVE = True

# Security headers on every environment (HSTS only in production). cms.middleware adapts the
# Content-Security-Policy (django-csp) to the admin, to framed previews and to downloads.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Wagtail's preview panel frames the site itself; video blocks embed these players.
        "frame-src": [SELF, "https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's own admin screens write inline script and style (InlinePanel, date pickers, vendor.js;
# wagtail#1288, #12940), so they get CSP_WAGTAIL_ADMIN_UPDATE. The project's own admin screens, the
# login page and framed previews keep the strict policy; tests/browser/test_csp.py holds them to it.
CSP_WAGTAIL_ADMIN_PREFIX = "/admin/"
CSP_STRICT_ADMIN_PREFIXES = ("/admin/campaigns/", "/admin/login/", "/admin/nieuwsbrief/")
CSP_WAGTAIL_ADMIN_UPDATE = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"], "img-src": ["blob:"]}
# Browser features the site never uses, denied to it and to every frame (names Chromium knows).
PERMISSIONS_POLICY = [
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope",
    "hid", "interest-cohort", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
    "serial", "usb", "xr-spatial-tracking",
]
# The admin's dashboard would ask releases.wagtail.org for the latest version from every editor's browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Public forms: at most this many posts per client per minute.
FORM_RATE_LIMIT = env("FORM_RATE_LIMIT", "10/m")
# A cache outage must not lock people out of the forms.
RATELIMIT_FAIL_OPEN = True
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (docker-compose: nginx, 1).
# Rate limit and login lock-out key on the client address they saw (cms.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "cms.client_ip.client_ip"
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"

# The newsletter's pre-send check runs axe-core on each issue's mail in this Chromium (Debian's package).
CHROMIUM_PATH = env("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SCRIPT = env("AXE_SCRIPT", str(BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"))

# Open and click tracking by the ESP (off by default: EDPB guidelines 2/2023).
CAMPAIGNS_TRACK_OPENS_AND_CLICKS = env_bool("CAMPAIGNS_TRACK_OPENS_AND_CLICKS", False)
# Who sends the newsletter, in every issue's footer (Telecommunicatiewet 11.7: name and postal address).
NEWSLETTER_SENDER_IDENTITY = env("NEWSLETTER_SENDER_IDENTITY", "Zorg en Welzijn · Postbus 1234 · 3500 AA Utrecht")
# Keys the hashes on the suppression list (``campaigns.models.suppression.address_hash``). Never change it
# once addresses were erased: their hashes would stop matching and the next import could mail them again.
SUPPRESSION_HASH_KEY = env("SUPPRESSION_HASH_KEY", "suppression-hash-key-for-development-only")

# Retention (newsletter.services.retention, daily): unconfirmed sign-ups, delivery and tracking rows, answers of closed calls.
NEWSLETTER_UNCONFIRMED_DAYS = env_int("NEWSLETTER_UNCONFIRMED_DAYS", 7)
DELIVERY_RETENTION_DAYS = env_int("DELIVERY_RETENTION_DAYS", 730)
ANSWER_RETENTION_DAYS = env_int("ANSWER_RETENTION_DAYS", 365)

# Newsletter double opt-in: a confirmation link is valid this many days; one address gets at most one
# confirmation mail per NEWSLETTER_RESEND_MINUTES and NEWSLETTER_MAX_CONFIRMATIONS_PER_DAY a day (no mail bomb).
NEWSLETTER_CONFIRMATION_DAYS = env_int("NEWSLETTER_CONFIRMATION_DAYS", 7)
NEWSLETTER_RESEND_MINUTES = env_int("NEWSLETTER_RESEND_MINUTES", 10)
NEWSLETTER_MAX_CONFIRMATIONS_PER_DAY = env_int("NEWSLETTER_MAX_CONFIRMATIONS_PER_DAY", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Personal-link tokens and e-mail addresses never reach a log line (campaigns.log_filters).
    "filters": {"mask_personal_data": {"()": "campaigns.log_filters.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail's background tasks (search index, reference index) log every run at INFO.
        **{name: {"level": "WARNING"} for name in ("django_tasks", "wagtail")},
        # The loggers that write request paths: masked before any handler (or test) sees the record.
        **{name: {"filters": ["mask_personal_data"]} for name in ("django.request", "django.security.csrf")},
        "django.server": {"handlers": ["console"], "filters": ["mask_personal_data"], "propagate": False},
    },
}

# Admin login lock-out (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one client address, that pair is refused for AXES_COOLOFF_MINUTES, whether the account
# exists or not. Unlock early with `manage.py axes_reset_username <name>`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "cms.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Failed attempts are kept (that is the lock-out); successful logins are not recorded.
AXES_DISABLE_ACCESS_LOG = True

# `manage.py seed_demo` gives its demo accounts the published password only where this is
# True (dev and test); elsewhere they get no usable password until an operator sets one.
DEMO_PASSWORDS_ALLOWED = False
