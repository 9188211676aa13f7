"""A draft "goed voorbeeld" page, prefilled from an answer whose author consented to publication."""

from django.utils import dateformat, timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import escape, linebreaks
from django.utils.text import Truncator, slugify
from wagtail.log_actions import log
from wagtail.rich_text import RichText

from campaigns.models import Organisation
from cms.forms import AUTOCOMPLETE_HINTS
from cms.models import ExampleIndexPage, ExamplePage

TITLE_WORDS = 8
# Answers that say who someone is stay out of a page meant for the public; the organisation
# has a field of its own on the page.
LEFT_OUT_TOKENS = {"name", "email", "tel", "organization-title", "organization"}
# Only short text answers say who someone is; a question like "Wat doet uw gemeente al?" is content.
PERSONAL_FIELD_TYPES = {"singleline", "email"}


class ExampleRefused(Exception):
    """The example cannot be made; the message is Dutch, for the editor."""


def create_example_draft(response, user):
    """Make a draft ExamplePage under the examples index from ``response``: ``(page, created)``.

    Refuses without the author's consent. A response that already has an
    example page gets that page back instead of a second one.
    """
    if not response.publication_consent:
        raise ExampleRefused("De indiener heeft geen toestemming gegeven om deze reactie te publiceren.")
    existing = ExamplePage.objects.filter(source_response=response).first()
    if existing:
        return existing, False
    index = ExampleIndexPage.objects.first()
    if index is None:
        raise ExampleRefused("Maak eerst een pagina ‘Goede voorbeelden’ aan onder de startpagina.")
    if not index.permissions_for_user(user).can_add_subpage():
        raise ExampleRefused("U mag geen pagina’s toevoegen onder ‘Goede voorbeelden’.")

    call = response.page.specific
    recipient = getattr(response, "recipient", None)
    fields = list(call.form_fields.order_by("sort_order"))
    answers = response.form_data
    organisation = (recipient.organisation_name if recipient else "") or answer_for(fields, answers, "organization")
    title = example_title(fields, answers, organisation, call)
    page = ExamplePage(
        title=title,
        slug=free_slug(index, title),
        intro=f"Een voorbeeld uit de reacties op ‘{call.title}’.",
        organisation_name=organisation,
        region=dict(Organisation.Region.choices).get(recipient.region, "") if recipient else "",
        source_response=response,
        body=example_body(fields, answers),
        live=False,
        owner=user,
    )
    index.add_child(instance=page)
    page.save_revision(user=user)
    log(page, "wagtail.create", user=user)
    return page, True


def hint(field):
    """The autocomplete token the public form gives this field (``cms.forms``): what personal detail it asks."""
    if field.field_type == "email":
        return "email"
    if field.field_type not in PERSONAL_FIELD_TYPES:
        return ""
    for pattern, token in AUTOCOMPLETE_HINTS:
        if pattern.search(field.label):
            return token
    return ""


def answer_for(fields, answers, token):
    for field in fields:
        if hint(field) == token and answers.get(field.clean_name):
            return str(answers[field.clean_name])
    return ""


def example_title(fields, answers, organisation, call):
    """The first words of the first long answer, else the organisation, else the call."""
    for field in fields:
        text = str(answers.get(field.clean_name) or "").strip()
        if field.field_type == "multiline" and text:
            return Truncator(" ".join(text.split())).words(TITLE_WORDS, truncate="…")
    return organisation or f"Goed voorbeeld: {call.title}"


def example_body(fields, answers):
    """A heading per question and the answer in words as paragraphs; personal details and hidden fields left out."""
    body = []
    for field in fields:
        value = answers.get(field.clean_name)
        if value in (None, "", []) or field.field_type == "hidden" or hint(field) in LEFT_OUT_TOKENS:
            continue
        body.append(("heading", {"text": field.label[:200], "level": "h2"}))
        body.append(("paragraph", RichText(linebreaks(escape(answer_in_words(field, value))))))
    return body


def answer_in_words(field, value):
    """How a person would write the answer down: "ja", "1 maart 2027", "Gemeente, Wijkteam en Huisartsen"."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        words = [str(item) for item in value]
        return " en ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)
    text = str(value)
    # Dates are stored as ISO text (DjangoJSONEncoder).
    moment = parse_datetime(text) if field.field_type == "datetime" else None
    day = parse_date(text) if field.field_type == "date" else None
    with translation.override("nl"):
        if moment:
            return dateformat.format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "j F Y, H:i")
        if day:
            return dateformat.format(day, "j F Y")
    return text


def free_slug(parent, title):
    base = slugify(title)[:70] or "goed-voorbeeld"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
