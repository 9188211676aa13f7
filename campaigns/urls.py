"""Public campaign URLs. The sending engine writes the first two into every mail."""

from django.urls import include, path

from campaigns.views import personal_link, unsubscribe, webhooks

urlpatterns = [
    path("reageren/<str:token>/", personal_link.respond, name="campaign_personal_link"),
    path("afmelden/<str:token>/", unsubscribe.unsubscribe, name="campaign_unsubscribe"),
    path("anymail/", include((webhooks.tracking_webhook_patterns(), "anymail"))),
]
