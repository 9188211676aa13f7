"""Import organisations from a CSV file: name, kind and region, matched to existing organisations by name.

The kind and region cells mean the same here as in the contact import, which
creates the organisations its rows name (``clean_organisation_cells`` and
``KIND_REQUIRED`` serve both). A new organisation needs its kind: the kind
decides which campaigns reach its people, and the model's default ("Anders")
would quietly leave them out of every audience chosen by kind. The region may
stay empty (the model allows it). An empty cell leaves an existing value alone.
"""

from dataclasses import dataclass

from campaigns.models import Organisation

from .csv_import import (
    Action,
    CsvFormat,
    ImportPlan,
    ImportResult,
    RowPlan,
    apply_confirmed,
    choice_key,
    choice_lookup,
    read_csv,
    refuse_repeats,
)

NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length
KIND_SPELLINGS = ("soort", "soort organisatie", "organisatiesoort", "type organisatie", "kind", "organisation kind")
REGION_SPELLINGS = ("regio", "region", "provincie", "provincie of regio", "province")
KINDS = choice_lookup(Organisation.Kind)
REGIONS = choice_lookup(Organisation.Region)
KIND_REQUIRED = "om die aan te maken is de soort organisatie nodig (kolom 'soort', bijvoorbeeld Gemeente)"

FORMAT = CsvFormat(
    columns={
        "name": ("naam", "name", "organisatie", "organisation", "organization", "naam organisatie", "organisatienaam"),
        "kind": KIND_SPELLINGS,
        "region": REGION_SPELLINGS,
    },
    labels={"name": "naam", "kind": "soort", "region": "regio"},
    required=("name",),
)


@dataclass
class OrganisationRow(RowPlan):
    name: str = ""
    kind: str = ""  # label of the kind the organisation will have
    region: str = ""  # label of its region

    @property
    def cells(self):
        return (self.name, self.kind, self.region)


def read_file(data):
    return read_csv(data, FORMAT)


def clean_organisation_cells(kind, region):
    """``({"kind": …, "region": …} for the cells that are filled in, [Dutch reasons])``."""
    values, reasons = {}, []
    if kind:
        if choice_key(kind) in KINDS:
            values["kind"] = KINDS[choice_key(kind)]
        else:
            reasons.append(f"onbekende soort '{kind}' (kies uit: {', '.join(Organisation.Kind.labels)})")
    if region:
        if choice_key(region) in REGIONS:
            values["region"] = REGIONS[choice_key(region)]
        else:
            reasons.append(f"onbekende regio '{region}' (een provincie of Landelijk)")
    return values, reasons


def plan_import(data):
    """What importing ``data`` (CSV bytes) would do, row by row; writes nothing."""
    parsed = read_file(data)
    existing = {organisation.name.casefold(): organisation for organisation in Organisation.objects.all()}
    rows = [clean_row(line, parsed.cells(cells)) for line, cells in parsed.rows]
    refuse_repeats(rows, lambda row: row.name.casefold(), "dezelfde organisatie")
    for row in rows:
        if row.action != Action.REFUSE:
            compare_with_existing(row, existing.get(row.name.casefold()))
    return ImportPlan(
        rows=rows, ignored_headers=parsed.ignored_headers, encoding=parsed.encoding, delimiter=parsed.delimiter
    )


def clean_row(line, raw):
    row = OrganisationRow(line=line, name=raw["name"])
    values, reasons = clean_organisation_cells(raw.get("kind", ""), raw.get("region", ""))
    if not row.name:
        reasons.insert(0, "naam ontbreekt")
    elif len(row.name) > NAME_MAX_LENGTH:
        reasons.insert(0, f"naam is langer dan {NAME_MAX_LENGTH} tekens")
    for reason in reasons:
        row.refuse(reason)
    if not reasons:
        row.values = values
    return row


def compare_with_existing(row, organisation):
    if organisation is None:
        if "kind" not in row.values:
            row.refuse(f"nieuwe organisatie: {KIND_REQUIRED}")
            return
        row.values["name"] = row.name
        row.values.setdefault("region", "")
    else:
        row.name = organisation.name
        row.values["id"] = organisation.pk
        current = {"kind": organisation.kind, "region": organisation.region}
        row.changes = [FORMAT.labels[name] for name, value in current.items() if row.values.get(name, value) != value]
        row.values = {**current, **row.values}
        row.action = Action.UPDATE if row.changes else Action.UNCHANGED
    row.kind = Organisation.Kind(row.values["kind"]).label
    row.region = Organisation.Region(row.values["region"]).label if row.values["region"] else ""


def apply_import(data, fingerprint):
    """Import every valid row of ``data`` in one transaction, if the plan still matches ``fingerprint``."""
    return apply_confirmed(lambda: plan_import(data), fingerprint, write_plan)


def write_plan(plan):
    creates = [row.values for row in plan.rows if row.action == Action.CREATE]
    updates = [row.values for row in plan.rows if row.action == Action.UPDATE]
    Organisation.objects.bulk_create([Organisation(name=v["name"], kind=v["kind"], region=v["region"]) for v in creates])
    Organisation.objects.bulk_update(
        [Organisation(pk=v["id"], kind=v["kind"], region=v["region"]) for v in updates], ["kind", "region"]
    )
    return ImportResult(created=len(creates), updated=len(updates))
