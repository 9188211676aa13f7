"""The Celery app shared by web, worker and beat.

Configuration lives in Django settings under the ``CELERY_`` prefix (see
``cms/settings/base.py``); tasks are discovered in every installed app's
``tasks.py``.
"""

import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from campaigns.log_filters import MaskPersonalData

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def mask_personal_data(logger, **kwargs):
    """The worker replaces Django's log handlers with its own: they mask tokens and addresses too.

    A mail server's refusal quotes the address, and a retried task logs the refusal at INFO.
    """
    for handler in logger.handlers:
        handler.addFilter(MaskPersonalData())
