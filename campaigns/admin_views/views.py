"""Admin screens of a campaign: edit with a live audience count, preview, test send, confirm and launch, pause/resume/cancel."""

import smtplib

from anymail.exceptions import AnymailError
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from csp.constants import NONE, SELF
from csp.decorators import csp
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from campaigns.models import Campaign
from campaigns.permissions import may_see_contact_details
from campaigns.services import lifecycle
from campaigns.services.audience import SAMPLE_SIZE, audience_contact, first_recipients, summarise
from campaigns.services.launch import CampaignStateError, frozen_recipient, read_progress, request_launch
from campaigns.services.rendering import build_email, sample_unsubscribe_link

from .forms import AudienceForm, initial_from_call, offered_calls, prefill_texts

CHANGE_PERMISSION = "campaigns.change_campaign"
LAUNCH_PERMISSION = "campaigns.launch_campaign"
NO_LAUNCH_PERMISSION = (
    "U mag deze campagne voorbereiden, maar niet versturen: daarvoor is het recht ‘Mag mailings versturen’ nodig. "
    "Vraag een campagnebeheerder om de campagne te versturen."
)
AUDIENCE_COUNT_TEMPLATE = "campaigns/admin/campaign/_audience_count.html"
# The overview of a campaign that is starting reloads itself this often (a meta refresh: no script under the CSP).
LAUNCH_REFRESH_SECONDS = 2
# In the overview's address after a launch: once frozen, it goes on to the progress page.
JUST_LAUNCHED = "gestart"


def call_campaigns():
    """The campaigns these screens handle: a newsletter issue's campaign has its own (``newsletter.admin``)."""
    return Campaign.objects.filter(kind=Campaign.Kind.CALL)


def optional_url(name, campaign):
    """The URL of a campaign page that another part of the admin may provide, or None."""
    try:
        return reverse(name, args=[campaign.pk])
    except NoReverseMatch:
        return None


class AudienceCountMixin:
    """Create and edit: "Aantal ontvangers bijwerken" re-renders the form with the count, saving nothing."""

    template_name = "campaigns/admin/campaign/form.html"

    def post(self, request, *args, **kwargs):
        if "update_count" not in request.POST:
            return super().post(request, *args, **kwargs)
        if not hasattr(self, "object"):
            self.object = self.get_object() if self.kwargs.get("pk") else None
        posted = self.get_form()
        initial = {name: posted[name].data for name in posted.fields}
        self.form = self.get_form_class()(initial=initial, instance=self.object)
        return self.render_to_response(self.get_context_data(form=self.form))

    def audience(self):
        if self.request.method == "POST":
            form = AudienceForm(self.request.POST)
            return form.audience_summary() if form.is_valid() else None
        if self.object and self.object.pk:
            return summarise(self.object)
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["audience"] = self.audience()
        context["audience_count_url"] = reverse("campaigns:audience_count")
        return context

    def get_success_url(self):
        return reverse("campaigns:overview", args=[self.object.pk])

    def get_success_buttons(self):
        return []


class CampaignCreateView(AudienceCountMixin, generic.CreateView):
    """Without a call (from the Campaigns menu) first "Kies de oproep"; then the form, prefilled from that call."""

    page_title = "Nieuwe campagne"
    submit_button_label = "Opslaan en controleren"
    submit_button_active_label = "Bezig met opslaan…"
    success_message = "Campagne ‘%(object)s’ aangemaakt. Controleer de doelgroep en bekijk een voorbeeld."
    choose_call_template_name = "campaigns/admin/campaign/choose_call.html"

    @cached_property
    def call_page(self):
        """The open, published call named by ``?oproep=`` (or, once posted, by the form)."""
        call_id = self.request.POST.get("call_page", "") if self.request.method == "POST" else self.request.GET.get("oproep", "")
        return offered_calls().filter(pk=call_id).first() if call_id.isdigit() else None

    def get(self, request, *args, **kwargs):
        if self.call_page:
            return super().get(request, *args, **kwargs)
        if "oproep" in request.GET:
            messages.warning(request, "Voor deze oproep kan geen campagne worden gemaakt: hij is gesloten of niet gepubliceerd.")
        self.object = None
        context = self.get_context_data(calls=offered_calls())
        return self.response_class(request, self.choose_call_template_name, context)

    def get_page_subtitle(self):
        return f"Nieuwe campagne voor ‘{self.call_page.title}’" if self.call_page else "Nieuwe campagne"

    def get_header_title(self):
        return self.get_page_subtitle()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("campaigns:index"), "label": "Campagnes"},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_initial(self):
        initial = super().get_initial()
        if self.call_page:
            initial.update(initial_from_call(self.call_page))
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "calls" not in context:
            context["call_prefills"] = prefill_texts(offered_calls())
        return context


