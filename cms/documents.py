"""The admin's document upload form: no markup disguised as a document (``WAGTAILDOCS_DOCUMENT_FORM_BASE``)."""

import re

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

# What a browser would render as a web page or image with script: HTML, SVG, XML.
MARKUP_START = re.compile(rb"<(?:!doctype|html|head|body|script|svg|iframe|\?xml|!--)", re.IGNORECASE)
SNIFFED_BYTES = 1024


def looks_like_markup(file):
    """Whether the file starts, after a byte order mark and white space, as HTML, SVG or XML does."""
    position = file.tell()
    file.seek(0)
    head = file.read(SNIFFED_BYTES)
    file.seek(position)
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return bool(MARKUP_START.match(head))


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and "file" in self.changed_data and looks_like_markup(file):
            raise ValidationError(
                "Dit bestand bevat HTML, SVG of XML, hoe het ook heet. Zulke bestanden nemen we niet aan: "
                "sla het op als PDF of als Word-, Excel- of tekstbestand en upload het opnieuw.",
                code="markup",
            )
        return file
