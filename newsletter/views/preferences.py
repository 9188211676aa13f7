"""``/nieuwsbrief/voorkeuren/<token>/``: name and topics, without an account; the link is the key.

``voorbeeld`` (the link in previews and test mails) shows a sample that saves nothing.
"""

from django.views.decorators.http import require_http_methods

from cms.client_ip import client_ip
from newsletter.forms import PreferencesForm
from newsletter.links import SAMPLE
from newsletter.models import Topic
from newsletter.services.subscriptions import unsubscribe, update_preferences
from newsletter.tokens import find_subscriber

from .common import private, unknown_link, well_formed

UNSUBSCRIBE_ALL = "afmelden"


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    if token == SAMPLE:
        return sample(request)
    subscriber = find_subscriber(token) if well_formed(token) else None
    if subscriber is None:
        return unknown_link(request)
    saved = False
    if request.method == "POST" and UNSUBSCRIBE_ALL in request.POST:
        unsubscribe(subscriber, detail="Afgemeld via de voorkeurenpagina")
        return private(request, "unsubscribed.html", {"email": subscriber.email, "preferences_path": request.path})
    if request.method == "POST":
        form = PreferencesForm(request.POST, subscriber=subscriber)
        if form.is_valid():
            update_preferences(
                subscriber,
                name=form.cleaned_data["name"].strip(),
                topics=form.cleaned_data["topics"],
                ip_address=client_ip(request) or None,
            )
            subscriber.refresh_from_db()
            saved = True
            form = PreferencesForm(initial=initial(subscriber), subscriber=subscriber)
    else:
        form = PreferencesForm(initial=initial(subscriber), subscriber=subscriber)
    context = {"form": form, "subscriber": subscriber, "saved": saved, "unsubscribe_all": UNSUBSCRIBE_ALL}
    return private(request, "preferences.html", context)


def initial(subscriber):
    return {"name": subscriber.name, "topics": list(subscriber.topics.all())}


def sample(request):
    form = PreferencesForm(initial={"name": "Voorbeeld Abonnee", "topics": list(Topic.objects.filter(active=True)[:1])})
    context = {"form": form, "posted": request.method == "POST", "unsubscribe_all": UNSUBSCRIBE_ALL}
    return private(request, "preferences_sample.html", context)
