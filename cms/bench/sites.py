"""The two sites a run serves: ours, and wagtail/bakerydemo as the peer.

Each knows how to set itself up (database, static files, demo content), the
environment its gunicorn and probe run with, and which page stands for which
page type. Seeding is never timed.
"""

import copy
import glob
import json
import os
import secrets
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from .processes import run

PROBE = Path(__file__).with_name("probe.py")
PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
BAKERYDEMO_MIRROR = "/work/.mirror/wagtail+bakerydemo/repo"
BAKERYDEMO_UPSTREAM = "https://github.com/wagtail/bakerydemo.git"
# bakerydemo's production settings import these; the rest of requirements/production.txt
# (uwsgi, boto3, Google Cloud storage, Elasticsearch) serves deployments this run does not use.
BAKERYDEMO_SERVING = ["psycopg[binary]>=3.3.3,<3.4", "whitenoise>=6.11,<7", "django-redis>=6,<7", "gunicorn"]
BASE_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")


def database_url(base_url, name):
    """``base_url`` (a postgres:// URL) pointing at database ``name`` instead."""
    parts = urlsplit(base_url)
    if not parts.scheme.startswith("postgres"):
        raise RuntimeError(f"bench_pages needs PostgreSQL; DATABASE_URL is {parts.scheme}://")
    return urlunsplit(parts._replace(path="/" + name))


def _maintenance(url):
    parts = urlsplit(url)
    conninfo = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return psycopg.connect(conninfo, autocommit=True), parts.path.lstrip("/")


