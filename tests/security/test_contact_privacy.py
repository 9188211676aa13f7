"""Contact addresses stay with those who may open the contact screens; the campaign form does not list every contact."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from campaigns.factories import CampaignFactory, ContactFactory, OrganisationFactory
from campaigns.models import Campaign, Contact, Organisation, Suppression

from .roles import is_refused, make_call_page, make_user


@pytest.fixture
def editor(db):
    return make_user("editor")


@pytest.fixture
def campaign_manager(db):
    return make_user("campaign_manager")


@pytest.fixture
def call_page(site_tree):
    return make_call_page(site_tree)


@pytest.fixture
def wethouder(db):
    municipality = OrganisationFactory(name="Gemeente Amersfoort", kind=Organisation.Kind.MUNICIPALITY)
    return ContactFactory(name="Wendy Wethouder", email="wendy.wethouder@amersfoort.example", organisation=municipality)


def search(client, **params):
    response = client.get(reverse("campaigns:contact_search"), params)
    assert response.status_code == 200
    return response.json()


def test_editor_sees_no_address_in_the_campaign_form_nor_in_the_chooser(client, editor, call_page, wethouder):
    client.force_login(editor)

    form = client.get(reverse("campaigns:add") + f"?oproep={call_page.pk}").content.decode()
    found = search(client, q="Wendy")

    assert wethouder.email not in form
    assert found["results"] == [{"id": wethouder.pk, "name": "Wendy Wethouder", "organisation": "Gemeente Amersfoort"}]
    assert wethouder.email not in str(found)


def test_editor_cannot_find_contacts_by_their_address(client, editor, wethouder):
    client.force_login(editor)

    assert search(client, q="amersfoort.example")["count"] == 0


def test_campaign_manager_sees_and_searches_addresses_in_the_chooser(client, campaign_manager, wethouder):
    client.force_login(campaign_manager)

    found = search(client, q="amersfoort.example")

    assert found["results"][0]["email"] == wethouder.email


def test_the_chooser_answers_only_those_who_may_prepare_a_campaign(client, db, wethouder):
    moderator = make_user("editor", "moderator")
    moderator.groups.set([Group.objects.get(name="Moderators")])

    client.force_login(make_user("superuser"))
    allowed = client.get(reverse("campaigns:contact_search"), {"q": "Wendy"})
    client.force_login(moderator)
    refused = client.get(reverse("campaigns:contact_search"), {"q": "Wendy"})

    assert allowed.json()["count"] == 1
    assert is_refused(refused)
    assert "Wendy" not in refused.content.decode()


@pytest.mark.parametrize("model_admin", ["contact", "organisation", "suppression"])
def test_editor_is_refused_the_history_of_contacts_organisations_and_blocked_addresses(
    client, editor, campaign_manager, wethouder, model_admin
):
    instance = {
        "contact": wethouder,
        "organisation": wethouder.organisation,
        "suppression": Suppression.objects.create(email=wethouder.email, reason=Suppression.Reason.MANUAL),
    }[model_admin]
    url = reverse(f"campaigns_{model_admin}_modeladmin_history", args=[instance.pk])

    client.force_login(editor)
    refused = client.get(url)
    client.force_login(campaign_manager)
    allowed = client.get(url)

    assert is_refused(refused)
    assert wethouder.email not in refused.content.decode()
    assert allowed.status_code == 200


@pytest.mark.parametrize("action", ["index", "create"])
def test_editor_is_refused_the_contact_screens(client, editor, action):
    client.force_login(editor)

    assert is_refused(client.get(reverse(f"campaigns_contact_modeladmin_{action}")))


def test_with_ten_thousand_contacts_the_form_stays_small_and_the_chooser_pages(client, campaign_manager, call_page):
    organisation = OrganisationFactory(name="Netwerk Groot")
    Contact.objects.bulk_create(
        Contact(name=f"Persoon {number:05d}", email=f"persoon{number}@example.org", organisation=organisation)
        for number in range(10_000)
    )
    client.force_login(campaign_manager)

    form = client.get(reverse("campaigns:add") + f"?oproep={call_page.pk}").content.decode()
    first, second = search(client, q="Persoon"), search(client, q="Persoon", p=2)

    assert "Persoon 00000" not in form
    assert len(re.findall(r"<option\b", form)) < 100
    assert len(form) < 200_000
    assert first["count"] == 10_000 and first["has_next"]
    assert [result["name"] for result in first["results"]] == [f"Persoon {number:05d}" for number in range(20)]
    assert second["page"] == 2
    assert second["results"][0]["name"] == "Persoon 00020"


def test_a_campaign_is_saved_with_the_contacts_chosen_in_the_chooser(client, editor, call_page, wethouder):
    other = ContactFactory(name="Ottoline Overig")
    client.force_login(editor)
    form = client.get(reverse("campaigns:add") + f"?oproep={call_page.pk}").content.decode()
    data = querydict_from_html(form, form_id="w-editor-form")
    data.setlist("chosen_contacts", [str(wethouder.pk), str(other.pk)])

    response = client.post(reverse("campaigns:add"), dict(data.lists()))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert set(campaign.chosen_contacts.all()) == {wethouder, other}
    edit = client.get(reverse("campaigns:edit", args=[campaign.pk])).content.decode()
    data = querydict_from_html(edit, form_id="w-editor-form")
    assert sorted(data.getlist("chosen_contacts")) == sorted([str(wethouder.pk), str(other.pk)])
    assert "Wendy Wethouder – Gemeente Amersfoort" in edit
    assert wethouder.email not in edit

    data.setlist("chosen_contacts", [str(other.pk)])
    client.post(reverse("campaigns:edit", args=[campaign.pk]), dict(data.lists()))

    assert list(campaign.chosen_contacts.all()) == [other]


def test_a_contact_that_no_longer_exists_is_refused_in_dutch(client, editor, call_page):
    client.force_login(editor)
    form = client.get(reverse("campaigns:add") + f"?oproep={call_page.pk}").content.decode()
    data = querydict_from_html(form, form_id="w-editor-form")
    data.setlist("chosen_contacts", ["999999"])

    response = client.post(reverse("campaigns:add"), dict(data.lists()))

    assert response.status_code == 200
    assert "Een gekozen contact bestaat niet meer" in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("who, sees_addresses", [("editor", False), ("campaign_manager", True)])
def test_the_confirm_step_lists_who_gets_the_mail_with_addresses_only_for_contact_managers(
    client, request, call_page, wethouder, who, sees_addresses
):
    left_out = ContactFactory(name="Karel Zonder", email="karel@example.org", active=False)
    campaign = CampaignFactory(call_page=call_page, organisation_kinds=[])
    campaign.chosen_contacts.set([wethouder, left_out])
    client.force_login(request.getfixturevalue(who))

    page = client.get(reverse("campaigns:overview", args=[campaign.pk])).content.decode()

    assert "Wendy Wethouder" in page and "Karel Zonder" in page
    assert (wethouder.email in page) is sees_addresses
    assert (left_out.email in page) is sees_addresses
