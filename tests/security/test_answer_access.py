"""Who may read a campaign's answers is exactly who may read the call's form submissions in Wagtail."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission

from campaigns.factories import CampaignFactory
from cms.models import ExampleIndexPage, ExamplePage
from tests.campaigns import ledger

from .roles import make_call_page, make_user

ANSWER_URLS = ["campaigns_answers_csv", "campaigns_answers_xlsx"]


@pytest.fixture
def campaign(site_tree):
    return CampaignFactory(call_page=make_call_page(site_tree))


@pytest.fixture
def answers(campaign, site_tree):
    site_tree[0].add_child(instance=ExampleIndexPage(title="Goede voorbeelden", slug="goede-voorbeelden", intro="Initiatieven."))
    message = ledger.start(campaign)
    anna = ledger.recipient(campaign, "Anna de Boer", organisation="Netwerk Utrecht", answered=True, consent=True)
    bram = ledger.recipient(campaign, "Bram Smit", organisation="Gemeente Zeist")
    for recipient in (anna, bram):
        ledger.deliver(message, recipient, "delivered")
    return {"answered": anna, "waiting": bram}


@pytest.fixture
def manager_of_articles_only(site_tree):
    """Campaigns and contacts, and page rights, but only on the articles: none on the call."""
    user = make_user("manager_without_pages", "artikelbeheerder")
    group = Group.objects.create(name="Artikelredactie")
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(group=group, page=site_tree[1], permission=Permission.objects.get(codename=codename))
    user.groups.add(group)
    return user


def test_without_a_right_on_the_call_the_answers_stay_closed(client, manager_of_articles_only, campaign, answers):
    client.force_login(manager_of_articles_only)

    exports = [client.get(reverse(name, args=[campaign.pk])) for name in ANSWER_URLS]
    example = client.post(reverse("campaigns_good_example", args=[answers["answered"].response_id]))
    results = client.get(reverse("campaigns_results", args=[campaign.pk]))

    assert [response.status_code for response in exports] == [403, 403]
    assert all(ledger.DESCRIPTION not in response.content.decode() for response in exports)
    assert example.status_code == 403
    assert not ExamplePage.objects.exists()
    content = results.content.decode()
    assert results.status_code == 200
    assert "Anna de Boer" not in content and "Bram Smit" not in content
    assert "formulierinzendingen van de oproep" in content
    assert results.context["results"].answered == 1
    assert results.context["results"].response_rate == 50.0


def test_with_the_right_on_the_call_the_demo_campaign_manager_reads_the_answers(client, db, campaign, answers):
    client.force_login(make_user("campaign_manager"))

    csv = client.get(reverse("campaigns_answers_csv", args=[campaign.pk]))
    xlsx = client.get(reverse("campaigns_answers_xlsx", args=[campaign.pk]))
    results = client.get(reverse("campaigns_results", args=[campaign.pk])).content.decode()
    example = client.post(reverse("campaigns_good_example", args=[answers["answered"].response_id]))

    assert csv.status_code == 200 and ledger.DESCRIPTION in csv.content.decode("utf-8-sig")
    assert xlsx.status_code == 200
    assert "Anna de Boer" in results and "Bram Smit" in results
    assert example.status_code == 302
    assert ExamplePage.objects.get().source_response_id == answers["answered"].response_id


def test_answer_access_follows_wagtails_own_submissions_rule(client, manager_of_articles_only, campaign, answers):
    """Whoever Wagtail refuses the call's submissions list is refused the campaign's answers, and the other way round."""
    submissions = reverse("wagtailforms:list_submissions", args=[campaign.call_page.pk])
    export = reverse("campaigns_answers_csv", args=[campaign.pk])
    for user in (manager_of_articles_only, make_user("campaign_manager"), make_user("editor"), make_user("superuser")):
        client.force_login(user)
        may_read_submissions = client.get(submissions).status_code == 200
        assert (client.get(export).status_code == 200) == may_read_submissions, user.username
