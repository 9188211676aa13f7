""""Nieuwe inhoud": the next issue drafted from what was published since the last one."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from cms import factories, models as cms_models
from newsletter.factories import NewsletterIssuePageFactory
from newsletter.models import NewsletterIssuePage
from newsletter.services import drafting, rendering
from tests.security.roles import make_user


def published(page, days_ago):
    """Give ``page`` the publication date an editor would have given it ``days_ago``."""
    Page.objects.filter(pk=page.pk).update(first_published_at=timezone.now() - timedelta(days=days_ago))
    return page


@pytest.fixture
def editor(db):
    return make_user("editor")


@pytest.fixture
def content(site_tree, newsletter_index):
    """A last issue 10 days ago; before it one article and call, after it two articles, two calls and a persona."""
    _, articles, calls = site_tree
    published(NewsletterIssuePageFactory(parent=newsletter_index, title="Nieuwsbrief november"), 10)
    persona = factories.PersonaFactory(name="Piet en Ria")
    old_article = published(factories.ArticlePageFactory(parent=articles, title="Oud artikel"), 20)
    old_call = published(factories.CallForInputPageFactory(parent=calls, title="Oude oproep"), 15)
    new_article = published(factories.ArticlePageFactory(parent=articles, title="Nieuw artikel"), 3)
    cms_models.ArticlePersonaLink.objects.create(page=new_article, persona=persona)
    newer_article = published(factories.ArticlePageFactory(parent=articles, title="Nieuwer artikel"), 1)
    open_call = published(
        factories.CallForInputPageFactory(
            parent=calls, title="Open oproep", deadline=timezone.make_aware(timezone.datetime(2030, 3, 5, 17, 0))
        ),
        2,
    )
    closed_call = published(
        factories.CallForInputPageFactory(parent=calls, title="Gesloten oproep", deadline=timezone.now() - timedelta(hours=1)),
        5,
    )
    draft_article = factories.ArticlePageFactory(parent=articles, title="Concept", live=False)
    return locals()


def teasers(issue):
    return [
        (block.block_type, (block.value.get("page") or block.value.get("persona")).pk)
        for block in issue.body
        if block.block_type in ("page_teaser", "persona_teaser")
    ]


def test_the_draft_holds_only_what_is_new_since_the_last_issue(content, editor, newsletter_index):
    issue = drafting.draft_next_issue(newsletter_index, editor)
    issue = NewsletterIssuePage.objects.get(pk=issue.pk)
    assert not issue.live and issue.has_unpublished_changes and issue.owner == editor
    assert teasers(issue) == [
        ("page_teaser", content["newer_article"].pk),
        ("page_teaser", content["new_article"].pk),
        ("page_teaser", content["open_call"].pk),
        ("persona_teaser", content["persona"].pk),
    ]
    month = issue.title.removeprefix("Nieuwsbrief ")
    assert issue.title == issue.subject and month.split()[0] in (
        "januari februari maart april mei juni juli augustus september oktober november december".split()
    )
    assert issue.intro == (
        "In deze nieuwsbrief: 2 nieuwe artikelen, 1 oproep waarop u kunt reageren en 1 persona om te downloaden."
    )
    assert issue.get_latest_revision().user == editor


def test_open_calls_show_their_deadline_in_the_draft(content, editor, newsletter_index):
    issue = drafting.draft_next_issue(newsletter_index, editor)
    text = rendering.prepare(issue).for_recipient("", rendering.sample_links(issue)).text
    assert "Open oproep" in text and "Reageren kan tot 5 maart 2030, 17:00 uur" in text
    assert "Gesloten oproep" not in text and "Oud artikel" not in text and "Concept" not in text


def test_without_an_earlier_issue_the_last_30_days_count(site_tree, newsletter_index, editor):
    _, articles, _ = site_tree
    published(factories.ArticlePageFactory(parent=articles, title="Van vorige week"), 7)
    published(factories.ArticlePageFactory(parent=articles, title="Van twee maanden terug"), 60)
    issue = drafting.draft_next_issue(newsletter_index, editor)
    assert [block.value["page"].title for block in issue.body if block.block_type == "page_teaser"] == ["Van vorige week"]
    assert drafting.draft_next_issue(newsletter_index, editor).slug == issue.slug + "-2"


def test_nothing_new_gives_no_draft_and_a_dutch_message(site_tree, newsletter_index, editor):
    _, articles, _ = site_tree
    published(factories.ArticlePageFactory(parent=articles), 40)
    with pytest.raises(drafting.NothingNew, match="Er is niets nieuws sinds de vorige nieuwsbrief"):
        drafting.draft_next_issue(newsletter_index, editor)
    assert not NewsletterIssuePage.objects.exists()


def test_an_editor_drafts_from_the_admin_and_lands_in_the_editor(content, editor, newsletter_index, client):
    client.force_login(editor)
    url = f"/admin/nieuwsbrief/nieuwe-inhoud/{newsletter_index.pk}/"
    explorer = client.get(f"/admin/pages/{newsletter_index.pk}/")
    assert url in explorer.content.decode()
    overview = client.get(url)
    assert overview.status_code == 200 and "Nieuwer artikel" in overview.content.decode()
    response = client.post(url, follow=True)
    issue = NewsletterIssuePage.objects.get(live=False)
    assert response.redirect_chain[-1][0] == f"/admin/pages/{issue.pk}/edit/"
    assert "uit de nieuwe inhoud" in response.content.decode()


def test_nothing_new_in_the_admin_says_so(site_tree, newsletter_index, editor, client):
    client.force_login(editor)
    response = client.post(f"/admin/nieuwsbrief/nieuwe-inhoud/{newsletter_index.pk}/", follow=True)
    assert "Er is niets nieuws sinds de vorige nieuwsbrief" in response.content.decode()
    assert not NewsletterIssuePage.objects.exists()


def test_who_may_not_add_a_page_there_may_not_draft(content, newsletter_index, client):
    client.force_login(make_user("manager_without_pages"))
    url = f"/admin/nieuwsbrief/nieuwe-inhoud/{newsletter_index.pk}/"
    response = client.post(url)
    # Wagtail's refusal: back to the dashboard with "no permission".
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(url).status_code == 302
    assert not NewsletterIssuePage.objects.filter(live=False).exists()
