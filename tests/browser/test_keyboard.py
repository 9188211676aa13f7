"""A call can be answered with the keyboard alone: Tab, typing, Space and Enter, no clicks."""

import pytest

from cms.models import CallResponse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What to type into each field, by the start of its label.
ANSWERS = {
    "Naam": "Sanne Jansen",
    "E-mailadres": "sanne@example.org",
    "Organisatie": "Netwerk Palliatieve Zorg Voorbeeldstad",
    "Soort organisatie": "Gemeente",
    "Beschrijving van het initiatief": "Elke maand koffie met het wijkteam en de Wmo-consulent.",
}
MAX_TABS = 60

FOCUSED = """() => {
    const element = document.activeElement;
    const label = element.labels && element.labels[0] ? element.labels[0].innerText : "";
    return {tag: element.tagName.toLowerCase(), type: element.type || "", label: label, text: element.innerText || ""};
}"""


def tab_to(page, matches):
    """Press Tab until the focused element satisfies ``matches``; return what is focused."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            return focused
    raise AssertionError("Tab never reached the expected element")


def test_answering_a_call_with_the_keyboard_only_stores_the_answer(page, demo_site):
    call = demo_site["open_call"]
    page.goto(call.url)

    skip_link = tab_to(page, lambda focused: focused["tag"] == "a")
    assert skip_link["text"] == "Naar de inhoud"
    page.keyboard.press("Enter")

    for label, value in ANSWERS.items():
        tab_to(page, lambda focused, label=label: focused["label"].startswith(label))
        page.keyboard.type(value)
    tab_to(page, lambda focused: focused["type"] == "checkbox")
    page.keyboard.press("Space")
    tab_to(page, lambda focused: focused["type"] == "submit" and focused["text"] == "Verstuur reactie")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == "Bedankt voor uw reactie"
    response = CallResponse.objects.get(page=call)
    assert response.publication_consent is True
    assert response.form_data["naam"] == "Sanne Jansen"
    assert "Gemeente" in response.form_data.values()
    assert "Elke maand koffie met het wijkteam en de Wmo-consulent." in response.form_data.values()
