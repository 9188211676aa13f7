"""The colour theme picker works without JavaScript, and every theme passes axe (colour contrast included)."""

import pytest

from .conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BACKGROUNDS = {"licht": "rgb(255, 255, 255)", "donker": "rgb(18, 20, 23)", "contrast": "rgb(255, 255, 255)"}


def body_background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def pages_to_check(site):
    return [site["home"].url, site["article_index"].url, site["article"].url, site["open_call"].url]


@pytest.mark.parametrize("theme, label", [("licht", "Licht"), ("donker", "Donker"), ("contrast", "Hoog contrast")])
def test_chosen_theme_sticks_without_javascript_and_passes_axe(browser, live_server, demo_site, theme, label):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL", base_url=live_server.url)
    page = context.new_page()
    page.goto(demo_site["article"].url)

    page.get_by_label("Kleuren van de site").select_option(label=label)
    page.get_by_role("button", name="Kleuren kiezen").click()

    page.wait_for_url(f"**{demo_site['article'].url}")
    assert page.locator("html").get_attribute("class") == f"theme-{theme}"
    assert body_background(page) == BACKGROUNDS[theme]
    assert page.get_by_label("Kleuren van de site").input_value() == theme
    context.close()

    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.add_cookies([{"name": "kleuren", "value": theme, "url": live_server.url}])
    page = context.new_page()
    for url in pages_to_check(demo_site):
        page.goto(url)
        assert body_background(page) == BACKGROUNDS[theme]
        assert_no_axe_violations(page)
    context.close()


@pytest.mark.parametrize("scheme, background", [("light", "rgb(255, 255, 255)"), ("dark", "rgb(18, 20, 23)")])
def test_without_a_choice_the_device_preference_decides_and_passes_axe(page, demo_site, scheme, background):
    page.emulate_media(color_scheme=scheme)
    for url in pages_to_check(demo_site):
        page.goto(url)
        assert page.locator("html").get_attribute("class") == "theme-apparaat"
        assert body_background(page) == background
        assert_no_axe_violations(page)


def test_picker_sends_the_visitor_back_only_within_the_site(client, db):
    response = client.post("/kleuren/", {"kleuren": "donker", "next": "https://elders.example/"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert response.cookies["kleuren"].value == "donker"

    refused = client.post("/kleuren/", {"kleuren": "paars", "next": "/zoeken/"})
    assert refused.status_code == 400
    assert "Kies een van de kleuren hieronder." in refused.content.decode()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}])
def test_every_colour_choice_fits_in_the_picker(browser, live_server, demo_site, viewport):
    context = browser.new_context(viewport=viewport, locale="nl-NL", base_url=live_server.url)
    page = context.new_page()
    page.goto(demo_site["article"].url)

    # The widest label, measured in the select's own font, plus room for its arrow.
    needed, available = page.evaluate(
        """() => {
            const select = document.getElementById("theme-picker-kleuren");
            const style = getComputedStyle(select);
            const context = document.createElement("canvas").getContext("2d");
            context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const widest = Math.max(...[...select.options].map((option) => context.measureText(option.text).width));
            return [widest + 24, select.clientWidth];
        }"""
    )
    context.close()

    assert needed <= available
