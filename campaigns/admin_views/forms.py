"""Forms of the campaign admin: the audience filter and the campaign itself, with Dutch validation."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.models import Tag

from campaigns.models import Campaign, Contact, ContactTag, Organisation
from campaigns.services.audience import summarise
from cms.models import CallForInputPage
from cms.templatetags.call_titles import call_topic

from .choosers import ContactChooserWidget

PLACEHOLDERS = ("naam", "organisatie", "link", "deadline")
PLACEHOLDER_PATTERN = re.compile(r"\{([^{}]*)\}")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
KNOWN_LIST = "{naam}, {organisatie}, {link} en {deadline}"
SEND_NOW = "now"
SEND_LATER = "later"

DEFAULT_INVITATION_BODY = """Beste {naam},

Wij horen graag hoe het er bij {organisatie} voor staat. Daarom vragen we u te reageren op "{titel}".

Via uw persoonlijke link opent u het formulier, waarin uw naam en organisatie al zijn ingevuld:
{link}

Reageren kan tot {deadline}. Tot dat moment kunt u uw antwoord via dezelfde link bekijken en aanpassen.

{vragen}Met vriendelijke groet,
{afzender}"""

DEFAULT_REMINDER_BODY = """Beste {naam},

Enige tijd geleden vroegen we u te reageren op "{titel}". We hebben uw reactie nog niet ontvangen.

Reageren kan nog tot {deadline}, via uw persoonlijke link:
{link}

Heeft u inmiddels gereageerd? Dan kunt u deze mail negeren.

{vragen}Met vriendelijke groet,
{afzender}"""


def offered_calls():
    """The calls a new campaign can be for: published and still open."""
    return CallForInputPage.objects.live().open().select_related("contact_person").order_by("title")


def literal(text):
    """Editor text in a mail template: braces would read as placeholders, so they become parentheses."""
    return text.replace("{", "(").replace("}", ")")


def call_texts(call_page):
    """What the prefilled mails say about ``call_page``: its title, who answers questions, who signs."""
    person = call_page.contact_person
    if person:
        role = f", {person.role}" if person.role else ""
        questions = f"Heeft u vragen? Neem dan contact op met {person.name}{role}, via {person.email}.\n\n"
        signature = f"{person.name}\nZorg en Welzijn"
    else:
        questions, signature = "", "Zorg en Welzijn"
    return {"{titel}": literal(call_page.title), "{vragen}": literal(questions), "{afzender}": literal(signature)}


def filled(template, texts):
    for key, value in texts.items():
        template = template.replace(key, value)
    return template


def initial_from_call(call_page):
    """Form values for a new campaign for ``call_page``: ready to send after choosing an audience.

    Title, contact person and signature are written out now; ``{deadline}`` and the
    other placeholders stay, so the mail shows the call's deadline as it is when sent.
    """
    texts = call_texts(call_page)
    return {
        "call_page": call_page.pk,
        # Shown as "Campagne ‘Uitnodiging …’" in messages: the name does not repeat "Campagne" or "Oproep".
        "name": f"Uitnodiging {call_topic(call_page.title)}"[:200],
        "invitation_subject": call_subject(call_page.title),
        "invitation_body": filled(DEFAULT_INVITATION_BODY, texts),
        "reminder_subject": f"Herinnering: {call_subject(call_page.title)}"[:200],
        "reminder_body": filled(DEFAULT_REMINDER_BODY, texts),
        "reminder_plan": "14, 3",
        "max_reminders": 2,
        "min_days_between": 3,
        "send_mode": SEND_NOW,
    }


def prefill_texts(calls):
    """Per call id, the texts the form's script fills in when the editor picks another call."""
    texts = ("name", "invitation_subject", "invitation_body", "reminder_subject", "reminder_body")
    prefills = {}
    for call_page in calls:
        initial = initial_from_call(call_page)
        prefills[str(call_page.pk)] = {name: initial[name] for name in texts}
    return prefills


def call_subject(title):
    """The call's title as a subject, with "Oproep:" before it unless the title starts so already."""
    subject = title if title.casefold().startswith("oproep") else f"Oproep: {title}"
    return subject[:200]


def refuse_control_characters(value):
    if CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError("Een regeleinde of ander stuurteken is hier niet toegestaan.")


