"""Settings from the environment: mail, database, broker and cache.

Django loads settings once per process, so tests that need other environment
values import the settings in a fresh Python process.
"""

import email
import email.policy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from cms.settings.email import email_settings

ROOT = Path(__file__).resolve().parent.parent
# Variables the CI run or a developer's shell may set; each test starts without them.
SETTINGS_VARIABLES = (
    "ALLOWED_HOSTS",
    "ANYMAIL_WEBHOOK_SECRET",
    "CELERY_BROKER_URL",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_URL",
    "DEFAULT_FROM_EMAIL",
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_URL",
    "MEDIA_ROOT",
    "REDIS_URL",
    "SECRET_KEY",
    "SITE_URL",
    "VAR_DIR",
)


def run_python(code, env, settings="cms.settings.dev"):
    """Run ``code`` in a new interpreter with only ``env`` as settings environment; return its JSON output."""
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environment.update(env, DJANGO_SETTINGS_MODULE=settings)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def read_settings(env, names, settings="cms.settings.dev"):
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}, default=str))"
    )
    return run_python(code, env, settings)


# EMAIL_URL parsing


def test_without_email_url_mails_are_written_as_eml_files_under_var(tmp_path):
    values = read_settings({"VAR_DIR": str(tmp_path)}, ["EMAIL_BACKEND", "EMAIL_FILE_PATH"])
    assert values == {"EMAIL_BACKEND": "cms.mail.EmlFileBackend", "EMAIL_FILE_PATH": str(tmp_path / "mail")}


def test_smtp_url_gives_host_port_and_credentials():
    values = email_settings("smtp://mailer:s%40cret@smtp.example.org:2525", Path("unused"))
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.org", 2525)
    assert (values["EMAIL_HOST_USER"], values["EMAIL_HOST_PASSWORD"]) == ("mailer", "s@cret")
    assert not values["EMAIL_USE_SSL"] and not values["EMAIL_USE_TLS"]


def test_smtp_url_with_starttls_option_uses_starttls():
    values = email_settings("smtp://smtp.example.org:587?starttls=1", Path("unused"))
    assert values["EMAIL_USE_TLS"] and not values["EMAIL_USE_SSL"]


def test_smtps_url_uses_implicit_tls_on_port_465_by_default():
    values = email_settings("smtps://mailer:pw@smtp.example.org", Path("unused"))
    assert values["EMAIL_USE_SSL"] and not values["EMAIL_USE_TLS"]
    assert values["EMAIL_PORT"] == 465


def test_mailgun_url_configures_anymail_mailgun():
    values = email_settings("mailgun://key-123@?sender_domain=mg.example.org", Path("unused"))
    assert values["EMAIL_BACKEND"] == "anymail.backends.mailgun.EmailBackend"
    assert values["ANYMAIL"] == {"MAILGUN_API_KEY": "key-123", "MAILGUN_SENDER_DOMAIN": "mg.example.org"}


def test_postmark_url_configures_the_server_token():
    values = email_settings("postmark://token-abc@", Path("unused"))
    assert values["EMAIL_BACKEND"] == "anymail.backends.postmark.EmailBackend"
    assert values["ANYMAIL"] == {"POSTMARK_SERVER_TOKEN": "token-abc"}


def test_unknown_email_url_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="unknown scheme"):
        email_settings("carrierpigeon://coo@loft", Path("unused"))


def test_esp_url_in_the_environment_gives_a_working_anymail_connection():
    code = (
        "import json, django; django.setup(); from django.core.mail import get_connection; "
        "from django.conf import settings; c = get_connection(); "
        "print(json.dumps([type(c).__module__, c.api_key, c.sender_domain, settings.ANYMAIL['WEBHOOK_SECRET']]))"
    )
    env = {"EMAIL_URL": "mailgun://key-123@?sender_domain=mg.example.org", "ANYMAIL_WEBHOOK_SECRET": "hook:secret"}
    assert run_python(code, env) == ["anymail.backends.mailgun", "key-123", "mg.example.org", "hook:secret"]


