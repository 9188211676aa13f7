"""Public newsletter URLs: sign-up, confirmation, preferences and unsubscribe (personal links)."""

from django.urls import path

from newsletter.views import confirm, preferences, signup, unsubscribe

app_name = "newsletter"
urlpatterns = [
    path("nieuwsbrief/aanmelden/", signup.signup, name="signup"),
    path("nieuwsbrief/bevestigen/<str:token>/", confirm.confirm, name="confirm"),
    path("nieuwsbrief/voorkeuren/<str:token>/", preferences.preferences, name="preferences"),
    path("nieuwsbrief/afmelden/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
]
