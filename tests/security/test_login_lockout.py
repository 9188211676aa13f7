"""A password-guessing bot gets nowhere: Wagtail's login locks one user name on one client after 5 wrong passwords."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

PASSWORD = "juist-wachtwoord-7"
BOT = "203.0.113.7"
COLLEAGUE = "198.51.100.20"
LOCKED = "Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def editors(db):
    editors = Group.objects.get(name="Editors")
    for name in ("redacteur", "collega"):
        User.objects.create_user(name, f"{name}@example.org", PASSWORD).groups.add(editors)


def log_in(client, username, password, address=BOT):
    return client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def guess(client, username, address=BOT):
    """Five wrong passwords: the first four get the login form again, the fifth the lock-out."""
    for attempt in range(4):
        assert log_in(client, username, f"fout-{attempt}", address).status_code == 200
    assert_locked(log_in(client, username, "fout-4", address))


def page_text(response):
    """The page without its CSRF token, which differs per request anyway."""
    return re.sub(r'"CSRF_TOKEN": "\w+"', "", response.content.decode())


def assert_locked(response):
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client):
    guess(client, "redacteur")

    answer = log_in(client, "redacteur", PASSWORD)

    assert_locked(answer)
    assert "redacteur" not in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_on_the_user_name_and_the_client_together(client):
    guess(client, "redacteur")

    assert logged_in(log_in(client, "redacteur", PASSWORD, address=COLLEAGUE))
    client.logout()
    assert logged_in(log_in(client, "collega", PASSWORD, address=BOT))


def test_an_unknown_user_name_gets_the_same_answer(client):
    guess(client, "redacteur")
    guess(client, "bestaat-niet")

    known = log_in(client, "redacteur", PASSWORD)
    unknown = log_in(client, "bestaat-niet", PASSWORD)

    assert_locked(known)
    assert_locked(unknown)
    assert page_text(known) == page_text(unknown)


def test_after_the_cool_off_the_right_password_works_again(client):
    guess(client, "redacteur")
    assert_locked(log_in(client, "redacteur", PASSWORD))

    earlier = AccessAttempt.objects.get(username="redacteur").attempt_time - timedelta(minutes=16)
    AccessAttempt.objects.filter(username="redacteur").update(attempt_time=earlier)

    assert logged_in(log_in(client, "redacteur", PASSWORD))


def test_an_administrator_unlocks_a_user_at_once(client):
    guess(client, "redacteur")

    call_command("axes_reset_username", "redacteur")

    assert logged_in(log_in(client, "redacteur", PASSWORD))


def test_behind_a_trusted_proxy_the_lock_is_on_the_forwarded_client(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    def through_proxy(address, password):
        return client.post(
            reverse("wagtailadmin_login"),
            {"username": "redacteur", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=address,
        )

    for attempt in range(4):
        assert through_proxy(BOT, f"fout-{attempt}").status_code == 200
    assert_locked(through_proxy(BOT, "fout-4"))

    assert_locked(through_proxy(BOT, PASSWORD))
    assert logged_in(through_proxy(COLLEAGUE, PASSWORD))


def test_a_cool_off_of_one_minute_is_said_in_the_singular(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    for attempt in range(5):
        answer = log_in(client, "redacteur", f"fout-{attempt}")

    assert answer.status_code == 429
    assert "Probeer het over 1 minuut opnieuw." in answer.content.decode()
