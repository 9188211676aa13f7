"""The one door from services to the Celery workers.

Tasks import services, never the other way round: a service that wants work
done in the background names the task here by its dotted path. The task is
queued once the current transaction commits, so the worker finds the rows it
is about (outside a transaction: at once, and a broker that cannot take it
raises).
"""

from django.utils.module_loading import import_string


def queue(task_path, *args):
    """Queue the Celery task at ``task_path`` (e.g. ``"campaigns.tasks.freeze_audience"``) with ``args``."""
    import_string(task_path).delay_on_commit(*args)
