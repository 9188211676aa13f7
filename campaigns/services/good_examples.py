"""A draft "goed voorbeeld" page, prefilled from an answer whose author consented to publication."""

from django.utils.html import escape, linebreaks
from django.utils.text import Truncator, slugify
from wagtail.log_actions import log
from wagtail.rich_text import RichText

from campaigns.models import Organisation
from cms.forms import AUTOCOMPLETE_HINTS
from cms.models import ExampleIndexPage, ExamplePage

TITLE_WORDS = 8
# Answers that say who someone is stay out of a page meant for the public.
PERSONAL_TOKENS = {"name", "email", "tel"}


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
    for pattern, token in AUTOCOMPLETE_HINTS:
        if pattern.search(field.label):
            return token
    return "email" if field.field_type == "email" else ""


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
    """A heading per question and the answer as paragraphs, personal details left out."""
    body = []
    for field in fields:
        value = answers.get(field.clean_name)
        if value in (None, "", []) or hint(field) in PERSONAL_TOKENS:
            continue
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        body.append(("heading", {"text": field.label[:200], "level": "h2"}))
        body.append(("paragraph", RichText(linebreaks(escape(text)))))
    return body


def free_slug(parent, title):
    base = slugify(title)[:70] or "goed-voorbeeld"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