def database_exists(url):
    connection, name = _maintenance(url)
    with connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def recreate_database(url):
    connection, name = _maintenance(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def clean_env(**values):
    env = {key: os.environ[key] for key in BASE_ENV if key in os.environ}
    env.update({key: str(value) for key, value in values.items()})
    return env


class Site:
    """What a run needs of a site: its interpreter, gunicorn, app, directory, environment and pages."""

    name = ""
    pages = {}  # page type -> path (filled by prepare)

    def env(self, redis_url, port):
        raise NotImplementedError

    def probe(self, request, redis_url, port=8000):
        result = subprocess.run(
            [str(self.python), str(PROBE), json.dumps(request)],
            env=self.env(redis_url, port),
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise RuntimeError(f"probe of {self.name} failed: {result.stderr[-2000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    @property
    def gunicorn(self):
        return Path(self.python).parent / "gunicorn"


class OurSite(Site):
    name = "ours"
    app = "cms.wsgi"
    page_models = {
        "article": "cms.ArticlePage",
        "call": "cms.CallForInputPage:open",
        "listing": "cms.ArticleIndexPage",
    }
    fixed_pages = {"home": "/", "search": "/zoeken/?q=zorg", "feed": "/feed/"}

    def __init__(self, db_url, work_dir, extra_env=None, name="ours", settings_module="cms.settings.production"):
        self.name = name
        self.settings_module = settings_module
        self.db_url = db_url
        self.python = Path(sys.executable)
        self.cwd = PROJECT_DIR
        self.var_dir = Path(work_dir) / "ours-var"
        self.media_root = Path(work_dir) / "ours-media"
        self.log_path = Path(work_dir) / "ours-setup.log"
        self.secret = secrets.token_urlsafe(50)
        self.extra_env = dict(extra_env or {})

    def env(self, redis_url, port):
        return clean_env(
            DJANGO_SETTINGS_MODULE=self.settings_module,
            SECRET_KEY=self.secret,
            SUPPRESSION_HASH_KEY=self.secret[:20],
            DATABASE_URL=self.db_url,
            REDIS_URL=redis_url + "/0",
            VAR_DIR=self.var_dir,
            MEDIA_ROOT=self.media_root,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=f"http://127.0.0.1:{port}",
            SECURE_SSL_REDIRECT="0",  # plain http on loopback, as behind a TLS proxy
            LOG_LEVEL="WARNING",
            **self.extra_env,
        )

    def prepare(self, redis_url, keep_db=False):
        """A fresh database with the demo content (or the kept one, migrated and seeded again) and static files."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if not (keep_db and database_exists(self.db_url) and self.media_root.exists()):
            shutil.rmtree(self.media_root, ignore_errors=True)  # the images of the database dropped here
            recreate_database(self.db_url)
        env = self.env(redis_url, 8000)
        manage = [str(self.python), "manage.py"]
        with ThreadPoolExecutor(2) as pool:  # collectstatic needs no database: both at once
            steps = [
                pool.submit(run, [*manage, "migrate", "--noinput", "-v0"], env, self.cwd, self.log_path, "migrate"),
                pool.submit(run, [*manage, "collectstatic", "--noinput", "-v0"], env, self.cwd, self.log_path.with_suffix(".static.log"), "collectstatic"),
            ]  # fmt: skip
            for step in steps:
                step.result()
        run([*manage, "seed_demo"], env, self.cwd, self.log_path, "seed_demo")
        found = self.probe({"find": self.page_models}, redis_url)
        missing = [kind for kind, path in found.items() if not path]
        if missing:
            raise RuntimeError(f"The demo content has no live page for: {', '.join(missing)}")
        self.pages = {"home": "/", **found, **{k: v for k, v in self.fixed_pages.items() if k != "home"}}

    def variant(self, name, settings_module):
        """The same site, database and content under other settings (e.g. the page cache off)."""
        other = copy.copy(self)
        other.name, other.settings_module = name, settings_module
        return other


class BakeryDemo(Site):
    """wagtail/bakerydemo, cloned and installed once into the cache directory (never into the project)."""

    name = "bakerydemo"
    app = "bakerydemo.wsgi"
    page_models = {"article": "blog.BlogPage", "call": "breads.BreadPage", "listing": "blog.BlogIndexPage"}
    fixed_pages = {"home": "/", "search": "/search/?q=bread"}

    def __init__(self, db_url, cache_dir, repo=None, python=None):
        self.db_url = db_url
        self.dir = Path(cache_dir) / "bakerydemo"
        self.cwd = self.dir / "src"
        self.venv = self.dir / "venv"
        self.python = self.venv / "bin" / "python"
        self.repo = repo or (BAKERYDEMO_MIRROR if Path(BAKERYDEMO_MIRROR).exists() else BAKERYDEMO_UPSTREAM)
        self.base_python = python
        self.log_path = self.dir / "setup.log"
        self.secret = secrets.token_urlsafe(50)

    def env(self, redis_url, port):
        return clean_env(
            DJANGO_SETTINGS_MODULE="bakerydemo.settings.production",
            DJANGO_SECRET_KEY=self.secret,
            DATABASE_URL=self.db_url,
            REDIS_URL=redis_url,  # its settings add /0 (cache) and /1 (renditions)
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            DJANGO_LOG_LEVEL="WARNING",
        )

    def prepare(self, redis_url):
        """Clone, install and load once; later runs reuse all three (delete the cache directory to start over)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        if not (self.cwd / "manage.py").exists():
            shutil.rmtree(self.cwd, ignore_errors=True)
            run(["git", "clone", "--quiet", self.repo, str(self.cwd)], None, self.dir, self.log_path, "git clone bakerydemo")
        installed = self.dir / "installed.txt"
        if not installed.exists():
            shutil.rmtree(self.venv, ignore_errors=True)
            run([find_python(self.base_python), "-m", "venv", str(self.venv)], None, self.dir, self.log_path, "venv")
            pip = [str(self.python), "-m", "pip", "install", "--quiet"]
            run([*pip, "-r", "requirements/base.txt", *BAKERYDEMO_SERVING], None, self.cwd, self.log_path, "pip install")
            installed.write_text(subprocess.run([str(self.python), "-m", "pip", "freeze"], capture_output=True, text=True).stdout)
        env = self.env(redis_url, 8000)
        manage = [str(self.python), "manage.py"]
        loaded = self.dir / "loaded.txt"
        if not (database_exists(self.db_url) and loaded.exists() and loaded.read_text() == self.db_url):
            recreate_database(self.db_url)
            run([*manage, "migrate", "--noinput", "-v0"], env, self.cwd, self.log_path, "bakerydemo migrate")
            run([*manage, "load_initial_data"], env, self.cwd, self.log_path, "bakerydemo load_initial_data")
            loaded.write_text(self.db_url)
        if not (self.cwd / "bakerydemo" / "collect_static" / "staticfiles.json").exists():
            run([*manage, "collectstatic", "--noinput", "-v0"], env, self.cwd, self.log_path, "bakerydemo collectstatic")
        found = self.probe({"find": self.page_models}, redis_url)
        self.pages = {"home": "/", **found, "search": self.fixed_pages["search"]}


def find_python(preferred=None):
    """A Python bakerydemo runs on: its Django 6 needs 3.12 or later."""
    candidates = [preferred] if preferred else []
    candidates += ["python3.13", "python3.12", *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python")))]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            result = subprocess.run([candidate, "-c", "import sys; print(sys.version_info >= (3, 12))"], capture_output=True, text=True)
        except OSError:
            continue
        if result.stdout.strip() == "True":
            return candidate
    raise RuntimeError("bakerydemo needs Python 3.12 or later; pass --peer-python /path/to/python3.12")
