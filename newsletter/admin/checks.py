"""The "Controleren en testen" screen of an issue: its mail as a subscriber gets it, the pre-send check, a test mail.

Open to whoever may edit the issue, on its latest saved revision: subject and
preheader, the HTML at phone and desktop width, the plain text and the check
report. Each iframe loads ``?html=1``, which answers the mail alone under the
mail's own policy (the admin's allows no inline style). "Opnieuw controleren"
runs the check again; "Testmail naar mij sturen" sends the mail to the
editor's own address, synchronously, so the editor sees at once whether it
went out or why not.
"""

import smtplib

from anymail.exceptions import AnymailError
from django.contrib import messages
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.log_actions import log

from campaigns.admin_views.views import mail_html_response
from newsletter.admin.mailings import LAUNCH_PERMISSION
from newsletter.admin.page_buttons import register_page_buttons
from newsletter.models import NewsletterIssuePage
from newsletter.services import presend_check

URL_NAME = "newsletter_check"
TEST_SEND_ACTION = "newsletter.test_send"
PHONE_WIDTH, DESKTOP_WIDTH = 375, 700
NO_EDIT_PERMISSION = "U mag deze nieuwsbrief niet bewerken, en dus ook niet controleren of een testmail ervan sturen."


def may_check(page, user):
    return page.permissions_for_user(user).can_edit()


class IssueRevisionMixin:
    """The issue of the URL and its latest saved revision; 403 for whoever may not edit it."""

    def dispatch(self, request, *args, **kwargs):
        self.issue = get_object_or_404(NewsletterIssuePage, pk=kwargs["page_id"])
        if not may_check(self.issue, request.user):
            # A plain 403 rather than Wagtail's redirect to the dashboard: the refusal is the answer.
            return HttpResponseForbidden(NO_EDIT_PERMISSION, content_type="text/plain; charset=utf-8")
        self.revision = self.issue.get_latest_revision()
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def sample_mail(self):
        return presend_check.sample_message(self.revision)

    def back(self):
        return redirect(URL_NAME, self.issue.pk)


class CheckView(IssueRevisionMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: the screen; ``?html=1``: the mail's HTML alone, for the iframes."""

    page_title = "Controleren en testen"
    header_icon = "mail"
    template_name = "newsletter/admin/checks.html"

    def get(self, request, *args, **kwargs):
        if "html" not in request.GET:
            return super().get(request, *args, **kwargs)
        if self.revision is None:
            raise Http404
        return mail_html_response(self.sample_mail.alternatives[0][0])

    def get_page_subtitle(self):
        return self.issue.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_pages:edit", args=[self.issue.pk]), "label": self.issue.title},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            issue=self.issue,
            revision=self.revision,
            may_send=self.request.user.has_perm(LAUNCH_PERMISSION),
            user_email=self.request.user.email,
            phone_width=PHONE_WIDTH,
            desktop_width=DESKTOP_WIDTH,
            **kwargs,
        )
        if self.revision is not None:
            context.update(
                mail=self.sample_mail,
                preheader=self.revision.as_object().preheader,
                is_published=self.revision.pk == self.issue.live_revision_id,
                report=presend_check.check_revision(self.revision),
            )
        return context


class RevisionPostView(IssueRevisionMixin, View):
    """A POST on the latest revision; without one there is nothing to check or send."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if self.revision is None:
            messages.error(request, "Sla de nieuwsbrief eerst op: er is nog geen versie om te controleren.")
        else:
            self.act(request)
        return self.back()


class RecheckView(RevisionPostView):
    def act(self, request):
        presend_check.check_revision(self.revision, refresh=True)
        messages.success(request, "De controle is opnieuw uitgevoerd.")


class TestSendView(RevisionPostView):
    """The mail as a subscriber gets it (sample links, so nobody's subscription changes), to the editor only."""

    def act(self, request):
        address = request.user.email
        if not address:
            messages.error(request, "Uw account heeft geen e-mailadres. Vul dat eerst in bij uw accountinstellingen.")
            return
        try:
            mail = self.sample_mail
            mail.subject = f"[TEST] {mail.subject}"
            mail.to = [address]
            mail.send()
        except ValueError as error:
            messages.error(request, str(error))
        except (OSError, smtplib.SMTPException, AnymailError) as error:
            messages.error(request, f"De testmail kon niet worden verstuurd: {error}")
        else:
            log(instance=self.issue, action=TEST_SEND_ACTION, user=request.user, data={"revision_id": self.revision.pk})
            messages.success(request, f"Testmail verstuurd naar {address}.")


@hooks.register("register_admin_urls")
def register_check_urls():
    return [
        path("nieuwsbrief/controleren/<int:page_id>/", CheckView.as_view(), name=URL_NAME),
        path("nieuwsbrief/controleren/<int:page_id>/opnieuw/", RecheckView.as_view(), name="newsletter_recheck"),
        path("nieuwsbrief/controleren/<int:page_id>/testmail/", TestSendView.as_view(), name="newsletter_test_send"),
    ]


@hooks.register("register_log_actions")
def register_test_send_log_action(actions):
    actions.register_action(TEST_SEND_ACTION, "Testmail van de nieuwsbrief verstuurd", "Testmail van de nieuwsbrief verstuurd")


@register_page_buttons
def check_buttons(page, user):
    """"Controleren en testen" among the actions of an issue page in the admin."""
    if isinstance(page.specific_deferred, NewsletterIssuePage) and may_check(page, user):
        yield Button("Controleren en testen", url=reverse(URL_NAME, args=[page.pk]), icon_name="tasks", priority=44)
