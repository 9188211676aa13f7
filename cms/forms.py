"""The public response form of a call: editor-defined fields plus two of ours.

* ``publication_consent``: may we publish the answer as a "goed voorbeeld"?
* ``website``: a honeypot, hidden from people (CSS and ``aria-hidden``) but
  filled in by naive bots. A filled-in honeypot is a validation error, so a
  person whose browser filled it anyway sees why and loses nothing.
"""

import re

from django import forms
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

HONEYPOT_FIELD = "website"
CONSENT_FIELD = "publication_consent"
CONSENT_LABEL = "Mijn reactie mag als goed voorbeeld op de website worden gepubliceerd"

# Label words -> HTML autocomplete token, so phones and password managers can fill personal fields.
AUTOCOMPLETE_HINTS = [
    (re.compile(r"e-?mail", re.I), "email"),
    (re.compile(r"telefoon|mobiel", re.I), "tel"),
    (re.compile(r"organisatie|netwerk|gemeente", re.I), "organization"),
    (re.compile(r"functie|rol\b", re.I), "organization-title"),
    (re.compile(r"\bnaam\b", re.I), "name"),
]


class CallResponseForm(BaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == HONEYPOT_FIELD:
                continue
            attrs = field.widget.attrs
            described_by = []
            if field.help_text:
                described_by.append(f"{name}-help")
            if described_by:
                attrs["aria-describedby"] = " ".join(described_by)
            if isinstance(field.widget, (forms.TextInput, forms.EmailInput)) and "autocomplete" not in attrs:
                for pattern, token in AUTOCOMPLETE_HINTS:
                    if pattern.search(str(field.label)):
                        attrs["autocomplete"] = token
                        break

    def full_clean(self):
        super().full_clean()
        # Error attributes depend on the outcome of validation.
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            if name == HONEYPOT_FIELD:
                # Now shown to the person, so it must be reachable by keyboard too.
                attrs.pop("tabindex", None)
            attrs["aria-invalid"] = "true"
            ids = attrs.get("aria-describedby", "").split()
            if f"{name}-error" not in ids:
                attrs["aria-describedby"] = " ".join([*ids, f"{name}-error"])

    def clean_website(self):
        value = self.cleaned_data.get(HONEYPOT_FIELD, "")
        if value:
            raise forms.ValidationError("Laat dit veld leeg; het is bedoeld om spam te herkennen.")
        return value

    def answers(self):
        """The editor-defined answers, without our own two fields."""
        return {k: v for k, v in self.cleaned_data.items() if k not in {HONEYPOT_FIELD, CONSENT_FIELD}}


class CallFormBuilder(FormBuilder):
    @property
    def formfields(self):
        fields = super().formfields
        fields[CONSENT_FIELD] = forms.BooleanField(
            label=CONSENT_LABEL,
            help_text="We nemen altijd eerst contact met u op voordat we iets publiceren.",
            required=False,
        )
        fields[HONEYPOT_FIELD] = forms.CharField(
            label="Laat dit veld leeg",
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        return fields

    def create_dropdown_field(self, field, options):
        """A dropdown starts at "Maak een keuze", so nobody gives its first option by accident."""
        choice_field = super().create_dropdown_field(field, options)
        choice_field.choices = [("", "Maak een keuze"), *choice_field.choices]
        return choice_field

    def get_form_class(self):
        return type("CallResponseForm", (CallResponseForm,), self.formfields)
