"""Wagtail admin registrations for campaigns."""

from urllib.parse import urlencode

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import modeladmin_register

from campaigns.admin import ContactsGroup
from campaigns.admin_views.viewsets import campaign_viewset
from campaigns.results import views as results_views
from campaigns.results.panels import CampaignsPanel
from cms.models import CallForInputPage


@hooks.register("register_log_actions")
def register_campaign_log_actions(actions):
    actions.register_action("campaigns.launch", "Campagne gestart", "Campagne gestart")
    actions.register_action("campaigns.pause", "Campagne gepauzeerd", "Campagne gepauzeerd")
    actions.register_action("campaigns.resume", "Campagne hervat", "Campagne hervat")
    actions.register_action("campaigns.cancel", "Campagne geannuleerd", "Campagne geannuleerd")


@hooks.register("register_log_actions")
def register_retry_log_action(actions):
    actions.register_action("campaigns.retry", "Mislukte verzendingen opnieuw geprobeerd", "Mislukte verzendingen opnieuw geprobeerd")


@hooks.register("register_admin_urls")
def register_results_urls():
    return [
        path("campaigns/<int:pk>/voortgang/", results_views.ProgressView.as_view(), name="campaigns_progress"),
        path("campaigns/<int:pk>/resultaten/", results_views.ResultsView.as_view(), name="campaigns_results"),
        path("campaigns/<int:pk>/resultaten/opnieuw-proberen/", results_views.retry, name="campaigns_retry"),
        path(
            "campaigns/<int:pk>/resultaten/antwoorden.csv",
            results_views.export_answers,
            {"file_format": "csv"},
            name="campaigns_answers_csv",
        ),
        path(
            "campaigns/<int:pk>/resultaten/antwoorden.xlsx",
            results_views.export_answers,
            {"file_format": "xlsx"},
            name="campaigns_answers_xlsx",
        ),
        path(
            "campaigns/reacties/<int:response_pk>/goed-voorbeeld/",
            results_views.create_good_example,
            name="campaigns_good_example",
        ),
    ]


@hooks.register("construct_homepage_panels")
def add_campaigns_panel(request, panels):
    panels.append(CampaignsPanel())


@hooks.register("register_admin_viewset")
def register_campaign_viewset():
    return campaign_viewset


def campaign_buttons(page, user):
    if isinstance(page.specific_deferred, CallForInputPage) and user.has_perm("campaigns.add_campaign"):
        url = reverse("campaigns:add") + "?" + urlencode({"oproep": page.pk})
        yield Button("Campagne maken", url=url, icon_name="mail", priority=40)


@hooks.register("register_page_header_buttons")
def campaign_button_on_call(page, user, view_name, next_url=None):
    """"Campagne maken" among the actions of a call page in the admin."""
    yield from campaign_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def campaign_button_in_page_listing(page, user, next_url=None):
    """The same in the "..." menu of the call's row in the page explorer."""
    yield from campaign_buttons(page, user)


modeladmin_register(ContactsGroup)
