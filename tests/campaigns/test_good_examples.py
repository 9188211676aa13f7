"""One click from an answer with consent to a draft "goed voorbeeld" page; never without consent."""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageLogEntry

from campaigns.factories import CampaignFactory
from cms.demo import content
from cms.models import CallForInputPage, ExampleIndexPage, ExamplePage
from tests.seeded_demo import seeded, seeded_once  # noqa: F401 (fixtures)

from . import ledger

# An answer to the demo's open call, every kind of question filled in.
DEMO_ANSWER = ledger.answers(
    name="Anna de Boer",
    email="anna.deboer@example.org",
    organisation="Netwerk Palliatieve Zorg Eemland",
    startdatum="2027-03-01",
    hoe_ver_is_het_initiatief="Al gestart",
    met_wie_werkt_u_samen=["Gemeente", "Wijkteam", "Huisartsen"],
    wilt_u_dat_we_meedenken_of_ondersteunen=True,
)


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
    assert headings == ["Soort organisatie", "Beschrijving van het initiatief"]
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


@pytest.fixture
def demo_answer(seeded):
    """A consenting answer to the demo's open call, given through a campaign's personal link."""
    campaign = CampaignFactory(call_page=CallForInputPage.objects.get(slug=content.CALL_SLUG))
    ledger.start(campaign)
    return ledger.recipient(
        campaign,
        "Anna de Boer",
        organisation="Netwerk Palliatieve Zorg Eemland",
        answered=True,
        consent=True,
        form_data=DEMO_ANSWER,
    )


def test_on_the_demo_one_click_makes_a_draft_with_the_answer_in_words(client, demo_answer):
    client.force_login(User.objects.get(username="campagnebeheerder"))

    response = make_example(client, demo_answer)

    page = ExamplePage.objects.get(source_response=demo_answer.response_id)
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert page.get_parent().specific == ExampleIndexPage.objects.get(slug=content.EXAMPLE_INDEX["slug"])
    assert not page.live
    body = " ".join(
        block.value["text"] if block.block_type == "heading" else block.value.source for block in page.body
    )
    assert ledger.DESCRIPTION in body
    assert "<h2>" not in body and "Hoe ver is het initiatief?" in body and "<p>Al gestart</p>" in body
    assert "<p>Gemeente, Wijkteam en Huisartsen</p>" in body
    assert "<p>1 maart 2027</p>" in body
    assert "Wilt u dat we meedenken of ondersteunen?" in body and "<p>ja</p>" in body
    assert "True" not in body and "[" not in body and "{" not in body
    assert "anna.deboer@example.org" not in body and "Anna de Boer" not in body
    assert "Mijn reactie mag" not in body and "publication_consent" not in body
    assert page.organisation_name == "Netwerk Palliatieve Zorg Eemland"


def test_the_drafts_source_reads_as_a_date_and_a_call_without_personal_data(client, demo_answer):
    client.force_login(User.objects.get(username="campagnebeheerder"))
    editor = client.get(make_example(client, demo_answer).url).content.decode()

    source = editor[editor.index("Gebaseerd op reactie") :][:1500]
    call = CallForInputPage.objects.get(slug=content.CALL_SLUG)
    assert re.search(r"Reactie van \d{1,2} \w+ \d{4} op ‘" + re.escape(call.title) + "’", source)
    assert "anna.deboer@example.org" not in editor and "{" not in source
    submissions = re.search(r'href="([^"]*/admin/forms/submissions/\d+/[^"]*)"', source).group(1).replace("&amp;", "&")
    listed = client.get(submissions).content.decode()
    assert ledger.DESCRIPTION in listed
