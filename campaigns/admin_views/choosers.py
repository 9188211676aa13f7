"""Choosing contacts for a campaign: a widget that lists only the chosen ones and a paged search behind it.

The form never carries the whole contact list: the widget renders the chosen
contacts as ticked boxes, and ``contact-chooser.js`` adds more from
``contact_search``, twenty at a time. Names and organisations are shown to
everyone who may prepare a campaign; e-mail addresses (shown, and searched)
only to users who may open the contact screens.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, Q
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse

from campaigns.models import Contact
from campaigns.permissions import may_prepare_campaigns, may_see_contact_details

RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 100


class ContactChooserWidget(forms.Widget):
    template_name = "campaigns/admin/campaign/contact_chooser.html"

    class Media:
        js = ["campaigns/js/contact-chooser.js"]
        css = {"all": ["campaigns/css/contact-chooser.css"]}

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        # An unticked box sends nothing, which means "none chosen", not "field left out".
        return False

    def format_value(self, value):
        if value is None:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(item.pk if isinstance(item, Model) else item) for item in values]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = [pk for pk in context["widget"]["value"] if pk.isdigit()]
        context["widget"]["chosen"] = (
            Contact.objects.filter(pk__in=ids).select_related("organisation").order_by("name", "pk") if ids else []
        )
        context["widget"]["search_url"] = reverse("campaigns:contact_search")
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template, not one of Django's form templates.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


def search_contacts(query, with_details):
    """Contacts whose name or organisation (or, ``with_details``, address) contains ``query``."""
    contacts = Contact.objects.select_related("organisation").order_by("name", "pk")
    if not query:
        return contacts
    matches = Q(name__icontains=query) | Q(organisation__name__icontains=query)
    if with_details:
        matches |= Q(email__icontains=query)
    return contacts.filter(matches)


def contact_search(request):
    """JSON: one page of contacts matching ``q`` (page ``p``), for the chooser."""
    if not may_prepare_campaigns(request.user):
        raise PermissionDenied
    with_details = may_see_contact_details(request.user)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page = Paginator(search_contacts(query, with_details), RESULTS_PER_PAGE).get_page(request.GET.get("p"))
    results = []
    for contact in page:
        result = {"id": contact.pk, "name": contact.name, "organisation": contact.organisation.name if contact.organisation else ""}
        if with_details:
            result["email"] = contact.email or ""
        results.append(result)
    return JsonResponse(
        {"results": results, "count": page.paginator.count, "page": page.number, "has_next": page.has_next()}
    )
