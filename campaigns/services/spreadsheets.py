"""CSV and XLSX files that Dutch Excel and LibreOffice open as they should.

CSV: UTF-8 with a byte order mark (so accents survive) and semicolons (the
list separator of a Dutch Excel). Every cell is text; a cell that a
spreadsheet would run as a formula (starting with = + - @, tab or carriage
return, OWASP "CSV injection") gets a leading apostrophe.

XLSX: dates and times are real Excel dates in Dutch time (Excel knows no time
zones), numbers are numbers, and all other values are text cells, which a
spreadsheet never runs as a formula, whatever they start with.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"


def local(moment):
    """An aware datetime in the site's time zone, without its zone (as Excel wants it)."""
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def csv_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def safe_cell(value):
    text = csv_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for values in [header, *rows]:
        writer.writerow([safe_cell(value) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_title, header, rows):
    """One sheet, the header row frozen; dates, times and numbers typed, everything else text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for values in [header, *rows]:
        sheet.append([xlsx_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_cell(sheet, value):
    """A date, time or number cell for such a value; a text cell (never a formula) for anything else."""
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=local(value))
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        cell = WriteOnlyCell(sheet, value=csv_text(value))
        cell.data_type = TYPE_STRING  # openpyxl would store a leading "=" as a formula
    return cell


def typed_answer(value, field_type):
    """A stored form answer as its field's type (number, date, date and time); as stored when it does not parse."""
    if not isinstance(value, str):
        return value
    try:
        if field_type == "number":
            number = Decimal(value)
            return number if number.is_finite() else value
        if field_type == "date":
            return date.fromisoformat(value)
        if field_type == "datetime":
            return datetime.fromisoformat(value)
    except (ValueError, InvalidOperation):
        return value
    return value
