"""Progress while sending, results afterwards, retrying failed mails, exports and good examples."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import any_permission_required, permission_required
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from campaigns.models import Campaign, Delivery, Recipient
from campaigns.services.answer_export import answers_csv, answers_xlsx
from campaigns.services.good_examples import ExampleRefused, create_example_draft
from campaigns.permissions import may_read_answers, may_see_contact_details
from campaigns.services.launch import CampaignStateError
from campaigns.services.results import (
    GMAIL_COMPLAINT_CEILING,
    GMAIL_COMPLAINT_WARNING,
    campaign_progress,
    campaign_results,
    is_blocked,
    newsletter_results,
)
from campaigns.services.retry import retry_failed
from cms.models import CallResponse

VIEW_PERMISSIONS = ("campaigns.view_campaign", "campaigns.change_campaign", "campaigns.add_campaign")
REFRESH_SECONDS = 5
FAILED_SHOWN = 100
PER_PAGE = 50
NO_ANSWER_PERMISSION = (
    "U mag de reacties op deze oproep niet inzien: daarvoor moet u de formulierinzendingen van de oproep "
    "in Wagtail mogen bekijken. Vraag een beheerder om dat recht."
)

can_view_campaigns = any_permission_required(*VIEW_PERMISSIONS)


def duration_text(seconds):
    """'ongeveer 1 uur en 5 minuten', in words a person reads at a glance."""
    if seconds is None:
        return "nog onbekend"
    if seconds == 0:
        return "klaar"
    if seconds < 60:
        return "minder dan een minuut"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} uur")
    if minutes:
        parts.append(f"{minutes} minuut" if minutes == 1 else f"{minutes} minuten")
    return "ongeveer " + " en ".join(parts)


def dutch_number(value):
    """6000 -> "6.000"."""
    return f"{round(value):,}".replace(",", ".")


def span_text(seconds):
    """"7 seconden", "3 minuten", "2 uur en 5 minuten": how long a measurement took."""
    if round(seconds) < 60:
        return "1 seconde" if round(seconds) == 1 else f"{round(seconds)} seconden"
    minutes = round(seconds / 60)
    if minutes < 60:
        return "1 minuut" if minutes == 1 else f"{minutes} minuten"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} uur" + (f" en {minutes} minuten" if minutes else "")


def rate_text(progress):
    """What was sent in how long, then the rate it makes: "10 in 7 seconden, ongeveer 86 per minuut"."""
    if progress.stalled:
        return "in de laatste minuut is niets verstuurd"
    count = progress.measured_count
    if not count:
        return "nog onbekend"
    mails = "1 mail" if count == 1 else f"{dutch_number(count)} mails"
    if progress.per_minute is None:
        return f"{mails} in minder dan een seconde"
    if progress.done:
        measured = f"{mails} in {span_text(progress.measured_seconds)}"
    elif round(progress.measured_seconds) >= 60:
        measured = f"{mails} in de laatste minuut"
    else:
        measured = f"{mails} in de laatste {span_text(progress.measured_seconds)}"
    if progress.per_minute >= 1:
        return f"{measured}, ongeveer {dutch_number(progress.per_minute)} per minuut"
    return f"{measured}, ongeveer {dutch_number(progress.per_minute * 60)} per uur"


class CampaignAdminView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "mail"
    section_title = ""

    @cached_property
    def campaign(self):
        # Looked up in dispatch, so only after the permission check.
        return get_object_or_404(Campaign.objects.select_related("call_page"), pk=self.kwargs["pk"])

    def get_page_title(self):
        return f"{self.section_title}: {self.campaign.name}"

    @property
    def is_newsletter(self):
        return self.campaign.kind == Campaign.Kind.NEWSLETTER

    def get_breadcrumbs_items(self):
        if self.is_newsletter:
            parents = [{"url": reverse("newsletter_mailings"), "label": "Verzendingen nieuwsbrief"}]
        else:
            parents = [
                {"url": reverse("campaigns:index"), "label": "Campagnes"},
                {"url": reverse("campaigns:overview", args=[self.campaign.pk]), "label": self.campaign.name},
            ]
        return [*self.breadcrumbs_items, *parents, {"url": "", "label": self.section_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, is_newsletter=self.is_newsletter, **kwargs)


@method_decorator(can_view_campaigns, name="dispatch")
class ProgressView(CampaignAdminView):
    template_name = "campaigns/admin/results/progress.html"
    section_title = "Voortgang"

    def get_context_data(self, **kwargs):
        progress = campaign_progress(self.campaign)
        sending = self.campaign.status in (Campaign.Status.SENDING, Campaign.Status.SCHEDULED) and not progress.done
        return super().get_context_data(
            progress=progress,
            rate=rate_text(progress),
            time_left=duration_text(progress.seconds_left),
            refresh_seconds=REFRESH_SECONDS if sending and self.request.GET.get("verversen") != "uit" else None,
            sending=sending,
            **kwargs,
        )


@method_decorator(can_view_campaigns, name="dispatch")
class ResultsView(CampaignAdminView):
    template_name = "campaigns/admin/results/results.html"
    section_title = "Resultaten"

    def get_context_data(self, **kwargs):
        failed = (
            Delivery.objects.filter(message__campaign=self.campaign, status=Delivery.Status.FAILED)
            .select_related("recipient", "message")
            .order_by("recipient__name", "pk")
        )
        user = self.request.user
        may_read = not self.is_newsletter and may_read_answers(user, self.campaign.call_page)
        return super().get_context_data(
            results=campaign_results(self.campaign),
            **(self.newsletter_context() if self.is_newsletter else {}),
            failed_deliveries=failed[:FAILED_SHOWN],
            may_read_answers=may_read,
            no_answer_permission=NO_ANSWER_PERMISSION,
            show_addresses=may_see_contact_details(user),
            can_retry=user.has_perm("campaigns.launch_campaign"),
            **(self.respondent_pages() if may_read else {}),
            **kwargs,
        )

    def newsletter_context(self):
        return {
            "newsletter": newsletter_results(self.campaign),
            "gmail_warning": GMAIL_COMPLAINT_WARNING,
            "gmail_ceiling": GMAIL_COMPLAINT_CEILING,
        }

    def respondent_pages(self):
        """Who answered and who did not: answer data, for those who may read the call's submissions."""
        recipients = Recipient.objects.filter(campaign=self.campaign)
        answered = (
            recipients.filter(response__isnull=False)
            .select_related("response")
            .prefetch_related("response__example_pages")
            .order_by("-answered_at", "pk")
        )
        waiting = (
            recipients.filter(answered_at__isnull=True)
            .annotate(blocked=is_blocked(self.campaign))
            .order_by("organisation_name", "name", "pk")
        )
        return {
            "answered_page": Paginator(answered, PER_PAGE).get_page(self.request.GET.get("reacties")),
            "waiting_page": Paginator(waiting, PER_PAGE).get_page(self.request.GET.get("wachtend")),
        }


