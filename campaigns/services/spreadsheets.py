"""CSV and XLSX files that Dutch Excel and LibreOffice open as they should.

CSV: UTF-8 with a byte order mark (so accents survive) and semicolons (the
list separator of a Dutch Excel). Every cell is text; a cell that a
spreadsheet would run as a formula (starting with = + - @, tab or carriage
return, OWASP "CSV injection") gets a leading apostrophe.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for values in [header, *rows]:
        writer.writerow([safe_cell(value) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_title, header, rows):
    """One sheet, the header row frozen, every cell stored as text (never run as a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for values in [header, *rows]:
        sheet.append([text_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def text_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = TYPE_STRING  # openpyxl would store a leading "=" as a formula
    return cell
