"""Security headers on every response: CSP, Permissions-Policy, COOP, nosniff, Referrer-Policy; HSTS in production."""

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.format import embed_to_frontend_html
from wagtail.embeds.models import Embed

from campaigns.factories import CampaignFactory, ContactFactory, OrganisationFactory
from campaigns.models import Organisation
from cms.views import server_error
from tests.test_settings import read_settings

from .roles import make_call_page, make_user

pytestmark = pytest.mark.django_db

# What cms.settings.production sets beyond the base settings (the rest of the headers come from base).
PRODUCTION_ONLY = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]
EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
UNUSED_FEATURES = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "browsing-topics=()")


def directives(response):
    policy = response["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def assert_security_headers(response):
    for header, value in EVERY_RESPONSE.items():
        assert response[header] == value, header
    features = response["Permissions-Policy"].split(", ")
    assert set(UNUSED_FEATURES) <= set(features)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.fixture
def public_urls(site_tree):
    home, articles, calls = site_tree
    return [home.url, articles.url, make_call_page(site_tree).url, "/zoeken/?q=zorg", "/bestaat-niet/", "/admin/login/"]


def test_every_public_response_carries_the_security_headers(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_security_headers(response)
        assert "Strict-Transport-Security" not in response


@pytest.fixture(scope="module")
def production_security(tmp_path_factory):
    """Those settings as cms.settings.production computes them, read in a process of their own."""
    environment = {"SECRET_KEY": "production-like", "SUPPRESSION_HASH_KEY": "production-like", "VAR_DIR": str(tmp_path_factory.mktemp("var"))}
    return read_settings(environment, PRODUCTION_ONLY, settings="cms.settings.production")


def test_production_adds_hsts_to_the_same_headers(client, public_urls, production_security):
    with override_settings(**production_security):
        for url in public_urls:
            response = client.get(url, secure=True)
            assert_security_headers(response)
            assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_a_rejected_post_carries_them_too(client, site_tree):
    response = client.post(make_call_page(site_tree).url, {"naam": ""})

    assert response.status_code == 200
    assert_security_headers(response)


def test_the_projects_admin_screens_are_held_to_the_strict_policy(client, site_tree):
    client.force_login(make_user("campaign_manager"))

    for url in (reverse("campaigns:index"), reverse("campaigns_contact_modeladmin_index")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)


def test_wagtail_editor_screens_may_use_inline_script_and_style(client, site_tree):
    client.force_login(make_user("editor"))

    response = client.get(f"/admin/pages/{make_call_page(site_tree).pk}/edit/")

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.fixture
def campaign(site_tree):
    network = OrganisationFactory(name="Netwerk Palliatieve Zorg Eemland", kind=Organisation.Kind.NETWORK)
    contact = ContactFactory(name="Anouk Visser", organisation=network)
    campaign = CampaignFactory(call_page=make_call_page(site_tree))
    return campaign, contact


def test_the_mail_preview_frame_gets_a_policy_of_its_own(client, campaign):
    campaign, contact = campaign
    client.force_login(make_user("editor"))
    url = reverse("campaigns:preview", args=[campaign.pk])

    response = client.get(url, {"ontvanger": contact.pk, "html": "1"})

    assert response.status_code == 200
    assert "Beste Anouk Visser" in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = directives(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert "script-src" not in policy
    assert policy["frame-ancestors"] == ["'self'"]
    assert client.get(url, {"ontvanger": contact.pk, "html": "3"}).status_code == 404
    assert client.get(url, {"ontvanger": contact.pk, "html": "²"}).status_code == 404


def test_a_video_embed_needs_no_inline_style(site_tree):
    url = "https://www.youtube.com/watch?v=voorbeeld"
    player = '<iframe src="https://www.youtube-nocookie.com/embed/voorbeeld" title="Video"></iframe>'
    Embed.objects.create(url=url, hash=get_embed_hash(url), type="video", html=player, width=640, height=360)

    html = embed_to_frontend_html(url)

    assert 'class="responsive-object"' in html
    assert player in html
    assert "style=" not in html


def test_the_server_error_page_needs_no_inline_style(rf):
    html = server_error(rf.get("/")).content.decode()

    assert "<style" not in html and "style=" not in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
