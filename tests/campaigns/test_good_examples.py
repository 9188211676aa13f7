"""One click from an answer with consent to a draft "goed voorbeeld" page; never without consent."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageLogEntry

from cms.models import ExampleIndexPage, ExamplePage

from . import ledger


@pytest.fixture
def examples_index(site_tree):
    home = site_tree[0]
    index = ExampleIndexPage(title="Goede voorbeelden", slug="goede-voorbeelden", intro="Initiatieven uit het land.")
    home.add_child(instance=index)
    return index


@pytest.fixture
def answers(campaign):
    ledger.start(campaign)
    return {
        "with_consent": ledger.recipient(
            campaign, "Anna de Boer", "netwerk", "utrecht", organisation="Netwerk Utrecht", answered=True, consent=True
        ),
        "without_consent": ledger.recipient(campaign, "Bram Smit", "gemeente", "gelderland", answered=True),
    }


def make_example(client, recipient):
    return client.post(reverse("campaigns_good_example", args=[recipient.response_id]))


def test_a_consented_answer_becomes_a_prefilled_draft(admin_client, admin_user, examples_index, answers):
    anna = answers["with_consent"]

    response = make_example(admin_client, anna)

    page = ExamplePage.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert page.get_parent().pk == examples_index.pk
    assert not page.live and page.has_unpublished_changes
    assert page.title == "Wij drinken elke maand koffie met het wijkteam…"
    assert (page.organisation_name, page.region, page.source_response_id) == ("Netwerk Utrecht", "Utrecht", anna.response_id)
    headings = [block.value["text"] for block in page.body if block.block_type == "heading"]
    assert headings == ["Organisatie", "Soort organisatie", "Beschrijving van het initiatief"]
    body_text = " ".join(block.value.source for block in page.body if block.block_type == "paragraph")
    assert f"<p>{ledger.DESCRIPTION}</p>" in body_text
    assert anna.email not in body_text and "Anna de Boer" not in body_text
    assert PageLogEntry.objects.filter(page=page, action="wagtail.create", user=admin_user).exists()

    editor = admin_client.get(response.url)
    assert editor.status_code == 200
    assert "Pas het aan en publiceer het als het klaar is." in editor.content.decode()


def test_a_second_click_opens_the_same_draft(admin_client, examples_index, answers):
    make_example(admin_client, answers["with_consent"])
    response = make_example(admin_client, answers["with_consent"])

    assert ExamplePage.objects.count() == 1
    assert response.url == reverse("wagtailadmin_pages:edit", args=[ExamplePage.objects.get().pk])


def test_without_consent_there_is_no_button_and_a_post_is_refused(admin_client, campaign, examples_index, answers):
    results = admin_client.get(reverse("campaigns_results", args=[campaign.pk])).content.decode()
    assert results.count("Maak goed voorbeeld") == 1
    assert reverse("campaigns_good_example", args=[answers["without_consent"].response_id]) not in results
    assert "Geen toestemming" in results

    response = make_example(admin_client, answers["without_consent"])

    assert response.url == reverse("campaigns_results", args=[campaign.pk])
    followed = admin_client.get(response.url).content.decode()
    assert "De indiener heeft geen toestemming gegeven om deze reactie te publiceren." in followed
    assert not ExamplePage.objects.exists()


def test_the_results_page_links_to_an_existing_example(admin_client, campaign, examples_index, answers):
    make_example(admin_client, answers["with_consent"])

    results = admin_client.get(reverse("campaigns_results", args=[campaign.pk])).content.decode()

    assert "Maak goed voorbeeld" not in results
    assert reverse("wagtailadmin_pages:edit", args=[ExamplePage.objects.get().pk]) in results


def test_without_an_examples_index_the_editor_is_told_what_to_do(admin_client, answers):
    response = make_example(admin_client, answers["with_consent"])

    followed = admin_client.get(response.url).content.decode()
    assert "Maak eerst een pagina ‘Goede voorbeelden’ aan onder de startpagina." in followed
    assert not ExamplePage.objects.exists()


def test_an_editor_without_page_rights_gets_no_page(client, django_user_model, examples_index, answers):
    user = django_user_model.objects.create_user("lezer", password="x")
    group = Group.objects.create(name="Alleen lezen")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=group, page=examples_index, permission=Permission.objects.get(codename="change_page"))
    user.groups.add(group)
    client.force_login(user)

    make_example(client, answers["with_consent"])

    assert not ExamplePage.objects.exists()


def test_a_get_changes_nothing(admin_client, examples_index, answers):
    response = admin_client.get(reverse("campaigns_good_example", args=[answers["with_consent"].response_id]))

    assert response.status_code == 405
    assert not ExamplePage.objects.exists()


def test_published_examples_are_listed_and_shown(client, admin_client, examples_index, answers):
    make_example(admin_client, answers["with_consent"])
    page = ExamplePage.objects.get()
    page.get_latest_revision().publish()

    listing = client.get(examples_index.url).content.decode()
    assert page.title in listing and "Netwerk Utrecht · Utrecht" in listing

    html = client.get(page.url).content.decode()
    assert "<h1>Wij drinken elke maand koffie met het wijkteam…</h1>" in html
    assert ledger.DESCRIPTION in html
