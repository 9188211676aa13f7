"""Public newsletter URLs: sign-up, confirmation, preferences and unsubscribe (personal links)."""

app_name = "newsletter"
urlpatterns = []
