"""Running the suite in several processes (pytest-xdist, ``make test`` does ``-n 3``).

Each xdist worker flushes its Redis database and writes media and mail under
VAR_DIR, so each gets both of its own before it starts: the settings read
them from the environment at import time, which in a worker happens before
any conftest, so the controller puts them into the worker's environment.

pytest-django gives each worker its own test database (``test_<name>_gw0`` …).
On PostgreSQL the controller migrates one template database first and each
worker's database is a copy of it (``CREATE DATABASE … TEMPLATE``, a second),
instead of every worker running the project's migrations itself.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

TEMPLATE_VARIABLE = "TEST_DATABASE_TEMPLATE"
_template_key = pytest.StashKey[str]()

REDIS_DATABASES = 16


def worker_index(worker_id):
    """``gw3`` → 3."""
    return int(worker_id.removeprefix("gw"))


def redis_url_for_worker(url, index):
    """Worker 0 keeps ``url``'s database; the others count down from the ninth below it, round the 16.

    With CI's ``/15`` the workers use 15, 6, 5, 4 …, 0, then 14 … 7: never one twice.
    """
    if index == 0 or not url:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    below = (index + 7) % (REDIS_DATABASES - 1) + 1
    database = (base - below) % REDIS_DATABASES
    return urlunsplit(parts._replace(path=f"/{database}"))


def worker_environment(worker_id, environ):
    """The variables a worker must not share with the others, from the controller's ``environ``."""
    index = worker_index(worker_id)
    changed = {}
    if environ.get("REDIS_URL"):
        changed["REDIS_URL"] = redis_url_for_worker(environ["REDIS_URL"], index)
    for name in ("VAR_DIR", "MEDIA_ROOT"):
        if environ.get(name):
            directory = Path(environ[name]) / worker_id
            directory.mkdir(parents=True, exist_ok=True)
            changed[name] = str(directory)
    return changed


def _postgres_settings():
    from django.conf import settings

    if not settings.configured:
        return None
    database = settings.DATABASES["default"]
    return database if "postgresql" in database["ENGINE"] else None


def _maintenance_connection(database):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        autocommit=True,
    )


def _drop(cursor, name):
    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_template_database(database):
    """Create and migrate ``test_<name>_template`` from scratch; returns its name."""
    from tests.services import database_url

    name = f"test_{database['NAME']}_template"
    with _maintenance_connection(database) as connection, connection.cursor() as cursor:
        _drop(cursor, name)
        cursor.execute(f'CREATE DATABASE "{name}"')
    environment = {**os.environ, "DATABASE_URL": database_url({**database, "NAME": name})}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--run-syncdb", "--noinput", "-v0"],
        cwd=Path(__file__).resolve().parents[1],
        env=environment,
        check=True,
        timeout=600,
    )
    return name


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    environment = {}
    database = _postgres_settings()
    if database:
        config.stash[_template_key] = environment[TEMPLATE_VARIABLE] = create_template_database(database)
    for spec in specs:
        spec.env.update(environment, **worker_environment(spec.id, os.environ))


def pytest_unconfigure(config):
    name = config.stash.get(_template_key, None)
    if name:
        with _maintenance_connection(_postgres_settings()) as connection, connection.cursor() as cursor:
            _drop(cursor, name)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """In an xdist worker, the test database is created as a copy of the controller's migrated template."""
    from django.conf import settings

    template = os.environ.get(TEMPLATE_VARIABLE)
    if template:
        settings.DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = template
