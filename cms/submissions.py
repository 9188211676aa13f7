"""The admin's list and CSV/XLSX export of a call's answers (Wagtail's own view), safe to open in a spreadsheet."""

from wagtail.contrib.forms.views import SubmissionsListView

from campaigns.services.spreadsheets import safe_cell


class CallSubmissionsListView(SubmissionsListView):
    """Wagtail's submissions view; in its export nothing a visitor or editor typed runs as a formula.

    CSV cells starting with = + - @, tab or carriage return get the project's
    leading apostrophe (``safe_cell``), so do headings (editors' field labels)
    in both formats. Wagtail already stores XLSX answers as text cells.
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return safe_cell(value)
        return value

    def get_heading(self, queryset, field):
        return safe_cell(super().get_heading(queryset, field))
