"""On a phone the header leaves the screen to the content: search sits behind the menu's "Zoeken" link."""

import pytest

from .conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_390 = {"width": 390, "height": 800}


def test_phone_header_is_short_and_its_search_link_leads_to_the_search_field(page, demo_site):
    page.set_viewport_size(PHONE_390)
    page.goto(demo_site["article"].url)

    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 120, f"the header takes {header['height']:.0f} of 800 px"
    assert page.get_by_role("searchbox", name="Zoek op de site").is_hidden()
    assert_no_axe_violations(page)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zoeken").click()
    page.wait_for_url("**/zoeken/")
    search_field = page.locator("main").get_by_role("searchbox")
    assert search_field.is_visible()
    search_field.fill("wijkteam")
    search_field.press("Enter")
    page.wait_for_url("**/zoeken/?q=wijkteam*")
    assert page.get_by_role("link", name="Samenwerken met het wijkteam: zo begint u").is_visible()
    assert_no_axe_violations(page)


def test_desktop_header_keeps_its_search_form(page, demo_site):
    page.goto(demo_site["home"].url)

    assert page.get_by_role("searchbox", name="Zoek op de site").is_visible()
