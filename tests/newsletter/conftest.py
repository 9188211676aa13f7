"""Fixtures shared by the newsletter tests: topics, the current consent text and the archive page."""

import pytest

from newsletter.factories import ConsentTextFactory, NewsletterIndexPageFactory, TopicFactory


@pytest.fixture
def topics(db):
    """The demo's three topics: general, care and welfare, palliative-care networks."""
    return [
        TopicFactory(name="Algemene nieuwsbrief", slug="algemeen", sort_order=1),
        TopicFactory(name="Zorg en welzijn", slug="zorg-en-welzijn", sort_order=2),
        TopicFactory(name="Netwerken palliatieve zorg", slug="netwerken", sort_order=3),
    ]


@pytest.fixture
def consent_text(db):
    return ConsentTextFactory()


@pytest.fixture
def newsletter_index(site_tree):
    home, _, _ = site_tree
    return NewsletterIndexPageFactory(parent=home)
