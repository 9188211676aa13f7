"""The Celery app shared by web, worker and beat.

Configuration lives in Django settings under the ``CELERY_`` prefix (see
``cms/settings/base.py``); tasks are discovered in every installed app's
``tasks.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
