"""Sending an issue from the admin: choose topics and a moment, confirm the count and the revision, follow it.

Also the "Nieuwsbrief" menu group: other newsletter screens add their items
to it through the hook ``register_newsletter_menu_item`` (each function
returns a ``wagtail.admin.menu.MenuItem``), as Wagtail's own
``register_settings_menu_item`` works.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.models import Revision

from campaigns.models import Campaign
from campaigns.results.views import can_view_campaigns
from campaigns.services import lifecycle
from campaigns.services.launch import CampaignStateError
from campaigns.services.results import ACCEPTED
from newsletter.models import IssueMailing, NewsletterIssuePage, Topic
from newsletter.services import audience, presend_check
from newsletter.services.mailing import MailingRefused, refusal, schedule_issue

LAUNCH_PERMISSION = "campaigns.launch_campaign"
VIEW_PERMISSIONS = ("campaigns.view_campaign", "campaigns.change_campaign", "campaigns.add_campaign", LAUNCH_PERMISSION)
NO_SEND_PERMISSION = (
    "U mag deze nieuwsbrief niet versturen: daarvoor is het recht ‘Mag mailings versturen’ nodig. "
    "Vraag een campagnebeheerder om de nieuwsbrief te versturen."
)
MENU_HOOK = "register_newsletter_menu_item"
PER_PAGE = 50
NOW, LATER = "nu", "later"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class SendForm(forms.Form):
    """Topics (each with its number of subscribers) and when; the time is Amsterdam time, the site's zone."""

    topics = forms.ModelMultipleChoiceField(
        label="Onderwerpen",
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kies ten minste één onderwerp."},
        help_text="Wie een van de gekozen onderwerpen heeft, krijgt de nieuwsbrief één keer.",
    )
    when = forms.ChoiceField(
        label="Wanneer",
        choices=[(NOW, "Nu versturen"), (LATER, "Op een gekozen moment")],
        widget=forms.RadioSelect,
        initial=NOW,
    )
    send_at = forms.DateTimeField(
        label="Datum en tijd (Nederlandse tijd)",
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text="Alleen bij ‘Op een gekozen moment’.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        topics = list(Topic.objects.order_by("sort_order", "name"))
        counts = audience.count_per_topic(topics)
        self.fields["topics"].queryset = Topic.objects.order_by("sort_order", "name")
        self.fields["topics"].label_from_instance = lambda topic: subscriber_label(topic, counts.get(topic.pk, 0))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == LATER:
            moment = cleaned.get("send_at")
            if moment is None:
                self.add_error("send_at", "Vul de datum en tijd in waarop de nieuwsbrief weg moet.")
            elif moment <= timezone.now():
                self.add_error("send_at", "Dit moment is al voorbij. Kies een moment in de toekomst, of ‘Nu versturen’.")
        else:
            cleaned["send_at"] = None
        return cleaned


def subscriber_label(topic, count):
    return f"{topic.name} ({count} {'abonnee' if count == 1 else 'abonnees'})"


def refused():
    # A plain 403 rather than Wagtail's redirect: the refusal is the answer.
    return HttpResponseForbidden(NO_SEND_PERMISSION, content_type="text/plain; charset=utf-8")


class SendView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the form. POST: the confirm step (count, revision, check). POST with ``bevestigd``: schedule it."""

    header_icon = "mail"
    page_title = "Nieuwsbrief versturen"
    template_name = "newsletter/admin/mailings/send.html"
    confirm_template_name = "newsletter/admin/mailings/confirm.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(LAUNCH_PERMISSION):
            return refused()
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def issue(self):
        return get_object_or_404(NewsletterIssuePage, pk=self.kwargs["page_id"])

    @cached_property
    def revision(self):
        """The published revision: what the web version shows and what is sent."""
        return Revision.objects.select_related("user").filter(pk=self.issue.live_revision_id).first()

    def get_page_subtitle(self):
        return self.issue.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_pages:edit", args=[self.issue.pk]), "label": self.issue.title},
            {"url": "", "label": "Versturen"},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(issue=self.issue, revision=self.revision, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=SendForm(), problem=refusal(self.issue, self.revision)))

    def post(self, request, *args, **kwargs):
        form = SendForm(request.POST)
        problem = refusal(self.issue, self.revision)
        if problem or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, problem=problem))
        if request.POST.get("revisie") and request.POST["revisie"] != str(self.revision.pk):
            messages.error(request, "Er is intussen een andere versie gepubliceerd. Controleer het aantal en de versie opnieuw.")
            return self.confirm(form)
        if request.POST.get("bevestigd") != "ja":
            return self.confirm(form)
        topics, send_at = form.cleaned_data["topics"], form.cleaned_data["send_at"]
        try:
            mailing = schedule_issue(self.revision, topics, send_at=send_at, user=request.user)
        except MailingRefused as error:
            messages.error(request, str(error))
            return self.confirm(form)
        count = mailing.campaign.recipients.count()
        if send_at:
            moment = timezone.localtime(send_at).strftime("%d-%m-%Y %H:%M")
            messages.success(request, f"De nieuwsbrief gaat op {moment} naar {count} abonnees.")
        else:
            messages.success(request, f"De nieuwsbrief wordt nu verstuurd naar {count} abonnees.")
        return redirect("campaigns_progress", pk=mailing.campaign_id)

    def confirm(self, form):
        topics = list(form.cleaned_data["topics"])
        report = presend_check.check_revision(self.revision)
        context = self.get_context_data(
            form=form,
            topics=topics,
            send_at=form.cleaned_data["send_at"],
            recipient_count=audience.count(topics, self.issue),
            report=report,
            hidden_topics=[topic.pk for topic in topics],
            send_at_value=form["send_at"].value() or "",
        )
        return self.response_class(self.request, self.confirm_template_name, context)


@method_decorator(can_view_campaigns, name="dispatch")
class MailingsView(WagtailAdminTemplateMixin, TemplateView):
    """Every newsletter mailing, newest first, with its state and how far it got."""

    header_icon = "mail"
    page_title = "Verzendingen nieuwsbrief"
    template_name = "newsletter/admin/mailings/index.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        mailings = (
            IssueMailing.objects.select_related("campaign", "issue", "revision")
            .prefetch_related("topics")
            .annotate(
                total=Count("campaign__messages__deliveries"),
                sent=Count("campaign__messages__deliveries", filter=Q(campaign__messages__deliveries__status__in=ACCEPTED)),
            )
            .order_by("-campaign__launched_at", "-pk")
        )
        page = Paginator(mailings, PER_PAGE).get_page(self.request.GET.get("p"))
        return super().get_context_data(page_obj=page, **kwargs)


# URL word -> (change, question, button label, done message, destructive)
CONTROLS = {
    "pauzeren": (
        lifecycle.pause,
        "Er gaan geen mails van deze nieuwsbrief meer weg tot u hem hervat. Wat al is verstuurd, blijft verstuurd.",
        "Ja, pauzeren",
        "De verzending is gepauzeerd.",
        False,
    ),
    "hervatten": (
        lifecycle.resume,
        "De mails die nog in de wachtrij staan, gaan weer weg (of op het ingeplande moment).",
        "Ja, hervatten",
        "De verzending is hervat.",
        False,
    ),
    "annuleren": (
        lifecycle.cancel,
        "Mails die nog niet zijn verstuurd, gaan nooit meer weg. Dit kunt u niet ongedaan maken.",
        "Ja, verzending annuleren",
        "De verzending is geannuleerd.",
        True,
    ),
}


class ControlView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks, POST pauses, resumes or cancels a newsletter mailing (the campaigns' own state changes)."""

    header_icon = "mail"
    template_name = "newsletter/admin/mailings/control.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(LAUNCH_PERMISSION):
            return refused()
        if kwargs["action"] not in CONTROLS:
            raise Http404
        self.campaign = get_object_or_404(Campaign, pk=kwargs["pk"], kind=Campaign.Kind.NEWSLETTER)
        self.change, self.question, self.button_label, self.done, self.destructive = CONTROLS[kwargs["action"]]
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.button_label.removeprefix("Ja, ").capitalize()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("newsletter_mailings"), "label": "Verzendingen nieuwsbrief"},
            {"url": "", "label": self.campaign.name},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaign=self.campaign,
            question=self.question,
            button_label=self.button_label,
            destructive=self.destructive,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            self.change(self.campaign, request.user)
        except CampaignStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, self.done)
        return redirect("campaigns_progress", pk=self.campaign.pk)


