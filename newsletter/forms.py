"""The sign-up form (page and compact block share it) and the preference form.

The consent text shown travels with the form as its version, so the record
holds the text the visitor read even if an editor published a new one in
between. Error attributes follow ``cms.forms.CallResponseForm``: each field
points to its own error and help text.
"""

from django import forms
from django.core.validators import validate_email

from newsletter.models import ConsentRecord, ConsentText, Topic

EMAIL_INVALID = "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
EMAIL_NOT_ASCII = (
    "Dit e-mailadres heeft letters met accenten of andere bijzondere tekens vóór de @. Zulke adressen kunnen we "
    "niet betrouwbaar mailen; gebruik een ander adres."
)


class DescribedForm(forms.Form):
    """Ties help texts and errors to their widgets with ``aria-describedby`` and marks invalid fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-help"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            ids = attrs.get("aria-describedby", "").split()
            error_id = f"{self.add_prefix(name)}-error"
            if error_id not in ids:
                attrs["aria-describedby"] = " ".join([*ids, error_id])


class TopicChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, topic):
        return topic.name


def active_topics():
    return Topic.objects.filter(active=True)


class SignupForm(DescribedForm):
    email = forms.CharField(
        label="E-mailadres",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Vul uw e-mailadres in.", "max_length": "Dit e-mailadres is te lang (meer dan 254 tekens)."},
    )
    name = forms.CharField(
        label="Naam",
        required=False,
        max_length=200,
        help_text="Niet verplicht; dan spreken we u in de nieuwsbrief met uw naam aan.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    topics = TopicChoiceField(
        label="Onderwerpen",
        queryset=Topic.objects.none(),
        error_messages={
            "required": "Kies minstens één onderwerp.",
            "invalid_choice": "Dit onderwerp bestaat niet meer; kies opnieuw.",
            "invalid_pk_value": "Dit onderwerp bestaat niet meer; kies opnieuw.",
        },
    )
    consent = forms.BooleanField(
        label="Toestemming",
        error_messages={"required": "Vink aan dat u toestemming geeft; zonder toestemming kunnen we u niet mailen."},
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source = forms.ChoiceField(
        widget=forms.HiddenInput,
        required=False,
        choices=[(ConsentRecord.Source.SIGNUP_PAGE, ""), (ConsentRecord.Source.COMPACT_FORM, "")],
    )
    page_id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, consent_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = active_topics()
        self.consent_text = consent_text
        if consent_text is not None:
            self.fields["consent_version"].initial = consent_text.version

    def clean_email(self):
        address = self.cleaned_data["email"].strip()
        local, _, domain = address.rpartition("@")
        if local and domain and not local.isascii():
            raise forms.ValidationError(EMAIL_NOT_ASCII)
        try:
            validate_email(address)
        except forms.ValidationError:
            raise forms.ValidationError(EMAIL_INVALID) from None
        return address

    def clean_source(self):
        return self.cleaned_data.get("source") or ConsentRecord.Source.SIGNUP_PAGE

    def clean(self):
        cleaned = super().clean()
        # The version shown, if it still exists; otherwise the current text, which the form then shows.
        version = cleaned.get("consent_version")
        shown = ConsentText.objects.filter(version=version).first() if version else None
        cleaned["consent_text"] = shown or self.consent_text
        if cleaned["consent_text"] is None:
            raise forms.ValidationError("Aanmelden kan op dit moment niet. Probeer het later nog eens.")
        return cleaned


class PreferencesForm(DescribedForm):
    name = forms.CharField(
        label="Naam", required=False, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    topics = TopicChoiceField(
        label="Onderwerpen",
        queryset=Topic.objects.none(),
        required=False,
        help_text="Vinkt u alles uit, dan krijgt u geen nieuwsbrief meer.",
        error_messages={"invalid_choice": "Dit onderwerp bestaat niet meer; kies opnieuw."},
    )

    def __init__(self, *args, subscriber=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Active topics, plus an inactive one the subscriber still has, so it can be switched off.
        chosen = subscriber.topics.values_list("pk", flat=True) if subscriber else []
        queryset = Topic.objects.filter(active=True) | Topic.objects.filter(pk__in=list(chosen))
        self.fields["topics"].queryset = queryset.distinct()
