"""Import contacts from a CSV file: plan per row, then apply the plan in one transaction (see ``csv_import``).

Rows are matched to existing contacts by e-mail address. An empty cell leaves
the existing value alone; a column that is missing leaves that field alone.

A row may name an organisation that does not exist yet: with its kind (and
optionally its region) in the columns ``soort organisatie`` and ``regio``, the
import creates it, once however many rows name it. Rows that give the same new
organisation different kinds or regions are all refused, since the import
cannot know which is right. For an existing organisation these cells are not
used: the organisation import changes organisations.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from taggit.models import Tag

from campaigns.models import Contact, ContactTag, Organisation, normalise_email

from .csv_import import Action, CsvFormat, ImportPlan, ImportResult, RowPlan, apply_confirmed, read_csv, refuse_repeats
from .organisation_import import KIND_REQUIRED, KIND_SPELLINGS, NAME_MAX_LENGTH, REGION_SPELLINGS, clean_organisation_cells

LOOKUP_CHUNK = 1000

FORMAT = CsvFormat(
    columns={
        "name": ("naam", "name", "volledige naam", "full name"),
        "email": ("e-mail", "email", "e-mailadres", "emailadres", "e-mail adres", "email address", "e-mail address"),
        "organisation": ("organisatie", "organisation", "organization"),
        "organisation_kind": KIND_SPELLINGS,
        "organisation_region": REGION_SPELLINGS,
        "role": ("functie", "role", "rol"),
        "active": ("actief", "active"),
        "tags": ("labels", "tags", "label", "tag"),
        "language": ("taal", "language", "voorkeurstaal"),
    },
    labels={
        "name": "naam",
        "email": "e-mail",
        "organisation": "organisatie",
        "organisation_kind": "soort organisatie",
        "organisation_region": "regio",
        "role": "functie",
        "active": "actief",
        "tags": "labels",
        "language": "taal",
    },
    required=("name", "email"),
)
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "actief", "active"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", "inactief", "inactive"}
LANGUAGES = {"nl": "nl", "nederlands": "nl", "dutch": "nl", "en": "en", "engels": "en", "english": "en"}
MAX_LENGTH = {"name": 200, "role": 200}
TAG_SEPARATORS = (";", "|")


@dataclass
class ContactRow(RowPlan):
    name: str = ""
    email: str = ""
    organisation: str = ""
    new_organisation: dict = field(default_factory=dict)  # kind and region cells, when the organisation is unknown

    @property
    def cells(self):
        new = self.action != Action.REFUSE and "new_organisation" in self.values
        return (self.name, self.email, f"{self.organisation} (nieuw)" if new else self.organisation)


@dataclass
class NewOrganisation:
    name: str
    kind: str
    region: str
    lines: list

    @property
    def kind_label(self):
        return Organisation.Kind(self.kind).label

    @property
    def region_label(self):
        return Organisation.Region(self.region).label if self.region else ""


@dataclass
class ContactPlan(ImportPlan):
    new_organisations: list = field(default_factory=list)

    def fingerprint_extra(self):
        return [(organisation.name, organisation.kind, organisation.region) for organisation in self.new_organisations]

    def new_tags(self):
        """Labels the import would create: shown in the preview, so that a typo is seen before it is saved."""
        names = {name.lower(): name for row in self.writes for name in row.values.get("tags", [])}
        existing = set(
            Tag.objects.annotate(lower=Lower("name")).filter(lower__in=list(names)).values_list("lower", flat=True)
        )
        return sorted((name for key, name in names.items() if key not in existing), key=str.lower)


@dataclass
class ContactResult(ImportResult):
    organisations: int = 0


def read_file(data):
    return read_csv(data, FORMAT)


def plan_import(data, may_create_organisations=True):
    """What importing ``data`` (CSV bytes) would do, row by row; writes nothing."""
    parsed = read_file(data)
    organisations = {organisation.name.casefold(): organisation for organisation in Organisation.objects.all()}
    rows = [clean_row(line, parsed.cells(cells), parsed.cell(cells, "name"), organisations) for line, cells in parsed.rows]
    refuse_repeats(rows, lambda row: row.email, "hetzelfde e-mailadres")
    new_organisations = plan_new_organisations(rows, may_create_organisations)
    existing = existing_contacts([row.email for row in rows if row.action != Action.REFUSE])
    for row in rows:
        if row.action != Action.REFUSE:
            compare_with_existing(row, existing.get(row.email))
    return ContactPlan(
        rows=rows,
        ignored_headers=parsed.ignored_headers,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        new_organisations=new_organisations,
    )


def clean_row(line, raw, original_name, organisations):
    row = ContactRow(line=line, name=raw["name"], email=normalise_email(raw["email"]), organisation=raw.get("organisation", ""))
    reasons = row.reasons
    if not row.name:
        reasons.append("naam ontbreekt")
    elif any(char in original_name for char in "\r\n\x00"):
        reasons.append("naam bevat een regeleinde of ongeldig teken")
    elif len(row.name) > MAX_LENGTH["name"]:
        reasons.append(f"naam is langer dan {MAX_LENGTH['name']} tekens")
    else:
        row.values["name"] = row.name
    if not row.email:
        reasons.append("e-mailadres ontbreekt")
    else:
        try:
            validate_email(row.email)
            row.values["email"] = row.email
        except ValidationError:
            reasons.append(f"ongeldig e-mailadres '{row.email}'")
    if row.organisation:
        clean_organisation(row, raw, organisations)
    if raw.get("role"):
        if len(raw["role"]) > MAX_LENGTH["role"]:
            reasons.append(f"functie is langer dan {MAX_LENGTH['role']} tekens")
        else:
            row.values["role"] = raw["role"]
    if raw.get("active"):
        word = raw["active"].lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            row.values["active"] = word in TRUE_WORDS
        else:
            reasons.append(f"actief moet ja of nee zijn, niet '{raw['active']}'")
    if raw.get("language"):
        language = LANGUAGES.get(raw["language"].lower())
        if language is None:
            reasons.append(f"onbekende taal '{raw['language']}' (nl of en)")
        else:
            row.values["language"] = language
    if raw.get("tags"):
        row.values["tags"] = split_tags(raw["tags"])
    if reasons:
        row.action = Action.REFUSE
        row.values = {}
    return row


def clean_organisation(row, raw, organisations):
    """An existing organisation by name; for an unknown one, its kind and region cells (decided on in ``plan_new_organisations``)."""
    organisation = organisations.get(row.organisation.casefold())
    if organisation is not None:
        row.organisation = organisation.name
        row.values["organisation"] = organisation.pk
        return
    if len(row.organisation) > NAME_MAX_LENGTH:
        row.reasons.append(f"naam van de organisatie is langer dan {NAME_MAX_LENGTH} tekens")
        return
    values, reasons = clean_organisation_cells(raw.get("organisation_kind", ""), raw.get("organisation_region", ""))
    row.reasons.extend(reasons)
    row.new_organisation = values


def plan_new_organisations(rows, may_create):
    """The organisations the valid rows name that do not exist yet, each once; refuses the rows of one that cannot be made."""
    named = {}
    for row in rows:
        if row.action != Action.REFUSE and row.organisation and "organisation" not in row.values:
            named.setdefault(row.organisation.casefold(), []).append(row)
    planned = []
    for group in named.values():
        name = group[0].organisation
        reason = organisation_problem(name, group, may_create)
        if reason:
            for row in group:
                row.refuse(reason)
            continue
        planned.append(
            NewOrganisation(
                name=name,
                kind=next(row.new_organisation["kind"] for row in group if "kind" in row.new_organisation),
                region=next((row.new_organisation["region"] for row in group if "region" in row.new_organisation), ""),
                lines=[row.line for row in group],
            )
        )
        for row in group:
            row.organisation = name
            row.values["new_organisation"] = name
    return planned


def organisation_problem(name, rows, may_create):
    """Why the rows naming the unknown organisation ``name`` cannot create it, or None."""
    if not may_create:
        return f"onbekende organisatie '{name}' (u mag geen organisaties aanmaken)"
    for field_name, label, choices in (
        ("kind", "soorten", Organisation.Kind),
        ("region", "regio's", Organisation.Region),
    ):
        given = {}
        for row in rows:
            if field_name in row.new_organisation:
                given.setdefault(row.new_organisation[field_name], []).append(row.line)
        if len(given) > 1:
            spread = ", ".join(
                f"{choices(value).label} in rij {', '.join(map(str, lines))}" for value, lines in given.items()
            )
            return f"nieuwe organisatie '{name}' staat met verschillende {label} in het bestand ({spread}); maak ze gelijk"
        if field_name == "kind" and not given:
            return f"onbekende organisatie '{name}': {KIND_REQUIRED}"
    return None


def split_tags(cell):
    for separator in TAG_SEPARATORS:
        cell = cell.replace(separator, ",")
    tags = []
    for tag in (part.strip() for part in cell.split(",")):
        if tag and tag.lower() not in (known.lower() for known in tags):
            tags.append(tag[:100])
    return sorted(tags, key=str.lower)


def existing_contacts(emails):
    """Contacts with these addresses, by address, with ``tag_names`` filled in."""
    found = {}
    for start in range(0, len(emails), LOOKUP_CHUNK):
        chunk = emails[start : start + LOOKUP_CHUNK]
        for contact in Contact.objects.filter(email__in=chunk):
            contact.tag_names = []
            found[contact.email] = contact
    by_id = {contact.pk: contact for contact in found.values()}
    ids = list(by_id)
    for start in range(0, len(ids), LOOKUP_CHUNK):
        tagged = ContactTag.objects.filter(content_object_id__in=ids[start : start + LOOKUP_CHUNK])
        for contact_id, tag_name in tagged.values_list("content_object_id", "tag__name"):
            by_id[contact_id].tag_names.append(tag_name)
    return found


def compare_with_existing(row, contact):
    if contact is None:
        return
    row.values["id"] = contact.pk
    current = {
        "name": contact.name,
        "organisation": contact.organisation_id,
        "role": contact.role,
        "active": contact.active,
        "language": contact.language,
        "tags": sorted(name.lower() for name in contact.tag_names),
    }
    wanted = dict(row.values)
    if "tags" in wanted:
        wanted["tags"] = [name.lower() for name in wanted["tags"]]
    if "new_organisation" in wanted:
        wanted["organisation"] = wanted["new_organisation"]  # a name: never an existing organisation's id
    row.changes = [FORMAT.labels[name] for name, value in current.items() if name in wanted and wanted[name] != value]
    row.action = Action.UPDATE if row.changes else Action.UNCHANGED


def apply_import(data, fingerprint, may_create_organisations=True):
    """Import every valid row of ``data``, and the organisations they create, in one transaction (``apply_confirmed``)."""
    return apply_confirmed(lambda: plan_import(data, may_create_organisations), fingerprint, write_plan)


def write_plan(plan):
    now = timezone.now()
    created = Organisation.objects.bulk_create(
        [Organisation(name=new.name, kind=new.kind, region=new.region) for new in plan.new_organisations]
    )
    organisation_ids = {organisation.name: organisation.pk for organisation in created}
    creates = [row for row in plan.rows if row.action == Action.CREATE]
    updates = [row for row in plan.rows if row.action == Action.UPDATE]
    for row in creates + updates:
        if "new_organisation" in row.values:
            row.values["organisation"] = organisation_ids[row.values.pop("new_organisation")]
    contacts = Contact.objects.bulk_create([new_contact(row) for row in creates], batch_size=LOOKUP_CHUNK)
    for row, contact in zip(creates, contacts, strict=True):
        row.values["id"] = contact.pk
    update_contacts(updates, now)
    write_tags([row for row in creates + updates if "tags" in row.values])
    return ContactResult(created=len(creates), updated=len(updates), organisations=len(created))


def new_contact(row):
    values = row.values
    return Contact(
        name=values["name"],
        email=values["email"],
        organisation_id=values.get("organisation"),
        role=values.get("role", ""),
        active=values.get("active", True),
        language=values.get("language", "nl"),
    )


def update_contacts(rows, now):
    """Write changed fields, grouped by the set of fields a row sets (one bulk update per group)."""
    groups = {}
    for row in rows:
        fields = tuple(sorted(name for name in ("name", "organisation", "role", "active", "language") if name in row.values))
        groups.setdefault(fields, []).append(row)
    for fields, group in groups.items():
        contacts = []
        for row in group:
            contact = Contact(pk=row.values["id"], updated_at=now)
            for name in fields:
                setattr(contact, "organisation_id" if name == "organisation" else name, row.values[name])
            contacts.append(contact)
        Contact.objects.bulk_update(contacts, [*fields, "updated_at"], batch_size=LOOKUP_CHUNK)


def write_tags(rows):
    """Give each row's contact exactly the tags of its cell."""
    if not rows:
        return
    names = {name for row in rows for name in row.values["tags"]}
    tags = {tag.name.lower(): tag for tag in Tag.objects.filter(name__in=names)}
    for name in sorted(names, key=str.lower):
        if name.lower() not in tags:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            tags[name.lower()] = tag
    ids = [row.values["id"] for row in rows]
    for start in range(0, len(ids), LOOKUP_CHUNK):
        ContactTag.objects.filter(content_object_id__in=ids[start : start + LOOKUP_CHUNK]).delete()
    ContactTag.objects.bulk_create(
        [ContactTag(content_object_id=row.values["id"], tag=tags[name.lower()]) for row in rows for name in row.values["tags"]],
        batch_size=LOOKUP_CHUNK,
    )
