"""The admin home panel: campaigns that are running and calls that are open, with their response."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from wagtail.admin.ui.components import Component

from campaigns.models import Campaign, Recipient
from campaigns.services.results import ACCEPTED, percentage
from cms.models import CallForInputPage, CallResponse

from .views import VIEW_PERMISSIONS

RUNNING = [Campaign.Status.SCHEDULED, Campaign.Status.SENDING, Campaign.Status.PAUSED]


def count_of(queryset, column):
    """A subquery counting ``queryset``'s rows per value of ``column`` (matched to the outer pk)."""
    counted = queryset.filter(**{column: OuterRef("pk")}).order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class CampaignsPanel(Component):
    name = "campaigns"
    template_name = "campaigns/admin/results/dashboard_panel.html"
    order = 90

    def render_html(self, parent_context=None):
        user = parent_context["request"].user
        if not any(user.has_perm(permission) for permission in VIEW_PERMISSIONS):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        running = Campaign.objects.filter(status__in=RUNNING).select_related("call_page", "issue_mailing__issue").annotate(
            total=Count("messages__deliveries"),
            sent=Count("messages__deliveries", filter=Q(messages__deliveries__status__in=ACCEPTED)),
        )
        calls = list(
            CallForInputPage.objects.open()
            .live()
            .order_by("deadline", "title")
            .annotate(
                responses=count_of(CallResponse.objects.all(), "page"),
                invited=count_of(Recipient.objects.all(), "campaign__call_page"),
                answered=count_of(Recipient.objects.filter(answered_at__isnull=False), "campaign__call_page"),
            )
        )
        for call in calls:
            call.response_rate = percentage(call.answered, call.invited)
        return {"running_campaigns": running.order_by("-launched_at"), "open_calls": calls}