def send_button(page, user):
    if isinstance(page.specific_deferred, NewsletterIssuePage) and user.has_perm(LAUNCH_PERMISSION):
        yield Button("Versturen", url=reverse("newsletter_send", args=[page.pk]), icon_name="mail", priority=45)


@hooks.register("register_page_header_buttons")
def send_button_on_issue(page, user, view_name, next_url=None):
    """"Versturen" among the actions of an issue page in the admin."""
    yield from send_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def send_button_in_page_listing(page, user, next_url=None):
    yield from send_button(page, user)


@hooks.register("register_admin_urls")
def register_mailing_urls():
    return [
        path("nieuwsbrief/<int:page_id>/versturen/", SendView.as_view(), name="newsletter_send"),
        path("nieuwsbrief/verzendingen/", MailingsView.as_view(), name="newsletter_mailings"),
        path("nieuwsbrief/verzendingen/<int:pk>/<str:action>/", ControlView.as_view(), name="newsletter_mailing_control"),
    ]


@hooks.register("register_log_actions")
def register_mailing_log_actions(actions):
    actions.register_action("newsletter.schedule", "Nieuwsbrief verstuurd of ingepland", "Nieuwsbrief verstuurd of ingepland")


class MailingsMenuItem(MenuItem):
    def is_shown(self, request):
        return any(request.user.has_perm(permission) for permission in VIEW_PERMISSIONS)


newsletter_menu = Menu(register_hook_name=MENU_HOOK)


@hooks.register("register_admin_menu_item")
def register_newsletter_menu():
    """The "Nieuwsbrief" group; it shows only when one of its items is shown to the user."""
    return SubmenuMenuItem("Nieuwsbrief", newsletter_menu, name="nieuwsbrief", icon_name="mail", order=260)


@hooks.register(MENU_HOOK)
def register_mailings_menu_item():
    return MailingsMenuItem("Verzendingen", reverse("newsletter_mailings"), name="verzendingen", icon_name="mail", order=300)

