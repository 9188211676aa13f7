"""Settings for pytest. DATABASE_URL and REDIS_URL point tests at real services."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="zw-test-var-"))

from .base import *  # noqa: E402,F403

ALLOWED_HOSTS = ["*"]
DEMO_PASSWORDS_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not os.environ.get("EMAIL_URL"):
    # EMAIL_URL is set for a Celery worker that a test points at its SMTP server.
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = "http://testserver"
# Tests see every change at once; tests/test_page_cache.py switches the page cache on.
PAGE_CACHE_SECONDS = 0
