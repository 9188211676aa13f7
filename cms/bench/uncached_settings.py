"""Production settings with the page cache off: the uncached figures of ``bench_pages``."""

from cms.settings.production import *  # noqa: F403

PAGE_CACHE_SECONDS = 0
