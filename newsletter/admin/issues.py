"""Admin screens for newsletter issues: "Nieuwe inhoud" drafts the next issue from what was published since the last.

The button sits among the actions of the newsletter archive (and in its row
in the page explorer) for editors who may add a page under it. It opens a
page that lists what the draft will hold; its one button POSTs, drafts the
issue and opens it in the editor.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from newsletter.admin.page_buttons import register_page_buttons
from newsletter.models import NewsletterIndexPage
from newsletter.services import drafting

URL_NAME = "newsletter_draft_issue"


def may_draft(index_page, user):
    return index_page.permissions_for_user(user).can_add_subpage()


class DraftIssueView(WagtailAdminTemplateMixin, TemplateView):
    """GET: what is new since the last issue; POST: the draft, then the editor."""

    template_name = "newsletter/admin/issues/draft.html"
    page_title = "Nieuwe inhoud"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.index_page = get_object_or_404(NewsletterIndexPage, pk=kwargs["page_id"])
        if not may_draft(self.index_page, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.index_page.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles, calls, personas = drafting.new_content(self.index_page)
        context.update(
            index_page=self.index_page,
            since=drafting.since(self.index_page),
            articles=articles,
            calls=calls,
            personas=personas,
            nothing_new=drafting.NOTHING_NEW,
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            issue = drafting.draft_next_issue(self.index_page, request.user)
        except drafting.NothingNew as error:
            messages.warning(request, str(error))
            return redirect(URL_NAME, self.index_page.pk)
        messages.success(
            request, f"Concept ‘{issue.title}’ gemaakt uit de nieuwe inhoud. Pas het aan en publiceer het als het klaar is."
        )
        return redirect("wagtailadmin_pages:edit", issue.pk)


@hooks.register("register_admin_urls")
def register_draft_url():
    return [path("nieuwsbrief/nieuwe-inhoud/<int:page_id>/", DraftIssueView.as_view(), name=URL_NAME)]


@register_page_buttons
def draft_buttons(page, user):
    """"Nieuwe inhoud" among the actions of the newsletter archive, and in the "..." menu of its row."""
    if isinstance(page.specific_deferred, NewsletterIndexPage) and may_draft(page, user):
        yield Button("Nieuwe inhoud", url=reverse(URL_NAME, args=[page.pk]), icon_name="mail", priority=40)
