"""What the CSV imports (contacts, organisations) share: reading the file, the plan per row, applying it as confirmed.

``read_csv`` turns uploaded bytes into rows (UTF-8 or Windows-1252, ``;`` ``,``
or tab, Dutch or English headers, as a ``CsvFormat`` spells them). An import
plans per row what would happen without writing anything; ``apply_confirmed``
re-plans inside one transaction and writes only if the plan still has the
fingerprint the user confirmed, so the import is exactly what was previewed.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

MAX_FILE_BYTES = 5 * 1024 * 1024


class ImportFileError(Exception):
    """The file cannot be read as this kind of list; the message is for the user (Dutch)."""


class ImportChangedError(Exception):
    """The file or the stored data changed since the preview; nothing was imported."""


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


@dataclass(frozen=True)
class CsvFormat:
    columns: dict  # field -> accepted header spellings (compared after ``header_key``)
    labels: dict  # field -> Dutch column name, in the order the upload hint names them
    required: tuple


@dataclass
class CsvRows:
    columns: dict  # field -> column index
    ignored_headers: list
    rows: list  # (line number, list of cells)
    encoding: str
    delimiter: str

    def cells(self, cells):
        """``{field: cell}`` of one row, with whitespace runs (line breaks too) made single spaces."""
        return {name: " ".join(cells[index].split()) if index < len(cells) else "" for name, index in self.columns.items()}

    def cell(self, cells, name):
        """One cell as it stands in the file."""
        index = self.columns[name]
        return cells[index] if index < len(cells) else ""


@dataclass
class RowPlan:
    line: int
    action: str = Action.CREATE
    reasons: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # Dutch labels of the fields an update changes
    values: dict = field(default_factory=dict)  # field -> cleaned value, only the fields this row sets

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]

    def refuse(self, reason):
        self.action = Action.REFUSE
        self.values = {}
        self.reasons.append(reason)


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

    def fingerprint_extra(self):
        """What else applying the plan writes, besides its rows."""
        return None

    @property
    def fingerprint(self):
        """Identifies what applying this plan would write; the preview and the confirm must agree on it."""
        payload = [[(row.line, row.action, sorted(row.values.items())) for row in self.rows], self.fingerprint_extra()]
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


def read_csv(data, spec):
    """Rows of a CSV file in format ``spec``; raises ``ImportFileError`` with a Dutch message for an unusable file."""
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
    delimiter = sniff_delimiter(text.lstrip("\r\n").splitlines()[0])
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportFileError(f"Het bestand is geen geldig CSV-bestand ({error}).") from error
    lines = [(number, cells) for number, cells in enumerate(lines, start=1) if any(cell.strip() for cell in cells)]
    header_line, headers = lines[0]
    columns, ignored = read_headers(headers, spec)
    missing = [spec.labels[name] for name in spec.required if name not in columns]
    if missing:
        found = ", ".join(f"'{header.strip()}'" for header in headers if header.strip()) or "geen"
        optional = ", ".join(label for name, label in spec.labels.items() if name not in spec.required)
        raise ImportFileError(
            f"{'Verplichte kolommen ontbreken' if len(missing) > 1 else 'Verplichte kolom ontbreekt'}: {', '.join(missing)}. "
            f"Gevonden kolommen: {found}. De eerste regel moet de kolomnamen bevatten "
            f"({', '.join(spec.labels[name] for name in spec.required)}, en eventueel {optional})."
        )
    return CsvRows(
        columns=columns,
        ignored_headers=ignored,
        rows=[(number, cells) for number, cells in lines if number != header_line],
        encoding=encoding,
        delimiter={";": "puntkomma", ",": "komma", "\t": "tab"}[delimiter],
    )


def read_headers(headers, spec):
    """``({field: column index}, [ignored headers])``; two columns for one field make the file unusable."""
    columns, found, ignored = {}, {}, []
    spellings = {spelling: name for name, options in spec.columns.items() for spelling in options}
    for index, header in enumerate(headers):
        name = spellings.get(header_key(header))
        if name is None:
            if header.strip():
                ignored.append(header.strip())
        elif name in columns:
            first = found[name]
            raise ImportFileError(
                f"De kolom '{spec.labels[name]}' staat twee keer in het bestand"
                + (f" ('{first}' en '{header.strip()}' betekenen hetzelfde)." if header_key(first) != header_key(header) else ".")
            )
        else:
            columns[name], found[name] = index, header.strip()
    return columns, ignored


def refuse_repeats(rows, key, what):
    """A key (address, name) that appears more than once: the first row counts, later rows are refused."""
    first_line = {}
    for row in rows:
        value = key(row)
        if not value:
            continue
        if value in first_line:
            row.refuse(f"dubbel in het bestand: {what} staat al in rij {first_line[value]}")
        else:
            first_line[value] = row.line


def choice_key(text):
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


def choice_lookup(choices):
    """``{spelling: value}`` for a model's ``TextChoices``: its values and labels, in any case, hyphens or spaces."""
    return {choice_key(spelling): choice.value for choice in choices for spelling in (choice.value, choice.label)}


def apply_confirmed(make_plan, fingerprint, write):
    """``write(make_plan())`` in one transaction, if the plan still matches ``fingerprint``.

    Raises ``ImportChangedError`` (nothing written) when the file or the stored
    data changed since the preview, or when the database refuses a row at write time.
    """
    try:
        with transaction.atomic():
            plan = make_plan()
            if plan.fingerprint != fingerprint:
                raise ImportChangedError(
                    "De gegevens zijn sinds de voorvertoning gewijzigd. Er is niets geïmporteerd; "
                    "bekijk de nieuwe voorvertoning en bevestig opnieuw."
                )
            return write(plan)
    except IntegrityError as error:
        raise ImportChangedError(
            "De import is afgebroken omdat de database een rij weigerde (waarschijnlijk is tegelijk een contact met "
            "hetzelfde e-mailadres of een organisatie met dezelfde naam aangemaakt). Er is niets geïmporteerd; "
            "probeer het opnieuw."
        ) from error