def check_placeholders(value, require_link=False):
    """Only the four known placeholders; ``{link}`` must be there when the text is a mail body."""
    unknown = sorted({name for name in PLACEHOLDER_PATTERN.findall(value) if name not in PLACEHOLDERS})
    if unknown:
        listed = ", ".join("{" + name + "}" for name in unknown)
        raise ValidationError(f"Onbekende plaatshouder {listed}. Gebruik alleen {KNOWN_LIST}.")
    if "{" in PLACEHOLDER_PATTERN.sub("", value) or "}" in PLACEHOLDER_PATTERN.sub("", value):
        raise ValidationError(f"Gebruik accolades alleen voor de plaatshouders {KNOWN_LIST}.")
    if require_link and "{link}" not in value:
        raise ValidationError("Zet {link} in de tekst: zonder persoonlijke link kan niemand reageren.")


def parse_reminder_plan(value):
    """``"14, 3"`` -> ``[14, 3]``: whole numbers of days before the deadline, largest first."""
    parts = [part.strip() for part in re.split(r"[,;\s]+", value or "") if part.strip()]
    days = []
    for part in parts:
        if not part.isdigit() or int(part) < 1:
            raise ValidationError(f"‘{part}’ is geen geldig aantal dagen. Gebruik hele getallen groter dan 0, bijvoorbeeld: 14, 3.")
        days.append(int(part))
    if len(set(days)) != len(days):
        raise ValidationError("Elk aantal dagen mag maar één keer voorkomen.")
    return sorted(days, reverse=True)


