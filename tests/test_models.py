"""Rules in the content model that pages and the admin rely on."""

from datetime import timedelta

from django.utils import timezone

from cms.factories import ArticlePageFactory, CallForInputPageFactory
from cms.models import CallForInputPage, CallResponse


def test_call_index_lists_open_calls_by_nearest_deadline_then_closed_ones(rf, site_tree):
    _, _, calls = site_tree
    now = timezone.now()
    later = CallForInputPageFactory(parent=calls, title="Later", deadline=now + timedelta(days=20))
    sooner = CallForInputPageFactory(parent=calls, title="Eerder", deadline=now + timedelta(days=2))
    long_closed = CallForInputPageFactory(parent=calls, title="Lang gesloten", deadline=now - timedelta(days=90))
    just_closed = CallForInputPageFactory(parent=calls, title="Net gesloten", deadline=now - timedelta(days=1))
    draft = CallForInputPageFactory(parent=calls, title="Concept")
    draft.unpublish()

    context = calls.get_context(rf.get("/oproepen/"))

    assert list(context["open_calls"]) == [sooner, later]
    assert list(context["closed_calls"]) == [just_closed, long_closed]


def test_call_without_deadline_stays_open(site_tree):
    call = CallForInputPageFactory(parent=site_tree[2], deadline=None)

    assert call.is_open
    assert CallForInputPage.objects.open().filter(pk=call.pk).exists()


def test_theme_list_shows_only_themes_of_published_articles(site_tree):
    _, articles, _ = site_tree
    ArticlePageFactory(parent=articles, tags=["mantelzorg"])
    draft = ArticlePageFactory(parent=articles, tags=["geheim thema"])
    draft.unpublish()

    assert [tag.name for tag in articles.themes()] == ["mantelzorg"]


def test_response_data_for_the_admin_says_whether_it_may_be_published(site_tree):
    call = CallForInputPageFactory(parent=site_tree[2])

    agreed = CallResponse.objects.create(page=call, form_data={"naam": "Sanne"}, publication_consent=True)
    refused = CallResponse.objects.create(page=call, form_data={"naam": "Joris"})

    assert agreed.get_data()["publication_consent"] == "ja"
    assert refused.get_data()["publication_consent"] == "nee"
    assert agreed.get_data()["naam"] == "Sanne"
