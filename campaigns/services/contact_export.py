"""Export contacts as CSV or XLSX, with the same column names the import reads."""

from .spreadsheets import csv_bytes, xlsx_bytes

HEADERS = ("naam", "e-mail", "organisatie", "soort organisatie", "regio", "functie", "actief", "labels", "taal")


def contact_rows(contacts):
    """One list of display values per contact, in ``HEADERS`` order."""
    contacts = contacts.select_related("organisation").prefetch_related("tags")
    for contact in contacts:
        organisation = contact.organisation
        yield [
            contact.name,
            contact.email or "",
            organisation.name if organisation else "",
            organisation.get_kind_display() if organisation else "",
            organisation.get_region_display() if organisation else "",
            contact.role,
            "ja" if contact.active else "nee",
            ", ".join(sorted((tag.name for tag in contact.tags.all()), key=str.lower)),
            contact.language,
        ]


def contacts_csv(contacts):
    return csv_bytes(HEADERS, contact_rows(contacts))


def contacts_xlsx(contacts):
    return xlsx_bytes("Contacten", HEADERS, contact_rows(contacts))
