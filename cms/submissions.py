"""The admin's list and CSV/XLSX export of a call's answers (Wagtail's own view), safe to open in a spreadsheet."""

from django.utils.functional import cached_property
from wagtail.contrib.forms.views import SubmissionsListView

from campaigns.services.spreadsheets import safe_cell, typed_answer, xlsx_cell
from cms.services.notifications import readable_answer


class CallSubmissionsListView(SubmissionsListView):
    """Wagtail's submissions view; in its export nothing a visitor or editor typed runs as a formula.

    CSV cells starting with = + - @, tab or carriage return get the project's
    leading apostrophe (``safe_cell``), so do headings (editors' field labels)
    in both formats. XLSX cells are typed as in the project's own exports
    (``xlsx_cell``): the submission time and date answers as Excel dates in
    Dutch time, number answers as numbers, everything else as text.
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return safe_cell(value)
        return value

    def get_heading(self, queryset, field):
        return safe_cell(super().get_heading(queryset, field))

    @cached_property
    def field_types(self):
        return dict(self.form_page.get_form_fields().values_list("clean_name", "field_type"))

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for field, value in row_dict.items():
            if isinstance(value, (bool, list)):
                value = readable_answer(value)
            yield xlsx_cell(worksheet, typed_answer(value, self.field_types.get(field)))
