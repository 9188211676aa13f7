"""The form rate limit counts per client, also behind a reverse proxy (TRUSTED_PROXY_COUNT)."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from cms.client_ip import client_ip
from cms.factories import CallForInputPageFactory, ContactPersonFactory
from cms.models import CallResponse

PROXY = "10.0.0.2"
ANSWERS = {
    "e_mailadres": "sanne@example.org",
    "organisatie": "Gemeente Tielburg",
    "soort_organisatie": "Gemeente",
    "beschrijving_van_het_initiatief": "Het wijkteam en het netwerk palliatieve zorg ondersteunen samen mantelzorgers.",
}


@pytest.fixture(autouse=True)
def two_posts_an_hour(settings):
    settings.FORM_RATE_LIMIT = "2/h"
    cache.clear()


@pytest.fixture
def call(site_tree):
    _, _, calls = site_tree
    return CallForInputPageFactory(parent=calls, contact_person=ContactPersonFactory(), notify_contact_person=False)


def post(call, name, remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client(**headers).post(call.url, {**ANSWERS, "naam": name}).status_code


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings, call):
    settings.TRUSTED_PROXY_COUNT = 0

    first = [post(call, f"Persoon {n}", PROXY, forwarded_for="203.0.113.5") for n in range(2)]
    other_client = post(call, "Ander", PROXY, forwarded_for="198.51.100.7")
    forged = post(call, "Vervalst", PROXY)

    assert (first, other_client, forged) == ([200, 200], 429, 429)
    assert CallResponse.objects.count() == 2


def test_behind_one_proxy_each_client_has_its_own_limit(settings, call):
    settings.TRUSTED_PROXY_COUNT = 1

    first = [post(call, f"Persoon {n}", PROXY, forwarded_for="203.0.113.5") for n in range(3)]
    other_client = post(call, "Ander", PROXY, forwarded_for="198.51.100.7")
    forged = post(call, "Vervalst", PROXY, forwarded_for="192.0.2.99, 203.0.113.5")

    assert (first, other_client, forged) == ([200, 200, 429], 200, 429)
    assert CallResponse.objects.count() == 3


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.2"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.99, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.99, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2"),  # did not pass both proxies: REMOTE_ADDR
        (1, None, "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "niet-een-adres", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_is_the_address_the_outermost_trusted_proxy_saw(settings, count, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = count
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for

    assert client_ip(RequestFactory().get("/", **headers)) == expected
