"""Export contacts as CSV or XLSX, with the same column names the import reads.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or
carriage return) get a leading apostrophe, so an exported name can never
execute in Excel or LibreOffice.
"""

import csv
import io

from openpyxl import Workbook

HEADERS = ("naam", "e-mail", "organisatie", "soort organisatie", "regio", "functie", "actief", "labels", "taal")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def contact_rows(contacts):
    """One list of display values per contact, in ``HEADERS`` order, safe for spreadsheets."""
    contacts = contacts.select_related("organisation").prefetch_related("tags")
    for contact in contacts:
        organisation = contact.organisation
        row = (
            contact.name,
            contact.email or "",
            organisation.name if organisation else "",
            organisation.get_kind_display() if organisation else "",
            organisation.get_region_display() if organisation else "",
            contact.role,
            "ja" if contact.active else "nee",
            ", ".join(sorted((tag.name for tag in contact.tags.all()), key=str.lower)),
            contact.language,
        )
        yield [safe_cell(value) for value in row]


def contacts_csv(contacts):
    """CSV bytes: UTF-8 with BOM and semicolons, which Dutch Excel opens as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(contact_rows(contacts))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def contacts_xlsx(contacts):
    """XLSX bytes with one sheet "Contacten"; every cell is text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacten")
    sheet.append(HEADERS)
    for row in contact_rows(contacts):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
