"""The admin roles of the demo, built with the demo's own group setup, and a call, for the security tests."""

from django.contrib.auth.models import Group, User
from django.urls import reverse

from cms.demo import content
from cms.demo.builder import CAMPAIGN_MANAGERS_GROUP, create_demo_groups
from cms.factories import CallForInputPageFactory, ContactPersonFactory

ROLES = {
    # Editors: write and publish pages, and campaigns up to the launch.
    "editor": [content.EDITORS_GROUP],
    # The demo's campaign manager: editor plus contacts and launching.
    "campaign_manager": [content.EDITORS_GROUP, CAMPAIGN_MANAGERS_GROUP],
    # Campaigns and contacts, but no right on any page (so none on a call's submissions).
    "manager_without_pages": [CAMPAIGN_MANAGERS_GROUP],
}


def make_user(role, username=None):
    """A user with ``role`` (a key of ROLES, or "superuser")."""
    create_demo_groups()
    username = username or role
    if role == "superuser":
        return User.objects.create_superuser(username, f"{username}@example.org", "geheim-wachtwoord")
    user = User.objects.create_user(username, f"{username}@example.org", "geheim-wachtwoord")
    user.groups.add(*Group.objects.filter(name__in=ROLES[role]))
    return user


def make_call_page(site_tree):
    """An open call for input under the call index, without notification mails."""
    _, _, calls = site_tree
    return CallForInputPageFactory(
        parent=calls, title="Oproep nieuwe initiatieven", contact_person=ContactPersonFactory(), notify_contact_person=False
    )


def is_refused(response):
    """Wagtail's refusal: 403, or (for a page of the admin) back to the dashboard with "no permission"."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"))
