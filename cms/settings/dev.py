"""Local development: `make run`. Safe defaults so that nothing needs to be set."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-not-secret")

from .base import *  # noqa: E402,F403

DEBUG = True
DEMO_PASSWORDS_ALLOWED = True
ALLOWED_HOSTS = ["*"]
# `make run`: a template or code change shows on the next reload.
PAGE_CACHE_SECONDS = 0
