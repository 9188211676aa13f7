"""Who may see contact details and answers in the admin.

Contact details follow the contact screens (any permission on contacts, as
wagtail-modeladmin lists them); answers follow Wagtail's own rule for a form
page's submissions, so the campaign screens never show more than the
submissions list would.
"""

from wagtail.contrib.forms.utils import get_forms_for_user

CONTACT_PERMISSIONS = ("campaigns.view_contact", "campaigns.add_contact", "campaigns.change_contact", "campaigns.delete_contact")
PREPARE_PERMISSIONS = ("campaigns.add_campaign", "campaigns.change_campaign")


def may_see_contact_details(user):
    """E-mail addresses of contacts: only for users who may open the contact screens."""
    return any(user.has_perm(permission) for permission in CONTACT_PERMISSIONS)


def may_prepare_campaigns(user):
    return any(user.has_perm(permission) for permission in PREPARE_PERMISSIONS)


def may_read_answers(user, call_page):
    """Whether ``user`` may read the submissions of ``call_page`` in Wagtail's forms admin."""
    return get_forms_for_user(user).filter(pk=call_page.pk).exists()