class AudienceForm(forms.Form):
    """Who gets the mail: contacts matching every filter that is set, plus the chosen contacts."""

    organisation_kinds = forms.MultipleChoiceField(
        label="Soorten organisatie",
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    regions = forms.MultipleChoiceField(
        label="Provincies of regio's",
        choices=Organisation.Region.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    tags = forms.MultipleChoiceField(label="Labels", widget=forms.CheckboxSelectMultiple, required=False)
    chosen_contacts = forms.ModelMultipleChoiceField(
        label="Gekozen contacten",
        queryset=Contact.objects.all(),
        widget=ContactChooserWidget,
        required=False,
        help_text="Zij krijgen de mail ook als ze buiten de filters vallen. Zoek op naam of organisatie en kies ‘Toevoegen’.",
        error_messages={
            "invalid_choice": "Een gekozen contact bestaat niet meer. Laad de pagina opnieuw en kies opnieuw.",
            "invalid_pk_value": "Deze keuze van contacten klopt niet. Laad de pagina opnieuw en kies opnieuw.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = Tag.objects.filter(pk__in=ContactTag.objects.values("tag_id")).order_by("name")
        self.fields["tags"].choices = [(tag.name, tag.name) for tag in used]
        if not self.fields["tags"].choices:
            self.fields["tags"].help_text = "Er zijn nog geen contacten met labels."

    def audience_summary(self):
        """Who would get the mail with the filters as entered (``cleaned_data`` must exist)."""
        data = self.cleaned_data
        probe = Campaign(
            organisation_kinds=data.get("organisation_kinds") or [],
            regions=data.get("regions") or [],
            tags=data.get("tags") or [],
        )
        return summarise(probe, chosen_ids=[contact.pk for contact in data.get("chosen_contacts") or []])


class CampaignForm(AudienceForm, forms.ModelForm):
    call_page = forms.ModelChoiceField(
        label="Oproep",
        queryset=CallForInputPage.objects.none(),
        help_text="Alleen gepubliceerde oproepen die nog openstaan.",
        error_messages={
            "invalid_choice": "Deze oproep is gesloten of niet gepubliceerd. Kies een oproep die nog openstaat.",
            "required": "Kies de oproep waarvoor u uitnodigt.",
        },
    )
    send_mode = forms.ChoiceField(
        label="Wanneer versturen",
        choices=[(SEND_NOW, "Direct na het bevestigen"), (SEND_LATER, "Later, op het gekozen moment")],
        widget=forms.RadioSelect,
        initial=SEND_NOW,
    )
    send_at = forms.DateTimeField(
        label="Versturen op",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Alleen bij ‘later’. Moet vóór de sluitingsdatum van de oproep liggen.",
    )
    reminder_plan = forms.CharField(
        label="Herinneringen (dagen voor de sluitingsdatum)",
        required=False,
        help_text="Bijvoorbeeld: 14, 3. Leeg: geen herinneringen.",
    )

    class Meta:
        model = Campaign
        fields = [
            "call_page",
            "name",
            "organisation_kinds",
            "regions",
            "tags",
            "chosen_contacts",
            "sender_name",
            "reply_to",
            "invitation_subject",
            "invitation_body",
            "send_at",
            "max_reminders",
            "min_days_between",
            "reminder_subject",
            "reminder_body",
            "rate_per_minute",
        ]
        widgets = {
            "invitation_body": forms.Textarea(attrs={"rows": 14}),
            "reminder_body": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_to"].help_text = (
            "Wie op de mail antwoordt, schrijft naar dit adres. Leeg: het e-mailadres van de contactpersoon van de oproep."
        )
        self.fields["rate_per_minute"].widget.attrs["min"] = 1
        calls = offered_calls()
        if self.instance.call_page_id:
            # A draft keeps its call in the list, so a call closed since then gets its own message.
            calls = calls | CallForInputPage.objects.filter(pk=self.instance.call_page_id)
        self.fields["call_page"].queryset = calls
        if self.instance.pk:
            self.initial.setdefault("reminder_plan", ", ".join(str(day) for day in self.instance.reminder_days_before))
            self.initial.setdefault("send_mode", SEND_LATER if self.instance.send_at else SEND_NOW)

    def clean_name(self):
        refuse_control_characters(self.cleaned_data["name"])
        return self.cleaned_data["name"]

    def clean_sender_name(self):
        refuse_control_characters(self.cleaned_data["sender_name"])
        return self.cleaned_data["sender_name"]

    def clean_invitation_subject(self):
        value = self.cleaned_data["invitation_subject"]
        refuse_control_characters(value)
        check_placeholders(value)
        return value

    def clean_reminder_subject(self):
        value = self.cleaned_data["reminder_subject"]
        refuse_control_characters(value)
        check_placeholders(value)
        return value

    def clean_invitation_body(self):
        check_placeholders(self.cleaned_data["invitation_body"], require_link=True)
        return self.cleaned_data["invitation_body"]

    def clean_reminder_body(self):
        value = self.cleaned_data["reminder_body"]
        if value:
            check_placeholders(value, require_link=True)
        return value

    def clean_reminder_plan(self):
        return parse_reminder_plan(self.cleaned_data["reminder_plan"])

    def clean_rate_per_minute(self):
        rate = self.cleaned_data["rate_per_minute"]
        if rate is not None and rate < 1:
            raise ValidationError("Kies minstens 1 mail per minuut, of laat het veld leeg.")
        return rate

    def clean(self):
        cleaned = super().clean()
        call_page = cleaned.get("call_page")
        deadline = call_page.deadline if call_page else None
        if cleaned.get("send_mode") == SEND_LATER:
            send_at = cleaned.get("send_at")
            if send_at is None:
                if "send_at" not in self.errors:
                    self.add_error("send_at", "Kies het moment van versturen, of kies ‘direct’.")
            elif send_at <= timezone.now():
                self.add_error("send_at", "Dit moment ligt in het verleden. Kies een moment in de toekomst.")
            elif deadline and send_at >= deadline:
                self.add_error("send_at", "Dit moment ligt na de sluitingsdatum van de oproep. Kies een eerder moment.")
        else:
            cleaned["send_at"] = None
        if call_page and not call_page.is_open:
            self.add_error("call_page", "Deze oproep is gesloten. Kies een oproep die nog openstaat.")
        elif call_page and not call_page.live:
            self.add_error("call_page", "Deze oproep is niet gepubliceerd. Publiceer hem eerst, of kies een andere oproep.")
        if cleaned.get("reminder_plan") and cleaned.get("max_reminders"):
            for field in ("reminder_subject", "reminder_body"):
                if field in cleaned and not cleaned[field]:
                    self.add_error(field, "Vul dit in: het herinneringsplan verstuurt herinneringen.")
        return cleaned

    def save(self, commit=True):
        self.instance.reminder_days_before = self.cleaned_data["reminder_plan"]
        return super().save(commit)
