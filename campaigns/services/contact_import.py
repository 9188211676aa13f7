"""Import contacts from a CSV file: read it, plan per row, then apply the plan in one transaction.

``read_csv`` turns uploaded bytes into rows (any common encoding and delimiter,
Dutch or English headers). ``plan_import`` decides per row what would happen
(create, update, unchanged, refuse and why) without writing anything.
``apply_import`` re-plans and writes, but only if the plan still has the
fingerprint the user confirmed: the import is exactly what was previewed.

Rows are matched to existing contacts by e-mail address. An empty cell leaves
the existing value alone; a column that is missing leaves that field alone.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from taggit.models import Tag

from campaigns.models import Contact, ContactTag, Organisation, normalise_email

MAX_FILE_BYTES = 5 * 1024 * 1024
LOOKUP_CHUNK = 1000

# Field -> accepted header spellings (compared after ``header_key``).
COLUMNS = {
    "name": ("naam", "name", "volledige naam", "full name"),
    "email": ("e-mail", "email", "e-mailadres", "emailadres", "e-mail adres", "email address", "e-mail address"),
    "organisation": ("organisatie", "organisation", "organization"),
    "role": ("functie", "role", "rol"),
    "active": ("actief", "active"),
    "tags": ("labels", "tags", "label", "tag"),
    "language": ("taal", "language", "voorkeurstaal"),
}
REQUIRED_COLUMNS = ("name", "email")
COLUMN_LABELS = {
    "name": "naam",
    "email": "e-mail",
    "organisation": "organisatie",
    "role": "functie",
    "active": "actief",
    "tags": "labels",
    "language": "taal",
}
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "actief", "active"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", "inactief", "inactive"}
LANGUAGES = {"nl": "nl", "nederlands": "nl", "dutch": "nl", "en": "en", "engels": "en", "english": "en"}
MAX_LENGTH = {"name": 200, "role": 200}
TAG_SEPARATORS = (";", "|")


class ImportFileError(Exception):
    """The file cannot be read as a contact list; the message is for the user (Dutch)."""


class ImportChangedError(Exception):
    """The file or the contacts changed since the preview; nothing was imported."""


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSE = "refuse"


ACTION_LABELS = {
    Action.CREATE: "Wordt aangemaakt",
    Action.UPDATE: "Wordt bijgewerkt",
    Action.UNCHANGED: "Ongewijzigd",
    Action.REFUSE: "Geweigerd",
}


@dataclass
class CsvRows:
    columns: dict  # field -> column index
    ignored_headers: list
    rows: list  # (line number, list of cells)
    encoding: str
    delimiter: str


@dataclass
class RowPlan:
    line: int
    action: str
    name: str = ""
    email: str = ""
    organisation: str = ""
    reasons: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # Dutch labels of the fields an update changes
    values: dict = field(default_factory=dict)  # field -> cleaned value, only the fields this row sets

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]


@dataclass
class ImportPlan:
    rows: list
    ignored_headers: list
    encoding: str
    delimiter: str

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in ACTION_LABELS}

    @property
    def writes(self):
        return [row for row in self.rows if row.action in (Action.CREATE, Action.UPDATE)]

    def new_tags(self):
        """Labels the import would create: shown in the preview, so that a typo is seen before it is saved."""
        names = {name.lower(): name for row in self.writes for name in row.values.get("tags", [])}
        existing = set(
            Tag.objects.annotate(lower=Lower("name")).filter(lower__in=list(names)).values_list("lower", flat=True)
        )
        return sorted((name for key, name in names.items() if key not in existing), key=str.lower)

    @property
    def fingerprint(self):
        """Identifies what applying this plan would write; the preview and the confirm must agree on it."""
        payload = [(row.line, row.action, row.email, sorted(row.values.items())) for row in self.rows]
        return hashlib.sha256(json.dumps(payload, default=str).encode()).hexdigest()


@dataclass
class ImportResult:
    created: int
    updated: int


def decode(data):
    """Text of an uploaded file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def header_key(header):
    return " ".join(header.replace("\ufeff", "").replace("_", " ").strip().lower().split())


