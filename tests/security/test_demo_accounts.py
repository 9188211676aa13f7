"""The demo accounts never open with their published password outside the dev and test settings."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cms.demo import content
from tests.services import database_url

DEMO_USERS = [spec["username"] for spec in content.USERS]
OWN_PASSWORD = "eigen-wachtwoord-9"


def logs_in(client, username, password):
    """Whether Wagtail's login form lets ``username`` in with ``password``."""
    response = client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})
    client.logout()
    return response.status_code == 302


def seed_without_demo_passwords(settings):
    settings.DEMO_PASSWORDS_ALLOWED = False
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_without_demo_passwords_the_accounts_exist_but_nobody_logs_in_with_the_published_one(db, settings, client):
    output, _ = seed_without_demo_passwords(settings)

    for username in DEMO_USERS:
        user = get_user_model().objects.get(username=username)
        assert not user.has_usable_password(), username
        assert not logs_in(client, username, content.DEMO_PASSWORD), username
    assert content.DEMO_PASSWORD not in output
    assert "python manage.py changepassword beheerder" in output


def test_existing_accounts_keep_their_password_and_a_published_one_is_reported(db, settings, client):
    User = get_user_model()
    User.objects.create_superuser("beheerder", "beheerder@example.org", OWN_PASSWORD)
    User.objects.create_user("redacteur", "redacteur@example.org", content.DEMO_PASSWORD)

    _, warnings = seed_without_demo_passwords(settings)

    assert logs_in(client, "beheerder", OWN_PASSWORD)
    assert User.objects.get(username="redacteur").check_password(content.DEMO_PASSWORD)
    assert "redacteur still has the published demo password" in warnings
    assert "python manage.py changepassword redacteur" in warnings
    assert "beheerder" not in warnings


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("settings_module", "published_password_works"),
    [("cms.settings.production", False), ("cms.settings.dev", True)],
)
def test_the_settings_module_itself_decides(postgres, tmp_path, settings, client, settings_module, published_password_works):
    """``manage.py seed_demo`` in a process of its own, as docker compose's SEED_DEMO=1 runs it."""
    # The accounts are hashed by that process with Django's default hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_", "EMAIL_"))},
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789",
        "SUPPRESSION_HASH_KEY": "another-long-random-secret-for-this-test-only",
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": database_url(connection.settings_dict),
        "VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    seeded = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=300,
    )

    assert seeded.returncode == 0, seeded.stderr
    for username in DEMO_USERS:
        assert get_user_model().objects.get(username=username).has_usable_password() is published_password_works
        assert logs_in(client, username, content.DEMO_PASSWORD) is published_password_works
    assert (content.DEMO_PASSWORD in seeded.stdout) is published_password_works
