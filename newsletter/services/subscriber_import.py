"""Import subscribers from a CSV file: plan per row, then sign each accepted row up (see ``campaigns.services.csv_import``).

Each row needs the place and time the person gave consent (column
``toestemming``): that is the proof the regulator asks for, kept as the
consent record's ``source_detail``. An imported address is not subscribed:
it becomes a pending sign-up and gets the confirmation mail, never a
newsletter, until the person confirms. Addresses on the suppression list for
the newsletter (also erased ones, found by their hash) are refused.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from campaigns.models import Suppression, normalise_email
from campaigns.models.suppression import address_hash
from campaigns.services.csv_import import (
    Action,
    CsvFormat,
    ImportFileError,
    ImportPlan,
    ImportResult,
    RowPlan,
    apply_confirmed,
    read_csv,
    refuse_repeats,
)
from newsletter.models import ConsentRecord, ConsentText, Subscriber, Topic
from newsletter.services.subscriptions import sign_up

FORMAT = CsvFormat(
    columns={
        "email": ("e-mail", "email", "e-mailadres", "emailadres", "e-mail adres", "email address", "e-mail address"),
        "name": ("naam", "name", "volledige naam", "full name"),
        "topics": ("onderwerpen", "onderwerp", "topics", "topic"),
        "consent": ("toestemming", "consent", "toestemming gegeven", "herkomst", "bron", "source"),
    },
    labels={"email": "e-mail", "consent": "toestemming", "name": "naam", "topics": "onderwerpen"},
    required=("email", "consent"),
)
TOPIC_SEPARATORS = re.compile(r"[;,|]")
MAX_LENGTH = {"name": 200, "consent": 500}
LOOKUP_CHUNK = 1000


@dataclass
class SubscriberRow(RowPlan):
    email: str = ""
    name: str = ""
    consent: str = ""
    topic_names: list = field(default_factory=list)

    @property
    def cells(self):
        return (self.email, self.name, ", ".join(self.topic_names), self.consent)


@dataclass
class SubscriberPlan(ImportPlan):
    consent_text: ConsentText | None = None

    def fingerprint_extra(self):
        return self.consent_text.pk if self.consent_text else None


def read_file(data):
    parsed = read_csv(data, FORMAT)
    if ConsentText.current() is None:
        raise ImportFileError("Er is nog geen toestemmingstekst. Leg die eerst vast onder Nieuwsbrief › Toestemmingsteksten.")
    return parsed


def topic_lookup():
    """``{name or slug, casefolded: topic}`` of every topic."""
    lookup = {}
    for topic in Topic.objects.all():
        lookup[topic.name.casefold()] = topic
        lookup[topic.slug.casefold()] = topic
    return lookup


def plan_import(data):
    """What importing ``data`` (CSV bytes) would do, row by row; writes nothing."""
    parsed = read_file(data)
    topics = topic_lookup()
    rows = [clean_row(line, parsed.cells(cells), topics) for line, cells in parsed.rows]
    refuse_repeats(rows, lambda row: row.email if row.action != Action.REFUSE else "", "hetzelfde e-mailadres")
    accepted = [row for row in rows if row.action != Action.REFUSE]
    refuse_suppressed(accepted)
    compare_with_existing([row for row in accepted if row.action != Action.REFUSE])
    return SubscriberPlan(
        rows=rows,
        ignored_headers=parsed.ignored_headers,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        consent_text=ConsentText.current(),
    )


def clean_row(line, raw, topics):
    row = SubscriberRow(line=line, email=normalise_email(raw["email"]), name=raw.get("name", ""), consent=raw["consent"])
    reasons = row.reasons
    if not row.email:
        reasons.append("e-mailadres ontbreekt")
    else:
        try:
            validate_email(row.email)
            row.values["email"] = row.email
        except ValidationError:
            reasons.append(f"ongeldig e-mailadres '{row.email}'")
    if len(row.name) > MAX_LENGTH["name"]:
        reasons.append(f"naam is langer dan {MAX_LENGTH['name']} tekens")
    else:
        row.values["name"] = row.name
    if not row.consent:
        reasons.append("toestemming ontbreekt: vul in waar en wanneer deze persoon toestemming gaf")
    elif len(row.consent) > MAX_LENGTH["consent"]:
        reasons.append(f"toestemming is langer dan {MAX_LENGTH['consent']} tekens")
    else:
        row.values["consent"] = row.consent
    clean_topics(row, raw.get("topics", ""), topics)
    if reasons:
        row.action = Action.REFUSE
        row.values = {}
    return row


def clean_topics(row, cell, topics):
    chosen, unknown = [], []
    for part in (part.strip() for part in TOPIC_SEPARATORS.split(cell)):
        if not part:
            continue
        topic = topics.get(part.casefold())
        if topic is None:
            unknown.append(part)
        elif topic not in chosen:
            chosen.append(topic)
    row.topic_names = [topic.name for topic in chosen] or unknown
    if unknown:
        row.reasons.append(f"onbekend onderwerp {', '.join(repr(name) for name in unknown)}")
    elif not chosen:
        row.reasons.append("geen onderwerp: noem in de kolom onderwerpen minstens één onderwerp")
    else:
        row.values["topics"] = sorted(topic.pk for topic in chosen)


def refuse_suppressed(rows):
    """An address on the newsletter's suppression list is never imported, whatever the reason it is there."""
    emails = [row.email for row in rows]
    reasons = {}
    for start in range(0, len(emails), LOOKUP_CHUNK):
        entries = Suppression.objects.blocking(Suppression.Scope.NEWSLETTER).for_addresses(emails[start : start + LOOKUP_CHUNK])
        for entry in entries:
            reasons.setdefault(entry.email_hash, entry.get_reason_display().lower())
    for row in rows:
        reason = reasons.get(address_hash(row.email))
        if reason:
            row.refuse(f"staat op de blokkeerlijst ({reason}): dit adres mag niet worden gemaild")