def sniff_delimiter(first_line):
    """The delimiter of the header line: the most frequent of ; , and tab (headers never contain one)."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(data):
    """Rows of a contact CSV file; raises ``ImportFileError`` with a Dutch message for an unusable file."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"Het bestand is te groot ({len(data) / 1024 / 1024:.1f} MB); het maximum is {MAX_FILE_BYTES // 1024 // 1024} MB."
        )
    text, encoding = decode(data)
    if "\x00" in text:
        raise ImportFileError("Dit is geen CSV-bestand. Sla het bestand in uw spreadsheet op als CSV en probeer het opnieuw.")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFileError("Het bestand is leeg.")
    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = sniff_delimiter(first_line)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        lines = list(reader)
    except csv.Error as error:
        raise ImportFileError(f"Het bestand is geen geldig CSV-bestand ({error}).") from error
    lines = [(number, cells) for number, cells in enumerate(lines, start=1) if any(cell.strip() for cell in cells)]
    header_line, headers = lines[0]
    columns, ignored = {}, []
    spellings = {spelling: name for name, options in COLUMNS.items() for spelling in options}
    for index, header in enumerate(headers):
        name = spellings.get(header_key(header))
        if name is None:
            if header.strip():
                ignored.append(header.strip())
        elif name in columns:
            raise ImportFileError(f"De kolom '{COLUMN_LABELS[name]}' staat twee keer in het bestand.")
        else:
            columns[name] = index
    missing = [COLUMN_LABELS[name] for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        found = ", ".join(f"'{header.strip()}'" for header in headers if header.strip()) or "geen"
        raise ImportFileError(
            f"{'Verplichte kolommen ontbreken' if len(missing) > 1 else 'Verplichte kolom ontbreekt'}: {', '.join(missing)}. "
            f"Gevonden kolommen: {found}. De eerste regel moet de kolomnamen bevatten "
            "(naam, e-mail, en eventueel organisatie, functie, actief, labels, taal)."
        )
    return CsvRows(
        columns=columns,
        ignored_headers=ignored,
        rows=[(number, cells) for number, cells in lines if number != header_line],
        encoding=encoding,
        delimiter={";": "puntkomma", ",": "komma", "\t": "tab"}[delimiter],
    )


def plan_import(data):
    """What importing ``data`` (CSV bytes) would do, row by row; writes nothing."""
    parsed = read_csv(data)
    organisations = {organisation.name.casefold(): organisation for organisation in Organisation.objects.all()}
    rows = [clean_row(line, cells, parsed.columns, organisations) for line, cells in parsed.rows]
    refuse_duplicates(rows)
    existing = existing_contacts([row.email for row in rows if row.action != Action.REFUSE])
    for row in rows:
        if row.action != Action.REFUSE:
            compare_with_existing(row, existing.get(row.email))
    return ImportPlan(rows=rows, ignored_headers=parsed.ignored_headers, encoding=parsed.encoding, delimiter=parsed.delimiter)


def clean_row(line, cells, columns, organisations):
    raw = {name: " ".join(cells[index].split()) if index < len(cells) else "" for name, index in columns.items()}
    row = RowPlan(line=line, action=Action.CREATE, name=raw.get("name", ""), email=raw.get("email", ""))
    row.organisation = raw.get("organisation", "")
    reasons = row.reasons
    original_name = cells[columns["name"]] if columns["name"] < len(cells) else ""
    if not row.name:
        reasons.append("naam ontbreekt")
    elif any(char in original_name for char in "\r\n\x00"):
        reasons.append("naam bevat een regeleinde of ongeldig teken")
    elif len(row.name) > MAX_LENGTH["name"]:
        reasons.append(f"naam is langer dan {MAX_LENGTH['name']} tekens")
    else:
        row.values["name"] = row.name
    email = normalise_email(row.email)
    row.email = email
    if not email:
        reasons.append("e-mailadres ontbreekt")
    else:
        try:
            validate_email(email)
            row.values["email"] = email
        except ValidationError:
            reasons.append(f"ongeldig e-mailadres '{email}'")
    if row.organisation:
        organisation = organisations.get(row.organisation.casefold())
        if organisation is None:
            reasons.append(f"onbekende organisatie '{row.organisation}'")
        else:
            row.organisation = organisation.name
            row.values["organisation"] = organisation.pk
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


def split_tags(cell):
    for separator in TAG_SEPARATORS:
        cell = cell.replace(separator, ",")
    tags = []
    for tag in (part.strip() for part in cell.split(",")):
        if tag and tag.lower() not in (known.lower() for known in tags):
            tags.append(tag[:100])
    return sorted(tags, key=str.lower)


def refuse_duplicates(rows):
    """An address that appears more than once: the first row counts, later rows are refused."""
    first_line = {}
    for row in rows:
        if not row.email:
            continue
        if row.email in first_line:
            row.action = Action.REFUSE
            row.values = {}
            row.reasons.append(f"dubbel in het bestand: hetzelfde e-mailadres staat al in rij {first_line[row.email]}")
        else:
            first_line[row.email] = row.line


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
    wanted = {**row.values, "tags": [name.lower() for name in row.values.get("tags", [])]}
    row.changes = [COLUMN_LABELS[name] for name, value in current.items() if name in row.values and wanted[name] != value]
    row.action = Action.UPDATE if row.changes else Action.UNCHANGED


def apply_import(data, fingerprint):
    """Import every valid row of ``data`` in one transaction, if the plan still matches ``fingerprint``.

    Raises ``ImportChangedError`` (nothing written) when the file or the contacts
    changed since the preview, or when the database refuses a row at write time.
    """
    try:
        with transaction.atomic():
            plan = plan_import(data)
            if plan.fingerprint != fingerprint:
                raise ImportChangedError(
                    "De contacten zijn sinds de voorvertoning gewijzigd. Er is niets geïmporteerd; "
                    "bekijk de nieuwe voorvertoning en bevestig opnieuw."
                )
            return write_plan(plan)
    except IntegrityError as error:
        raise ImportChangedError(
            "De import is afgebroken omdat de database een rij weigerde (waarschijnlijk is tegelijk een contact "
            "met hetzelfde e-mailadres aangemaakt). Er is niets geïmporteerd; probeer het opnieuw."
        ) from error


def write_plan(plan):
    now = timezone.now()
    creates = [row for row in plan.rows if row.action == Action.CREATE]
    updates = [row for row in plan.rows if row.action == Action.UPDATE]
    contacts = Contact.objects.bulk_create([new_contact(row) for row in creates], batch_size=LOOKUP_CHUNK)
    for row, contact in zip(creates, contacts, strict=True):
        row.values["id"] = contact.pk
    update_contacts(updates, now)
    write_tags([row for row in creates + updates if "tags" in row.values])
    return ImportResult(created=len(creates), updated=len(updates))


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
