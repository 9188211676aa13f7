"""Query budgets per page: with a dozen articles an N+1 query would blow them.

Each page is requested once before it is measured, so that image renditions
exist, as they do for every visitor after the first.
"""

import pytest
from django.core.files.base import ContentFile

from cms.factories import (
    ArticlePageFactory,
    CallForInputPageFactory,
    ContactPersonFactory,
    ImageFactory,
    make_image,
    PersonaFactory,
    paragraph,
)
from cms.models import ArticlePersonaLink, ArticleRelatedPage, CallPersonaLink

def small_image():
    return ImageFactory(file=ContentFile(make_image(size=(64, 36)), name="beeld.png"))


THEMES = ["mantelzorg", "sociaal domein", "wijkteams", "Wmo"]


@pytest.fixture
def catalogue(site_tree):
    """12 articles with images and themes, 3 calls and 3 personas, all linked to each other."""
    _, articles, calls = site_tree
    contact = ContactPersonFactory(photo=small_image())
    personas = [PersonaFactory(image=small_image()) for _ in range(3)]
    pages = [
        ArticlePageFactory(
            parent=articles,
            listing_image=small_image(),
            contact_person=contact,
            tags=[THEMES[number % 4], THEMES[(number + 1) % 4]],
            body=[paragraph(f"<p>Verhaal {number} over zorg en welzijn in de wijk.</p>")],
        )
        for number in range(12)
    ]
    for call_number in range(3):
        call = CallForInputPageFactory(parent=calls, contact_person=contact)
        for persona in personas:
            CallPersonaLink.objects.create(page=call, persona=persona)
    article = pages[0]
    for persona in personas:
        ArticlePersonaLink.objects.create(page=article, persona=persona)
    for related in pages[1:4]:
        ArticleRelatedPage.objects.create(page=article, related_page=related)
    return {"article": article, "call": call}


# Measured with the data above (SQLite and PostgreSQL alike) plus one or two queries of headroom.
BUDGETS = {
    "home": ("/", 17),
    "article index": ("/artikelen/", 17),
    "theme listing": ("/artikelen/thema/mantelzorg/", 18),
    "article": ("article", 22),
    "call index": ("/oproepen/", 14),
    "call": ("call", 17),
    "search": ("/zoeken/?q=zorg", 9),
}


def test_pages_stay_within_their_query_budgets(client, catalogue, django_assert_max_num_queries, subtests):
    for name, (url, budget) in BUDGETS.items():
        url = catalogue[url].url if url in catalogue else url
        with subtests.test(page=name):
            assert client.get(url).status_code == 200
            with django_assert_max_num_queries(budget):
                assert client.get(url).status_code == 200
