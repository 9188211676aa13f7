"""Who a campaign reaches: the audience filter, and who is left out and why."""

from dataclasses import dataclass

from django.db.models import Q

from campaigns.models import Contact, Suppression


def matching_contacts(campaign, chosen_ids=None):
    """Contacts that match the campaign's filters, plus the chosen ones (active or not).

    No filter and no chosen contact means nobody, never "everyone".
    """
    chosen_ids = list(campaign.chosen_contacts.values_list("pk", flat=True)) if chosen_ids is None else chosen_ids
    filters = Q()
    if campaign.organisation_kinds:
        filters &= Q(organisation__kind__in=campaign.organisation_kinds)
    if campaign.regions:
        filters &= Q(organisation__region__in=campaign.regions)
    if campaign.tags:
        filters &= Q(tags__name__in=campaign.tags)
    has_filter = bool(campaign.organisation_kinds or campaign.regions or campaign.tags)
    selection = (filters if has_filter else Q(pk__in=[])) | Q(pk__in=chosen_ids)
    return Contact.objects.filter(selection).distinct()


@dataclass
class AudienceSummary:
    recipients: list
    suppressed: list
    inactive: list
    without_email: list

    @property
    def left_out_count(self):
        return len(self.suppressed) + len(self.inactive) + len(self.without_email)


def summarise(campaign, chosen_ids=None):
    """Split the matching contacts into those who get the mail and those left out (with the reason)."""
    contacts = list(matching_contacts(campaign, chosen_ids).select_related("organisation").order_by("name", "pk"))
    emails = [c.email for c in contacts if c.email]
    suppressed_emails = Suppression.objects.blocking(Suppression.Scope.CAMPAIGNS).blocked_addresses(emails)
    summary = AudienceSummary([], [], [], [])
    for contact in contacts:
        if not contact.email:
            summary.without_email.append(contact)
        elif not contact.active:
            summary.inactive.append(contact)
        elif contact.email in suppressed_emails:
            summary.suppressed.append(contact)
        else:
            summary.recipients.append(contact)
    return summary
