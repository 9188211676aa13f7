"""Who a campaign reaches: the audience filter, and who is left out and why.

Nothing here loads the whole audience: the admin gets counts and the first
people of each group by name, the launch streams the recipients in chunks.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from campaigns.models import Contact, ContactTag, Suppression
from campaigns.models.suppression import address_hash

# How many people of each group an admin page names; the rest is a count.
SAMPLE_SIZE = 100
# Rows fetched per round trip while streaming the audience.
CHUNK_SIZE = 2000
NO_EMAIL = Q(email__isnull=True) | Q(email="")


def matching_contacts(campaign, chosen_ids=None):
    """Contacts that match the campaign's filters, plus the chosen ones (active or not).

    No filter and no chosen contact means nobody, never "everyone". The label
    filter is an EXISTS, so each contact appears once without a DISTINCT.
    ``chosen_ids``: the form's unsaved choice; by default the campaign's saved one.
    """
    if chosen_ids is None:  # the saved choice, as a subquery: a list of 100,000 pks would be compiled into every query
        chosen_ids = campaign.chosen_contacts.through.objects.filter(campaign_id=campaign.pk).values("contact_id")
    filters = Q()
    if campaign.organisation_kinds:
        filters &= Q(organisation__kind__in=campaign.organisation_kinds)
    if campaign.regions:
        filters &= Q(organisation__region__in=campaign.regions)
    if campaign.tags:
        filters &= Q(Exists(ContactTag.objects.filter(content_object=OuterRef("pk"), tag__name__in=campaign.tags)))
    has_filter = bool(campaign.organisation_kinds or campaign.regions or campaign.tags)
    selection = (filters if has_filter else Q(pk__in=[])) | Q(pk__in=chosen_ids)
    return Contact.objects.filter(selection)


def reachable_contacts(campaign, chosen_ids=None):
    """Matching contacts that are active and have an address; the suppression list still applies."""
    return matching_contacts(campaign, chosen_ids).exclude(NO_EMAIL).filter(active=True)


def blocked_hashes():
    """Hashes of every address the suppression list keeps from campaign mail (one query)."""
    return set(Suppression.objects.blocking(Suppression.Scope.CAMPAIGNS).values_list("email_hash", flat=True))


def recipient_rows(campaign, fields):
    """Chunks (lists of ``fields`` tuples, "pk" first, "email" among them) of the contacts who get the mail.

    The audience filter runs once, for the pks alone (about 4 MB at 100,000);
    each chunk's rows are then read by a pk range, without the filter, and
    kept when their pk is in the chunk. No cursor stays open while the caller
    inserts, no query re-evaluates the filter, and the ranges are disjoint, so
    the table is read at most once however sparse the audience.
    """
    blocked = blocked_hashes()
    position = fields.index("email")
    ids = list(reachable_contacts(campaign).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK_SIZE):
        wanted = ids[start : start + CHUNK_SIZE]
        chosen = set(wanted)
        page = Contact.objects.filter(pk__range=(wanted[0], wanted[-1])).order_by("pk").values_list(*fields)
        chunk = [row for row in page if row[0] in chosen and address_hash(row[position]) not in blocked]
        if chunk:
            yield chunk


@dataclass(frozen=True)
class LeftOut:
    title: str
    count: int
    people: list
    more: int


@dataclass
class AudienceSummary:
    """Counts per group, and the first ``SAMPLE_SIZE`` contacts of each group by name (never all of them)."""

    recipient_count: int = 0
    suppressed_count: int = 0
    inactive_count: int = 0
    without_email_count: int = 0
    recipients: list = field(default_factory=list)
    suppressed: list = field(default_factory=list)
    inactive: list = field(default_factory=list)
    without_email: list = field(default_factory=list)

    @property
    def left_out_count(self):
        return self.suppressed_count + self.inactive_count + self.without_email_count

    @property
    def more_recipients(self):
        return self.recipient_count - len(self.recipients)

    @property
    def left_out_groups(self):
        """(Dutch title, count, people named, how many more) of each reason to leave someone out."""
        groups = [
            ("Afgemeld of geblokkeerd", self.suppressed_count, self.suppressed),
            ("Niet actief", self.inactive_count, self.inactive),
            ("Zonder e-mailadres", self.without_email_count, self.without_email),
        ]
        return [LeftOut(title, count, people, count - len(people)) for title, count, people in groups]


def by_name(queryset):
    return queryset.select_related("organisation").order_by("name", "pk")


def summarise(campaign, chosen_ids=None, sample_size=SAMPLE_SIZE):
    """Split the matching contacts into those who get the mail and those left out (with the reason).

    A fixed number of queries whatever the audience's size: the reachable
    contacts are streamed as (pk, address) pairs to test each address against
    the suppression list, which holds hashes only.
    """
    matching = matching_contacts(campaign, chosen_ids)
    summary = AudienceSummary()
    summary.without_email_count = matching.filter(NO_EMAIL).count()
    summary.without_email = list(by_name(matching.filter(NO_EMAIL))[:sample_size])
    inactive = matching.exclude(NO_EMAIL).filter(active=False)
    summary.inactive_count = inactive.count()
    summary.inactive = list(by_name(inactive)[:sample_size])

    blocked = blocked_hashes()
    sample_ids = {"recipients": [], "suppressed": []}
    reachable = reachable_contacts(campaign, chosen_ids).order_by("name", "pk").values_list("pk", "email")
    for pk, email in reachable.iterator(chunk_size=CHUNK_SIZE):
        group = "suppressed" if address_hash(email) in blocked else "recipients"
        if group == "suppressed":
            summary.suppressed_count += 1
        else:
            summary.recipient_count += 1
        if len(sample_ids[group]) < sample_size:
            sample_ids[group].append(pk)
    for group, ids in sample_ids.items():
        setattr(summary, group, list(by_name(Contact.objects.filter(pk__in=ids))) if ids else [])
    return summary


def audience_contact(campaign, pk):
    """The contact ``pk`` if they get this campaign's mail, else None (one lookup, not the list)."""
    if not str(pk).isdecimal():
        return None
    contact = by_name(reachable_contacts(campaign)).filter(pk=pk).first()
    if contact is None or Suppression.objects.blocking(Suppression.Scope.CAMPAIGNS).blocked_addresses([contact.email]):
        return None
    return contact


def first_recipients(campaign, count=SAMPLE_SIZE):
    """The first ``count`` contacts by name who get the mail; the stream stops once it has them."""
    blocked = blocked_hashes()
    ids = []
    reachable = reachable_contacts(campaign).order_by("name", "pk").values_list("pk", "email")
    for pk, email in reachable.iterator(chunk_size=min(CHUNK_SIZE, count * 2)):
        if address_hash(email) not in blocked:
            ids.append(pk)
            if len(ids) >= count:
                break
    return list(by_name(Contact.objects.filter(pk__in=ids)))