@require_POST
@permission_required("campaigns.launch_campaign")
def retry(request, pk):
    """Queue failed deliveries again: all of them, or the one in ``delivery``."""
    campaign = get_object_or_404(Campaign, pk=pk)
    delivery = request.POST.get("delivery")
    delivery_ids = [delivery] if delivery and delivery.isdigit() else None
    try:
        count = retry_failed(campaign, user=request.user, delivery_ids=delivery_ids)
    except CampaignStateError as error:
        messages.error(request, str(error))
    else:
        if count:
            mails = "1 mail staat" if count == 1 else f"{count} mails staan"
            messages.success(request, f"{mails} weer in de wachtrij; ze worden binnen een minuut opnieuw verstuurd.")
        else:
            messages.warning(request, "Er waren geen mislukte verzendingen om opnieuw te proberen.")
    return redirect("campaigns_results", pk=campaign.pk)


def answers_refused():
    # A plain 403 rather than Wagtail's redirect: the refusal is the answer.
    return HttpResponseForbidden(NO_ANSWER_PERMISSION, content_type="text/plain; charset=utf-8")


@can_view_campaigns
def export_answers(request, pk, file_format):
    campaign = get_object_or_404(Campaign.objects.select_related("call_page"), pk=pk)
    if campaign.call_page is None:
        raise Http404("Een nieuwsbrief heeft geen reacties.")
    if not may_read_answers(request.user, campaign.call_page):
        return answers_refused()
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        content = answers_xlsx(campaign)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = answers_csv(campaign)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="antwoorden-campagne-{campaign.pk}-{stamp}.{file_format}"'
    return response


@require_POST
def create_good_example(request, response_pk):
    """Make a draft good example from an answer with consent, then open it in the page editor."""
    response = get_object_or_404(CallResponse.objects.select_related("page", "recipient"), pk=response_pk)
    if not may_read_answers(request.user, response.page):
        return answers_refused()
    try:
        page, created = create_example_draft(response, request.user)
    except ExampleRefused as error:
        messages.error(request, str(error))
        recipient = getattr(response, "recipient", None)
        if recipient:
            return redirect("campaigns_results", pk=recipient.campaign_id)
        return redirect(reverse("wagtailforms:list_submissions", args=[response.page_id]))
    if created:
        messages.success(request, f"Concept ‘{page.title}’ gemaakt. Pas het aan en publiceer het als het klaar is.")
    else:
        messages.warning(request, "Van deze reactie bestaat al een goed voorbeeld; dat ziet u hier.")
    return redirect("wagtailadmin_pages:edit", page.pk)
