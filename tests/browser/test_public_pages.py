"""Every public page type passes axe-core (WCAG 2.2 AA rules) at desktop and phone width,
does not scroll sideways at 320 px, and leaves screenshots for a human to look at."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cms import factories
from cms.models import Persona

from .conftest import DESKTOP, PHONE, assert_no_axe_violations, horizontal_overflow, save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def submit(page):
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Verstuur reactie").click()
    return navigation.value


def fill_answers(page):
    page.get_by_label(re.compile(r"^Naam")).fill("Sanne Jansen")
    page.get_by_label(re.compile(r"^E-mailadres")).fill("sanne@example.org")
    page.get_by_label(re.compile(r"^Organisatie")).fill("Netwerk Palliatieve Zorg Voorbeeldstad")
    page.get_by_label(re.compile(r"^Soort organisatie")).select_option("Netwerk palliatieve zorg")
    page.get_by_label(re.compile(r"^Beschrijving")).fill("Wij drinken elke maand koffie met het wijkteam.")


def answer_call(page, site):
    page.goto(site["open_call"].url)
    fill_answers(page)
    return submit(page)


def post_empty_form(page, site):
    page.goto(site["open_call"].url)
    return submit(page)


def fill_honeypot(page, site):
    """What a browser's autofill might do: the hidden spam trap gets a value."""
    page.goto(site["open_call"].url)
    fill_answers(page)
    page.locator("#id_website").fill("https://example.org")
    return submit(page)


def answer_after_the_call_closed(page, site):
    """The form was opened while the call was open; it closed before the answer was sent."""
    page.goto(site["open_call"].url)
    fill_answers(page)
    call = site["open_call"]
    call.deadline = timezone.now() - timedelta(minutes=1)
    call.save_revision().publish()
    return submit(page)


def answer_until_rate_limited(page, site):
    # A limit of one per hour: the second answer (at most the third, across an hour boundary) is refused.
    settings.FORM_RATE_LIMIT = "1/h"
    for _ in range(3):
        response = answer_call(page, site)
        if response.status == 429:
            return response
    raise AssertionError("The rate limit never kicked in")


# name -> how to get there; each returns the response of the page under test.
VISITS = {
    "home": lambda page, site: page.goto(site["home"].url),
    "article-index": lambda page, site: page.goto(site["article_index"].url),
    "theme": lambda page, site: page.goto(site["article_index"].url + "thema/sociaal-domein/"),
    "article": lambda page, site: page.goto(site["article"].url),
    "call-index": lambda page, site: page.goto(site["call_index"].url),
    "call-open": lambda page, site: page.goto(site["open_call"].url),
    "call-closed": lambda page, site: page.goto(site["closed_call"].url),
    "call-form-errors": post_empty_form,
    "call-answered": answer_call,
    "call-honeypot-error": fill_honeypot,
    "call-rate-limited": answer_until_rate_limited,
    "call-closed-late-answer": answer_after_the_call_closed,
    "search": lambda page, site: page.goto("/zoeken/?q=wijkteam"),
    "accessibility-statement": lambda page, site: page.goto("/toegankelijkheid/"),
    "not-found": lambda page, site: page.goto("/bestaat-niet/"),
}
EXPECTED_STATUS = {"not-found": 404, "call-rate-limited": 429, "call-closed-late-answer": 410}


@pytest.mark.parametrize("name", VISITS)
def test_page_passes_axe_and_reflows(page, demo_site, name):
    response = VISITS[name](page, demo_site)

    assert response.status == EXPECTED_STATUS.get(name, 200)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert_no_axe_violations(page)
    save_screenshots(page, name)
    assert horizontal_overflow(page, 320) <= 0, f"{name} scrolls sideways at 320 px"


def test_form_errors_are_summarised_and_linked_to_their_fields(page, demo_site):
    post_empty_form(page, demo_site)

    summary = page.get_by_role("alert")
    assert "Er ging iets mis" in summary.inner_text()
    summary.get_by_role("link", name=re.compile(r"^E-mailadres")).click()
    email = page.get_by_label(re.compile(r"^E-mailadres"))
    assert email.evaluate("element => element === document.activeElement")
    assert email.get_attribute("aria-invalid") == "true"
    assert page.title().startswith("Fout: ")


def test_closed_call_says_so_and_has_no_form(page, demo_site):
    page.goto(demo_site["closed_call"].url)

    assert "Deze oproep is gesloten sinds" in page.inner_text("main")
    assert "reageren kan niet meer" in page.inner_text("main")
    assert page.locator("main form[method=post]").count() == 0  # the footer has the theme picker


def test_an_answer_sent_after_the_deadline_is_shown_back_to_copy(page, demo_site):
    answer_after_the_call_closed(page, demo_site)

    unsent = page.get_by_role("region", name="Uw reactie is niet verstuurd")
    assert "Dit had u ingevuld" in unsent.inner_text()
    assert "Wij drinken elke maand koffie met het wijkteam." in unsent.inner_text()


def test_persona_download_shows_type_and_size_and_delivers_the_pdf(page, demo_site):
    page.goto(demo_site["article"].url)

    link = page.get_by_role("link", name=re.compile(r"^Download persona Piet en Ria"))
    assert re.search(r"\(PDF, [\d,]+\s(bytes|KB)\)", link.inner_text())
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.body().startswith(b"%PDF")
    assert Persona.objects.get(name="Piet en Ria").download_count == 1


def test_rate_limited_answer_keeps_what_was_typed(page, demo_site):
    answer_until_rate_limited(page, demo_site)

    assert "Wacht een minuut en verstuur het formulier opnieuw" in page.get_by_role("alert").inner_text()
    assert page.get_by_label(re.compile(r"^Naam")).input_value() == "Sanne Jansen"


def test_filled_honeypot_is_shown_so_a_person_can_clear_it(page, demo_site):
    fill_honeypot(page, demo_site)

    honeypot = page.get_by_label(re.compile(r"^Laat dit veld leeg"))
    assert honeypot.is_visible()
    assert page.locator(".honeypot[aria-hidden]").count() == 0
    assert page.get_by_label(re.compile(r"^Naam")).input_value() == "Sanne Jansen"
    honeypot.fill("")
    submit(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Bedankt voor uw reactie"


def test_long_article_list_is_paginated(page, demo_site):
    index = demo_site["article_index"]
    for number in range(index.page_size):
        factories.ArticlePageFactory(parent=index, title=f"Goed voorbeeld {number + 1}")

    page.goto(index.url)
    pagination = page.get_by_role("navigation", name="Paginering")
    assert "Pagina 1 van 2" in pagination.inner_text()
    with page.expect_navigation():
        pagination.get_by_role("link", name="Volgende pagina").click()

    assert page.url.endswith("?pagina=2")
    assert page.locator(".card").count() == 2
    assert_no_axe_violations(page)