class CampaignEditView(AudienceCountMixin, generic.EditView):
    submit_button_label = "Opslaan en controleren"
    submit_button_active_label = "Bezig met opslaan…"
    success_message = "Campagne ‘%(object)s’ opgeslagen."

    def dispatch(self, request, *args, **kwargs):
        campaign = get_object_or_404(call_campaigns(), pk=kwargs["pk"])
        if campaign.status != Campaign.Status.DRAFT:
            messages.warning(request, "Een campagne die al gestart is, kan niet meer worden gewijzigd.")
            return redirect("campaigns:overview", campaign.pk)
        return super().dispatch(request, *args, **kwargs)


def audience_count(request):
    """JSON for the live count while choosing the audience (the form works without it too)."""
    if not request.user.has_perm(CHANGE_PERMISSION) and not request.user.has_perm("campaigns.add_campaign"):
        raise PermissionDenied
    form = AudienceForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": "Deze keuze voor de doelgroep klopt niet. Laad de pagina opnieuw."}, status=400)
    summary = form.audience_summary()
    html = render_to_string(AUDIENCE_COUNT_TEMPLATE, {"audience": summary})
    return JsonResponse({"recipients": summary.recipient_count, "left_out": summary.left_out_count, "html": html})


class CampaignView(WagtailAdminTemplateMixin, TemplateView):
    """A page about one campaign, for users who may change campaigns."""

    header_icon = "mail"
    permission = CHANGE_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            if self.permission == LAUNCH_PERMISSION:
                # A plain 403 rather than Wagtail's redirect: the refusal is the answer.
                return HttpResponseForbidden(NO_LAUNCH_PERMISSION, content_type="text/plain; charset=utf-8")
            raise PermissionDenied
        self.campaign = get_object_or_404(call_campaigns().select_related("call_page"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.campaign.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("campaigns:index"), "label": "Campagnes"},
            {"url": "", "label": self.campaign.name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaign"] = self.campaign
        context["may_launch"] = self.request.user.has_perm(LAUNCH_PERMISSION)
        context["no_launch_permission"] = NO_LAUNCH_PERMISSION
        context["show_addresses"] = may_see_contact_details(self.request.user)
        return context


class OverviewView(CampaignView):
    """The confirm step for a draft (who gets it, who is left out), the controls once it runs."""

    template_name = "campaigns/admin/campaign/overview.html"

    def get(self, request, *args, **kwargs):
        launched = self.campaign.status in (Campaign.Status.SENDING, Campaign.Status.SCHEDULED)
        progress_url = optional_url("campaigns_progress", self.campaign)
        if JUST_LAUNCHED in request.GET and launched and progress_url:
            return redirect(progress_url)
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return "Controleren en versturen" if self.campaign.status == Campaign.Status.DRAFT else "Campagne"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.campaign.status
        context["is_draft"] = status == Campaign.Status.DRAFT
        context["is_starting"] = status == Campaign.Status.STARTING
        if context["is_starting"]:
            context["launch_progress"] = read_progress(self.campaign.pk)
            context["refresh_seconds"] = LAUNCH_REFRESH_SECONDS
        context["send_later"] = bool(self.campaign.send_at and self.campaign.send_at > timezone.now())
        context["can_pause"] = status in (Campaign.Status.SENDING, Campaign.Status.SCHEDULED)
        context["can_resume"] = status == Campaign.Status.PAUSED
        context["can_cancel"] = status in (
            Campaign.Status.DRAFT,
            Campaign.Status.STARTING,
            Campaign.Status.SCHEDULED,
            Campaign.Status.SENDING,
            Campaign.Status.PAUSED,
        )
        if context["is_draft"]:
            context["audience"] = summarise(self.campaign)
        elif not context["is_starting"]:
            context["recipient_count"] = self.campaign.recipients.count()
        context["progress_url"] = optional_url("campaigns_progress", self.campaign)
        context["results_url"] = optional_url("campaigns_results", self.campaign)
        return context


class LaunchView(CampaignView):
    """POST only, with the confirm box ticked: record the launch and hand the freeze to a worker.

    Answers at once with the overview, which shows the freeze's progress and
    goes on to the sending progress when it is done.
    """

    permission = LAUNCH_PERMISSION
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if request.POST.get("bevestigd") != "ja":
            messages.error(request, "Er is niets verstuurd: vink eerst aan dat u de uitnodiging wilt versturen.")
            return redirect("campaigns:overview", self.campaign.pk)
        try:
            count = request_launch(self.campaign, request.user)
        except CampaignStateError as error:
            messages.error(request, str(error))
            return redirect("campaigns:overview", self.campaign.pk)
        noun = "ontvanger wordt" if count == 1 else "ontvangers worden"
        messages.success(request, f"Campagne ‘{self.campaign.name}’ wordt gestart: {count} {noun} vastgelegd.")
        return redirect(reverse("campaigns:overview", args=[self.campaign.pk]) + f"?{JUST_LAUNCHED}=1")


def not_frozen_yet(campaign):
    return campaign.status in (Campaign.Status.DRAFT, Campaign.Status.STARTING)


def preview_candidates(campaign):
    """Whom the mail can be previewed as: the first of the audience of a draft, or of the frozen recipients."""
    if not_frozen_yet(campaign):
        return first_recipients(campaign)
    recipients = campaign.recipients.filter(contact__isnull=False).select_related("contact__organisation")
    return [recipient.contact for recipient in recipients.order_by("name", "pk")[:SAMPLE_SIZE]]


def preview_contact(campaign, wanted):
    """The contact ``wanted`` (a pk) if the campaign reaches them, looked up alone; else None."""
    if not wanted.isdecimal():
        return None
    if not_frozen_yet(campaign):
        return audience_contact(campaign, wanted)
    recipient = campaign.recipients.filter(contact_id=wanted).select_related("contact__organisation").first()
    return recipient.contact if recipient else None


def chosen_candidate(campaign, candidates, wanted):
    """The contact whose pk is ``wanted``, else the first candidate (None when there is nobody)."""
    return preview_contact(campaign, wanted) or (candidates[0] if candidates else None)


def campaign_texts(campaign):
    """(title, subject, body) of the invitation and, when the plan sends them, the reminder."""
    texts = [("Uitnodiging", campaign.invitation_subject, campaign.invitation_body)]
    if campaign.reminder_body and campaign.reminder_days_before and campaign.max_reminders:
        texts.append(("Herinnering", campaign.reminder_subject, campaign.reminder_body))
    return texts


def email_for(campaign, subject, body, contact):
    """The mail as ``contact`` would get it, with the call's public address standing in for the personal link.

    The recipient is unsaved, so a real personal or unsubscribe link would open nothing.
    """
    recipient = frozen_recipient(campaign, contact)
    return build_email(
        campaign,
        subject,
        body,
        recipient,
        link_url=campaign.call_page.full_url,
        unsubscribe_url=sample_unsubscribe_link(),
    )


# The HTML part on its own, in the preview's sandboxed iframe: the mail's inline styles, and nothing else.
MAIL_HTML_POLICY = {"default-src": [NONE], "style-src": ["'unsafe-inline'"], "img-src": [SELF, "data:"]}


@csp(MAIL_HTML_POLICY)
@xframe_options_sameorigin
def mail_html_response(html):
    return HttpResponse(html)


class PreviewView(CampaignView):
    """The mails as one chosen recipient will get them: subject, HTML (sandboxed) and plain text.

    ``?html=<n>`` answers the HTML part of the n-th mail alone, for the iframe: the admin's
    policy, which allows no inline style, would otherwise apply to the mail (as in ``srcdoc``).
    """

    page_title = "Voorbeeld"
    template_name = "campaigns/admin/campaign/preview.html"

    def get(self, request, *args, **kwargs):
        number = request.GET.get("html")
        if number is None:
            return super().get(request, *args, **kwargs)
        mails = self.get_context_data().get("mails", [])
        if not number.isdecimal() or not 1 <= int(number) <= len(mails):
            raise Http404
        return mail_html_response(mails[int(number) - 1]["html"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidates = preview_candidates(self.campaign)
        contact = chosen_candidate(self.campaign, candidates, self.request.GET.get("ontvanger", ""))
        if contact and contact not in candidates:
            candidates = [contact, *candidates]
        context["candidates"] = candidates
        context["chosen"] = contact
        context["user_email"] = self.request.user.email
        if contact:
            context["mails"] = []
            for title, subject, body in campaign_texts(self.campaign):
                mail = email_for(self.campaign, subject, body, contact)
                context["mails"].append(
                    {"title": title, "subject": mail.subject, "text": mail.body, "html": mail.alternatives[0][0]}
                )
        return context


class TestSendView(CampaignView):
    """POST: the invitation (or reminder) as one recipient would get it, to the logged-in user only.

    Sent synchronously through the configured mail backend: it is one mail, and
    the editor should see at once whether it went out or why not.
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        back = reverse("campaigns:preview", args=[self.campaign.pk])
        address = request.user.email
        if not address:
            messages.error(request, "Uw account heeft geen e-mailadres. Vul dat eerst in bij uw accountinstellingen.")
            return redirect(back)
        wanted = request.POST.get("ontvanger", "")
        contact = preview_contact(self.campaign, wanted) or next(iter(preview_candidates(self.campaign)), None)
        if contact is None:
            messages.error(request, "Er is niemand in de doelgroep om als voorbeeld te gebruiken.")
            return redirect(back)
        texts = {title: (subject, body) for title, subject, body in campaign_texts(self.campaign)}
        subject, body = texts.get(request.POST.get("mail"), texts["Uitnodiging"])
        mail = email_for(self.campaign, subject, body, contact)
        mail.subject = f"[TEST] {mail.subject}"
        mail.to = [address]
        try:
            mail.send()
        except (OSError, smtplib.SMTPException, AnymailError) as error:
            messages.error(request, f"De testmail kon niet worden verstuurd: {error}")
        else:
            messages.success(request, f"Testmail verstuurd naar {address}.")
        return redirect(f"{back}?ontvanger={contact.pk}")


class StateChangeView(CampaignView):
    """GET asks for confirmation; POST pauses, resumes or cancels (needs the launch permission)."""

    permission = LAUNCH_PERMISSION
    template_name = "campaigns/admin/campaign/state_change.html"
    change = None
    destructive = False
    page_title = ""
    question = ""
    button_label = ""
    done_message = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(question=self.question, button_label=self.button_label, destructive=self.destructive)
        return context

    def post(self, request, *args, **kwargs):
        try:
            self.change(self.campaign, request.user)
        except CampaignStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, self.done_message % {"name": self.campaign.name})
        return redirect("campaigns:overview", self.campaign.pk)


class PauseView(StateChangeView):
    change = staticmethod(lifecycle.pause)
    page_title = "Pauzeren"
    question = "Er gaan geen mails meer weg tot u de campagne hervat. Mails die al zijn verstuurd, blijven verstuurd."
    button_label = "Ja, pauzeren"
    done_message = "Campagne ‘%(name)s’ is gepauzeerd."


class ResumeView(StateChangeView):
    change = staticmethod(lifecycle.resume)
    page_title = "Hervatten"
    question = "De mails die nog in de wachtrij staan, gaan weer weg (of op het ingeplande moment)."
    button_label = "Ja, hervatten"
    done_message = "Campagne ‘%(name)s’ is hervat."


class CancelView(StateChangeView):
    change = staticmethod(lifecycle.cancel)
    destructive = True
    page_title = "Annuleren"
    question = "Mails die nog niet zijn verstuurd, gaan nooit meer weg, ook geen herinneringen. Dit kunt u niet ongedaan maken."
    button_label = "Ja, campagne annuleren"
    done_message = "Campagne ‘%(name)s’ is geannuleerd."