def compare_with_existing(rows):
    """A known address: unchanged when it already receives every topic named, else a new sign-up for what is new."""
    emails = [row.email for row in rows]
    existing = {}
    for start in range(0, len(emails), LOOKUP_CHUNK):
        for subscriber in Subscriber.objects.filter(email__in=emails[start : start + LOOKUP_CHUNK]).prefetch_related("topics"):
            existing[subscriber.email] = subscriber
    for row in rows:
        subscriber = existing.get(row.email)
        if subscriber is None:
            continue
        row.values["id"] = subscriber.pk
        has = {topic.pk for topic in subscriber.topics.all()} if subscriber.status == Subscriber.Status.CONFIRMED else set()
        new = [pk for pk in row.values["topics"] if pk not in has]
        if not new:
            row.action = Action.UNCHANGED
            row.changes = ["al aangemeld voor deze onderwerpen"]
        else:
            row.action = Action.UPDATE
            row.changes = ["nieuwe aanmelding, wacht op bevestiging"]


def apply_import(data, fingerprint, user):
    """Sign every new or changed row up (source import), in one transaction; each gets its confirmation mail."""
    return apply_confirmed(lambda: plan_import(data), fingerprint, lambda plan: write_plan(plan, user))


def write_plan(plan, user):
    topics = {topic.pk: topic for topic in Topic.objects.all()}
    rows = plan.writes
    for row in rows:
        sign_up(
            row.values["email"],
            name=row.values.get("name", ""),
            topics=[topics[pk] for pk in row.values["topics"]],
            source=ConsentRecord.Source.IMPORT,
            source_detail=row.values["consent"],
            consent_text=plan.consent_text,
            imported_by=user,
        )
    return ImportResult(
        created=sum(1 for row in rows if row.action == Action.CREATE),
        updated=sum(1 for row in rows if row.action == Action.UPDATE),
    )
