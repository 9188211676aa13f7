"""A call's empty answer form is rendered once per generation: what an editor publishes shows at once,
and nothing a visitor typed or a personal link knows is ever taken from, or put into, that memo."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from cms.factories import CallForInputPageFactory, ContactPersonFactory
from cms.models import CallFormField

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def call(site_tree):
    _, _, calls = site_tree
    return CallForInputPageFactory(parent=calls, title="Oproep: goede voorbeelden", contact_person=ContactPersonFactory())


def labels(response):
    form = BeautifulSoup(response.content, "html.parser").find("form", method="post")
    return [label.get_text(" ", strip=True) for label in form.find_all(["label", "legend"])]


def test_a_field_the_editor_publishes_shows_at_once(client, call):
    assert not any("Telefoonnummer" in label for label in labels(client.get(call.url)))

    call.form_fields.add(CallFormField(label="Telefoonnummer", field_type="singleline", required=False))
    call.save_revision().publish()

    assert any("Telefoonnummer" in label for label in labels(client.get(call.url)))


def test_the_preview_shows_the_fields_of_the_draft_and_the_live_page_keeps_its_own(client, call):
    client.get(call.url)  # the live page's empty form is now kept

    draft = type(call).objects.get(pk=call.pk)
    draft.form_fields.add(CallFormField(label="Aantal deelnemers", field_type="number", required=False))
    preview = draft.make_preview_request()

    assert any("Aantal deelnemers" in label for label in labels(preview))
    assert not any("Aantal deelnemers" in label for label in labels(client.get(call.url)))


def test_a_rejected_answer_shows_its_errors_and_what_was_typed_after_the_empty_form_was_kept(client, call):
    client.get(call.url)

    page = client.post(call.url, {"naam": "Sanne Bakker", "organisatie": "Gemeente Tielburg"})

    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("input", attrs={"name": "naam"})["value"] == "Sanne Bakker"
    assert soup.find("input", attrs={"name": "e_mailadres"})["aria-invalid"] == "true"
    assert soup.find(id="e_mailadres-error")
    again = BeautifulSoup(client.get(call.url).content, "html.parser")
    assert not again.find("input", attrs={"name": "naam"}).get("value")
    assert not again.find(attrs={"aria-invalid": "true"})