# The .eml backend used by `make run`


def test_eml_backend_writes_one_readable_file_per_message(tmp_path, settings):
    settings.EMAIL_BACKEND = "cms.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    first = mail.EmailMultiAlternatives(
        "Uitnodiging: oproep zorg én welzijn",
        "Beste netwerkcoördinator,\n\nWe horen graag uw ervaringen.",
        "Zorg en Welzijn <noreply@example.org>",
        ["coordinator@example.org"],
    )
    first.attach_alternative("<p lang='nl'>We horen graag uw ervaringen.</p>", "text/html")
    second = mail.EmailMessage("Herinnering", "Nog twee weken.", "noreply@example.org", ["wijkteam@example.org"])

    assert mail.get_connection().send_messages([first, second]) == 2

    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    messages = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]
    by_subject = {message["Subject"]: message for message in messages}
    invitation = by_subject["Uitnodiging: oproep zorg én welzijn"]
    assert invitation["To"] == "coordinator@example.org"
    assert "netwerkcoördinator" in invitation.get_body(("plain",)).get_content()
    assert "uw ervaringen" in invitation.get_body(("html",)).get_content()
    assert by_subject["Herinnering"].get_body(("plain",)).get_content().strip() == "Nog twee weken."


# Database, broker and cache


def test_without_urls_the_site_runs_on_sqlite_files_and_the_filesystem_broker(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings; from cms.celery import app; "
        "print(json.dumps([settings.DATABASES['default']['NAME'], settings.CACHES['default']['BACKEND'], "
        "app.conf.broker_url, app.conf.broker_transport_options], default=str))"
    )
    database, cache, broker, options = run_python(code, {"VAR_DIR": str(tmp_path)})
    assert database == str(tmp_path / "db.sqlite3")
    assert cache == "django.core.cache.backends.filebased.FileBasedCache"
    assert broker == "filesystem://"
    assert options["data_folder_in"] == options["data_folder_out"] == str(tmp_path / "celery" / "queue")
    assert (tmp_path / "celery" / "queue").is_dir()


def test_with_urls_production_uses_postgresql_and_redis(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings; from cms.celery import app; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps([db['ENGINE'], db['HOST'], db['NAME'], settings.CACHES['default'], app.conf.broker_url]))"
    )
    env = {
        "SECRET_KEY": "x" * 50,
        "SUPPRESSION_HASH_KEY": "y" * 50,
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://wagtail:wagtail@db.internal:5432/zorgenwelzijn",
        "REDIS_URL": "redis://cache.internal:6379/2",
    }
    engine, host, name, cache, broker = run_python(code, env, settings="cms.settings.production")
    assert (engine, host, name) == ("django.db.backends.postgresql", "db.internal", "zorgenwelzijn")
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert broker == "redis://cache.internal:6379/2"


def test_celery_broker_url_puts_the_workers_on_another_broker_beside_the_redis_cache(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings; from cms.celery import app; "
        "print(json.dumps([settings.CACHES['default']['LOCATION'], app.conf.broker_url, app.conf.broker_transport_options]))"
    )
    env = {
        "SECRET_KEY": "x" * 50,
        "SUPPRESSION_HASH_KEY": "y" * 50,
        "VAR_DIR": str(tmp_path),
        "REDIS_URL": "redis://cache.internal:6379/2",
        "CELERY_BROKER_URL": "amqp://zw:secret@rabbitmq.internal:5672/zw",
    }
    cache, broker, options = run_python(code, env, settings="cms.settings.production")
    assert cache == "redis://cache.internal:6379/2"
    assert broker == "amqp://zw:secret@rabbitmq.internal:5672/zw"
    assert "data_folder_in" not in (options or {}) and "visibility_timeout" not in (options or {})
