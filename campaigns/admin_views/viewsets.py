"""The "Campagnes" menu item: Wagtail's model viewset for campaigns plus the campaign's own screens.

The progress and results pages are registered separately (URL names
``campaigns_progress`` and ``campaigns_results``); these screens link to them
when they exist.
"""

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet

from campaigns.models import Campaign

from . import choosers, views
from .forms import CampaignForm


class CampaignViewSet(ModelViewSet):
    model = Campaign
    name = "campaigns"
    icon = "mail"
    menu_label = "Campagnes"
    menu_order = 250
    add_to_admin_menu = True
    form_class = CampaignForm
    add_view_class = views.CampaignCreateView
    edit_view_class = views.CampaignEditView
    copy_view_enabled = False
    list_display = ["name", "call_page", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "invitation_subject"]

    def get_form_class(self, for_update=False):
        return CampaignForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=views.call_campaigns(), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(panel=None, queryset=views.call_campaigns(), **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(queryset=views.call_campaigns(), **kwargs)

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(panel=None, **kwargs)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("aantal-ontvangers/", views.audience_count, name="audience_count"),
            path("contacten-zoeken/", choosers.contact_search, name="contact_search"),
            path("<int:pk>/controleren/", views.OverviewView.as_view(), name="overview"),
            path("<int:pk>/voorbeeld/", views.PreviewView.as_view(), name="preview"),
            path("<int:pk>/testmail/", views.TestSendView.as_view(), name="test_send"),
            path("<int:pk>/versturen/", views.LaunchView.as_view(), name="launch"),
            path("<int:pk>/pauzeren/", views.PauseView.as_view(), name="pause"),
            path("<int:pk>/hervatten/", views.ResumeView.as_view(), name="resume"),
            path("<int:pk>/annuleren/", views.CancelView.as_view(), name="cancel"),
        ]


campaign_viewset = CampaignViewSet()
