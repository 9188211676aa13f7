"""A newsletter link whose id part is a non-ASCII digit ("²", "١") is an unknown link, never a server error."""

import pytest

from newsletter.models import ConsentRecord
from newsletter.services.subscriptions import sign_up
from newsletter.tokens import confirmation_token, find_consent_record, find_subscriber, preferences_token

UNICODE_DIGITS = ["²", "١", "1²"]


@pytest.fixture
def record(topics, consent_text):
    return sign_up("sanne@example.org", name="Sanne", topics=topics[:1], source=ConsentRecord.Source.SIGNUP_PAGE, send=False)


def with_id(token, pk):
    return f"{pk}-{token.partition('-')[2]}"


@pytest.mark.django_db
@pytest.mark.parametrize("pk", UNICODE_DIGITS)
def test_a_token_with_a_unicode_digit_as_id_finds_nobody(record, pk):
    assert find_subscriber(with_id(preferences_token(record.subscriber), pk)) is None
    assert find_consent_record(with_id(confirmation_token(record), pk)) is None


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["bevestigen", "voorkeuren", "afmelden"])
@pytest.mark.parametrize("pk", UNICODE_DIGITS)
def test_a_public_link_with_a_unicode_digit_as_id_is_the_dutch_unknown_link_page(client, record, page, pk):
    response = client.get(f"/nieuwsbrief/{page}/{with_id(confirmation_token(record), pk)}/")

    assert response.status_code == 404
    assert "Deze link werkt niet" in response.content.decode()
    assert "Sanne" not in response.content.decode()
